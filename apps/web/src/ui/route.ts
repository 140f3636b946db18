/** Hash routing (#/projects/1): works behind any static server without a fallback rule. */
import { useEffect, useState } from 'react';

/** The current hash path split into parts, e.g. ['recordings', '12']. */
export function useRoute(): string[] {
  const read = (): string[] => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = (): void => setRoute(read());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Go to a hash path, e.g. navigate('recordings', id). */
export function navigate(...parts: string[]): void {
  location.hash = `#/${parts.map(encodeURIComponent).join('/')}`;
}
