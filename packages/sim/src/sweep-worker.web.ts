/// <reference lib="webworker" />
import { type SweepJob, evaluateJob } from './sweep.ts';

// Web Worker entry of the browser sweep pool (createWebSweepPool): evaluate each job, post the statistics back.
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.addEventListener('message', (event: MessageEvent<{ id: number; job: SweepJob }>) => {
  const { id, job } = event.data;
  evaluateJob(job).then(
    (statistics) => scope.postMessage({ id, ok: true, statistics }),
    (error: unknown) => {
      const e = error as { code?: string; message?: string };
      scope.postMessage({ id, ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message ?? String(error) } });
    },
  );
});
