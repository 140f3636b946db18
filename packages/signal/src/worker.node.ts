import { parentPort } from 'node:worker_threads';
import { collectTransferables, runPoolTask } from './tasks.ts';
import type { WorkerRequest } from './pool.ts';

// worker_threads entry: run each requested task and post the result back (buffers transferred).
parentPort?.on('message', (request: WorkerRequest) => {
  try {
    const output = runPoolTask(request.task, request.input as never);
    parentPort?.postMessage({ id: request.id, ok: true, output }, collectTransferables(output));
  } catch (error) {
    const e = error as { code?: string; message?: string };
    parentPort?.postMessage({ id: request.id, ok: false, error: { code: e.code, message: e.message ?? String(error) } });
  }
});
