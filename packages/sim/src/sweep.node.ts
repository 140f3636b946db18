import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CajalError, type ErrorCode } from '@cajal/core';
import type { SweepJob, SweepRunner, SweepStatistics } from './sweep.ts';

/**
 * A worker_threads pool for sweeps and fitting in Node: one simulation per worker at a time.
 * Workers load the TypeScript sources through tsx's `tsImport` (no build step; a worker takes
 * about 0.5-1.5 s to start). Default size: cores - 1, at least 1, at most 8. Close it when done.
 *
 * @example
 *   const runner = createSweepPool({ size: 2 });
 *   try { table = await runSweep(coba(), points, { runner }); } finally { await runner.close(); }
 */
export function createSweepPool(options: { size?: number } = {}): SweepRunner {
  const size = Math.max(1, options.size ?? Math.min(8, availableParallelism() - 1));
  const entry = new URL('./sweep-worker.node.ts', import.meta.url).href;
  let api = 'tsx/esm/api';
  try {
    api = import.meta.resolve('tsx/esm/api');
  } catch {
    // resolve from the working directory instead
  }
  // A .ts entry cannot be given to Worker directly on Node 20, so a tiny eval'd bootstrap imports it through tsx.
  const bootstrap = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  type Pending = { resolve: (s: SweepStatistics) => void; reject: (e: Error) => void };
  const idle: Worker[] = [];
  const waiting: Array<(w: Worker) => void> = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(bootstrap, { eval: true });
    worker.on('message', (message: { ready?: true; id?: number; ok?: boolean; statistics?: SweepStatistics; error?: { code: string; message: string } }) => {
      if (message.ready) {
        release(worker);
        return;
      }
      const p = pending.get(message.id as number);
      if (!p) return;
      pending.delete(message.id as number);
      release(worker);
      if (message.ok) p.resolve(message.statistics as SweepStatistics);
      else p.reject(new CajalError((message.error?.code ?? 'INTERNAL') as ErrorCode, message.error?.message ?? 'worker failed'));
    });
    worker.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    return worker;
  });
  const release = (worker: Worker): void => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };
  const acquire = (): Promise<Worker> => {
    const w = idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => waiting.push(resolve));
  };
  return {
    concurrency: size,
    run: async (job: SweepJob) => {
      if (closed) throw new CajalError('CONFLICT', 'the sweep pool is closed');
      const worker = await acquire();
      const id = nextId++;
      return new Promise<SweepStatistics>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, job });
      });
    },
    close: async () => {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
