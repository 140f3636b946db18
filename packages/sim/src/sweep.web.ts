import { CajalError, type ErrorCode } from '@cajal/core';
import type { SweepJob, SweepRunner, SweepStatistics } from './sweep.ts';

/** The part of a Web Worker the pool uses (so tests and other hosts can supply their own). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  terminate(): void;
}

/**
 * A Web Worker pool for sweeps and fitting in the browser. `createWorker` makes one worker
 * running `sweep-worker.web.ts` (bundled by the app, e.g. `new Worker(new URL('./sweep-worker.web.ts', import.meta.url), { type: 'module' })`).
 *
 * @example
 *   const runner = createWebSweepPool(() => new Worker('sweep-worker.js'), 4);
 *   const table = await runSweep(net, points, { runner });
 *   await runner.close();
 */
export function createWebSweepPool(createWorker: () => WorkerLike, size = 2): SweepRunner {
  type Reply = { id: number; ok: boolean; statistics?: SweepStatistics; error?: { code: string; message: string } };
  const idle: WorkerLike[] = [];
  const waiting: Array<(w: WorkerLike) => void> = [];
  const pending = new Map<number, { resolve: (s: SweepStatistics) => void; reject: (e: Error) => void; worker: WorkerLike }>();
  let nextId = 0;
  const release = (worker: WorkerLike): void => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = createWorker();
    worker.addEventListener('message', (event) => {
      const reply = event.data as Reply;
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      release(worker);
      if (reply.ok) p.resolve(reply.statistics as SweepStatistics);
      else p.reject(new CajalError((reply.error?.code ?? 'INTERNAL') as ErrorCode, reply.error?.message ?? 'worker failed'));
    });
    idle.push(worker);
    return worker;
  });
  const acquire = (): Promise<WorkerLike> => {
    const w = idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => waiting.push(resolve));
  };
  return {
    concurrency: workers.length,
    run: async (job: SweepJob) => {
      const worker = await acquire();
      const id = nextId++;
      return new Promise<SweepStatistics>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker });
        worker.postMessage({ id, job });
      });
    },
    close: async () => {
      for (const w of workers) w.terminate();
    },
  };
}
