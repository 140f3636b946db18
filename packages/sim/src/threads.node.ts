import { Worker } from 'node:worker_threads';
import { setThreadSpawner } from './wasm-threads.ts';

/**
 * Start the wasm backend's update workers on worker_threads (registered when `@cajal/sim/node` is
 * imported). Workers are unref'd: a finished program exits without closing its simulations.
 */
setThreadSpawner((source) => {
  const worker = new Worker(source, { eval: true });
  worker.unref();
  return { postMessage: (message) => worker.postMessage(message), terminate: () => void worker.terminate() };
});
