import { createHandlePool } from './pool.ts';
import type { TaskPool, WorkerReply } from './pool.ts';
import { collectTransferables } from './tasks.ts';

/**
 * A Web Worker pool for browsers (module workers; Vite bundles worker.web.ts). Default size:
 * navigator.hardwareConcurrency - 1, at least 1, at most 8.
 *
 * @example
 *   const pool = createWebWorkerPool();
 *   const outputs = await pool.map('analyzeChannel', inputs, { transfer: true });
 */
export function createWebWorkerPool(options: { size?: number } = {}): TaskPool {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  const size = options.size ?? Math.max(1, Math.min(8, cores - 1));
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(new URL('./worker.web.ts', import.meta.url), { type: 'module' });
    return {
      post: (message: unknown, transfer: ArrayBuffer[]) => worker.postMessage(message, transfer),
      onReply: (listener: (reply: WorkerReply) => void) => worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => listener(event.data)),
      onFailure: (listener: (error: Error) => void) => worker.addEventListener('error', (event: ErrorEvent) => listener(new Error(event.message))),
      terminate: () => worker.terminate(),
    };
  });
  return createHandlePool(workers, (value) => collectTransferables(value));
}
