/// <reference lib="webworker" />
import { coba, compileNetwork, useWebWorkerThreads } from '@cajal/sim';

// Web Worker entry for the browser test: runs the COBA example and posts the spikes back.
interface Request { size: number; durationSeconds: number; backend: string; seed: number; threads: number; precision?: 'double' | 'single' }

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (event: MessageEvent<Request>) => {
  const { size, durationSeconds, backend, seed, threads, precision = 'double' } = event.data;
  try {
    const t0 = performance.now();
    const webThreads = threads > 1 && useWebWorkerThreads();
    const sim = compileNetwork({ ...coba({ size, seed, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] }), precision }, backend, webThreads ? { threads } : {});
    await sim.ready();
    const threadsUsed = sim.threads;
    const t1 = performance.now();
    await sim.run(durationSeconds, { onProgress: (p) => scope.postMessage({ type: 'progress', done: p.done, total: p.total }) });
    const loopMs = performance.now() - t1;
    sim.close();
    const trains = sim.monitors.spikes['spikes'];
    if (!trains) throw new Error('no spike monitor');
    scope.postMessage({
      type: 'done', backend: sim.backend, inWorker: typeof WorkerGlobalScope !== 'undefined', wallMs: performance.now() - t0, loopMs, threadsUsed, isolated: crossOriginIsolated,
      neuronCount: trains.neuronCount, durationSeconds: trains.durationSeconds, neuron: trains.neuron, times: trains.timesSeconds,
    }, [trains.neuron.buffer, trains.timesSeconds.buffer]);
  } catch (error) {
    scope.postMessage({ type: 'error', message: String(error) });
  }
};
