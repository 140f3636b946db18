import { collectTransferables, runPoolTask } from './tasks.ts';
import type { WorkerRequest } from './pool.ts';

// Web Worker entry: run each requested task and post the result back (buffers transferred).
const scope = self as unknown as { onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null; postMessage(message: unknown, transfer?: ArrayBuffer[]): void };
scope.onmessage = (event) => {
  const request = event.data;
  try {
    const output = runPoolTask(request.task, request.input as never);
    scope.postMessage({ id: request.id, ok: true, output }, collectTransferables(output));
  } catch (error) {
    const e = error as { code?: string; message?: string };
    scope.postMessage({ id: request.id, ok: false, error: { code: e.code, message: e.message ?? String(error) } });
  }
};
