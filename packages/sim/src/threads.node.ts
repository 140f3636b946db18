import { Worker } from 'node:worker_threads';
import { setThreadSpawner } from './wasm-threads.ts';

/**
 * Start the wasm backend's update workers on worker_threads (registered when `@cajal/sim/node` is
 * imported). Workers are unref'd: a finished program exits without closing its simulations.
 */
setThreadSpawner((source, onFailure) => {
  const worker = new Worker(source, { eval: true });
  worker.unref();
  let terminating = false;
  worker.once('error', onFailure);
  worker.once('exit', (code) => {
    if (!terminating) onFailure(new Error(`simulation worker exited with code ${code}`));
  });
  return {
    postMessage: (message) => worker.postMessage(message),
    terminate: () => {
      terminating = true;
      void worker.terminate();
    },
  };
});
