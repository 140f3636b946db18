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

/** Remember a job id started in this browser (the API has no job list yet; see NEEDS.md). */
export function rememberJob(jobId: string): void {
  const ids = knownJobs().filter((j) => j !== jobId);
  localStorage.setItem('cajal.jobs', JSON.stringify([jobId, ...ids].slice(0, 50)));
}

/** Job ids started in this browser, newest first. */
export function knownJobs(): string[] {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem('cajal.jobs') ?? '[]');
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
