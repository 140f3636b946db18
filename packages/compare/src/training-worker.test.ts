import { isCajalError } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { type TrainConfig, type WorkerLike, type WorkerScope, buildModel, loadWeights, trainInWorker, unpackWeights } from '@cajal/nn';
import { serveTrainingOnTasks } from './datasets.ts';

/** The worker protocol over an in-process message pair (the browser test runs a real Web Worker). */
function pair(): WorkerLike {
  const toWorker = new EventTarget();
  const toPage = new EventTarget();
  const scope: WorkerScope = {
    postMessage: (message) => queueMicrotask(() => toPage.dispatchEvent(new MessageEvent('message', { data: structuredClone(message) }))),
    addEventListener: (type, listener) => toWorker.addEventListener(type, listener as EventListener),
  };
  serveTrainingOnTasks(scope);
  return {
    postMessage: (message) => queueMicrotask(() => toWorker.dispatchEvent(new MessageEvent('message', { data: structuredClone(message) }))),
    addEventListener: (type, listener) => toPage.addEventListener(type, listener as EventListener),
    removeEventListener: (type, listener) => toPage.removeEventListener(type, listener as EventListener),
  };
}

const CONFIG: TrainConfig = {
  model: { input_shape: [4, 4], seed: 1, layers: [{ type: 'lstm', units: 12 }, { type: 'dense', units: 2 }] },
  dataset: { kind: 'nback', n: 2, episodes: 60, validationEpisodes: 20 },
  training: { learningRate: 0.02, epochs: 6, batchSize: 32, seed: 1 },
};

describe('training worker protocol', () => {
  it('streams epochs and returns packed weights that load into the spec model', async () => {
    const epochs: number[] = [];
    const result = await trainInWorker(pair(), CONFIG, { onEpoch: (r) => epochs.push(r.train_loss) });
    expect(epochs).toHaveLength(6);
    expect(result.history.map((r) => r.train_loss)).toEqual(epochs);
    expect(epochs.at(-1) as number).toBeLessThan(epochs[0] as number);
    const { manifest, data } = unpackWeights(result.weights);
    const model = buildModel(manifest.spec ?? CONFIG.model);
    loadWeights(model, manifest, data);
    expect(model.parameterCount()).toBe(result.parameter_count);
  });

  it('cancels with ABORTED and reports bad configs as typed errors', async () => {
    const controller = new AbortController();
    const run = trainInWorker(pair(), { ...CONFIG, training: { ...CONFIG.training, epochs: 10000 } }, { onEpoch: () => controller.abort() , signal: controller.signal });
    await expect(run).rejects.toSatisfy((e: unknown) => isCajalError(e, 'ABORTED'));
    await expect(trainInWorker(pair(), { ...CONFIG, dataset: { kind: 'bonn-eeg' } })).rejects.toSatisfy((e: unknown) => isCajalError(e, 'INVALID_ARGUMENT'));
  });
});
