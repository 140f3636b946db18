import { parentPort } from 'node:worker_threads';
import { type SweepJob, evaluateJob } from './sweep.ts';

// worker_threads entry of the sweep pool: evaluate each job and post the statistics back.
parentPort?.on('message', (request: { id: number; job: SweepJob }) => {
  evaluateJob(request.job).then(
    (statistics) => parentPort?.postMessage({ id: request.id, ok: true, statistics }),
    (error: unknown) => {
      const e = error as { code?: string; message?: string };
      parentPort?.postMessage({ id: request.id, ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message ?? String(error) } });
    },
  );
});
parentPort?.postMessage({ ready: true });
