import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createHandlePool } from './pool.ts';
import type { TaskPool, WorkerReply } from './pool.ts';
import { collectTransferables } from './tasks.ts';

/**
 * A worker_threads pool for Node. Workers load the TypeScript sources through tsx's
 * `tsImport`, so no build step is needed (starting a worker costs about 0.3-1.5 s). Default size: the number of
 * cores minus one, at least 1, at most 8.
 *
 * @example
 *   const pool = createNodePool({ size: 2 });
 *   try { await runDefaultPipeline(recording, { pool }); } finally { await pool.close(); }
 */
export function createNodePool(options: { size?: number } = {}): TaskPool {
  const size = options.size ?? Math.max(1, Math.min(8, availableParallelism() - 1));
  const entry = new URL('./worker.node.ts', import.meta.url).href;
  // A .ts worker entry cannot be loaded through `--import tsx` on Node 20 (the entry is resolved
  // before the hooks apply), so a tiny eval'd bootstrap imports it through tsx's API.
  let api = 'tsx/esm/api';
  try {
    api = import.meta.resolve('tsx/esm/api');
  } catch {
    // Fall back to resolution from the working directory.
  }
  const bootstrap = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(bootstrap, { eval: true });
    return {
      post: (message: unknown, transfer: ArrayBuffer[]) => worker.postMessage(message, transfer),
      onReply: (listener: (reply: WorkerReply) => void) => worker.on('message', listener),
      onFailure: (listener: (error: Error) => void) => worker.on('error', listener),
      terminate: async () => {
        await worker.terminate();
      },
    };
  });
  return createHandlePool(workers, (value) => collectTransferables(value));
}
