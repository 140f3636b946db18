import { setThreadSpawner } from './wasm-threads.ts';

/**
 * Start the wasm backend's update workers as Web Workers (from a Blob URL; works in a page and,
 * where the browser allows nested workers, inside a worker). Shared wasm memory needs a
 * cross-origin-isolated context (COOP same-origin + COEP require-corp): returns false, and
 * registers nothing, where `crossOriginIsolated` is not true or there is no Worker.
 *
 * @example
 *   if (useWebWorkerThreads()) sim = compileNetwork(coba({ size: 64000 }), 'wasm', { threads: 2 });
 */
export function useWebWorkerThreads(): boolean {
  const scope = globalThis as { crossOriginIsolated?: boolean; Worker?: typeof Worker };
  if (scope.crossOriginIsolated !== true || scope.Worker === undefined) return false;
  const WorkerClass = scope.Worker;
  setThreadSpawner((source, onFailure) => {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new WorkerClass(url);
    worker.onerror = (event) => onFailure(new Error(`simulation worker failed: ${event.message}`));
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => {
        worker.terminate();
        URL.revokeObjectURL(url);
      },
    };
  });
  return true;
}
