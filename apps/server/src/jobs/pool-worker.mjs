// Worker-thread entry of the in-process job pool (piscina). Node runs TypeScript here through
// tsx's loader, registered in this thread, then the handlers run with progress sent back on
// the task's MessagePort.
import { register } from 'tsx/esm/api';

register();
const { runHandler } = await import('./handlers.ts');

export default async function runPoolTask({ input, port }) {
  const controller = new AbortController();
  port.on('message', (message) => {
    if (message === 'abort') controller.abort();
  });
  try {
    return await runHandler(input, { onProgress: (progress) => port.postMessage(progress), signal: controller.signal });
  } finally {
    port.close();
  }
}
