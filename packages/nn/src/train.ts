import type { LongOperationOptions } from '@cajal/core';
import { CajalError, createRandom, throwIfAborted } from '@cajal/core';
import { huber, mse, softmaxCrossEntropy } from './functional.ts';
import type { Module } from './module.ts';
import { Adam, type Optimizer, type Schedule, clipGradientNorm } from './optim.ts';
import { Tensor, backward, noGrad, shapeSize } from './tensor.ts';

/**
 * The training loop: mini-batches in a seeded shuffled order, a loss, an optimiser with an
 * optional learning-rate schedule and gradient clipping, validation after each epoch, early
 * stopping (restoring the best weights), progress and cancellation.
 *
 * @example
 *   const data = { inputs, sampleShape: [1, 256], targets: labels, count: labels.length };
 *   const result = await fit(model, data, { epochs: 20, batchSize: 32, seed: 1, validation });
 *   result.history.at(-1)?.validation_accuracy;
 */
export interface Dataset {
  /** All samples, concatenated (count × product(sampleShape) values). */
  inputs: Float32Array;
  /** Shape of one sample, e.g. [1, 256] for one-channel windows. */
  sampleShape: number[];
  /** Class indices (cross-entropy) or regression targets (count × product(targetShape)). */
  targets: Int32Array | Float32Array;
  /** Shape of one regression target (default [1]); ignored for class labels. */
  targetShape?: number[];
  /** Number of samples. */
  count: number;
}

export type LossName = 'cross-entropy' | 'mse' | 'huber';

/** One epoch of the history (fields snake_case, as exported data). */
export interface EpochRecord {
  epoch: number;
  train_loss: number;
  train_accuracy?: number;
  validation_loss?: number;
  validation_accuracy?: number;
  learning_rate: number;
  seconds: number;
}

export interface FitOptions extends LongOperationOptions {
  /** Passes over the training set (default 10). */
  epochs?: number;
  /** Samples per step (default 32). */
  batchSize?: number;
  /** Seed of the shuffling order (default 0). */
  seed?: number;
  /** Loss (default 'cross-entropy', which expects Int32Array class labels). */
  loss?: LossName;
  /** Optimiser over model.parameters() (default Adam with `learningRate`). */
  optimizer?: Optimizer;
  /** Learning rate of the default Adam (default 1e-3). */
  learningRate?: number;
  /** Learning rate per optimiser step (overrides the optimiser's own). */
  schedule?: Schedule;
  /** Clip the global gradient norm to this (default: no clipping). */
  clipNorm?: number;
  /** Held-out data evaluated after each epoch. */
  validation?: Dataset;
  /** Stop when validation loss has not improved by `minDelta` for `patience` epochs, restoring the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Called after each epoch (e.g. to redraw a live loss curve). May be async. */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
}

export interface FitResult {
  history: EpochRecord[];
  /** Epoch (1-based) whose weights the model holds at the end. */
  best_epoch: number;
  stopped_early: boolean;
}

function batchOf(data: Dataset, indices: ArrayLike<number>, start: number, end: number): { x: Tensor; labels: Int32Array | null; target: Tensor | null } {
  const sampleSize = shapeSize(data.sampleShape);
  const n = end - start;
  const x = new Float32Array(n * sampleSize);
  for (let i = 0; i < n; i++) {
    const s = indices[start + i] as number;
    x.set(data.inputs.subarray(s * sampleSize, (s + 1) * sampleSize), i * sampleSize);
  }
  const input = new Tensor(x, [n, ...data.sampleShape]);
  if (data.targets instanceof Int32Array) {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = data.targets[indices[start + i] as number] as number;
    return { x: input, labels, target: null };
  }
  const targetShape = data.targetShape ?? [1];
  const targetSize = shapeSize(targetShape);
  const t = new Float32Array(n * targetSize);
  for (let i = 0; i < n; i++) {
    const s = indices[start + i] as number;
    t.set(data.targets.subarray(s * targetSize, (s + 1) * targetSize), i * targetSize);
  }
  return { x: input, labels: null, target: new Tensor(t, [n, ...targetShape]) };
}

function lossOf(name: LossName, output: Tensor, labels: Int32Array | null, target: Tensor | null): Tensor {
  if (name === 'cross-entropy') {
    if (!labels) throw new CajalError('INVALID_ARGUMENT', 'cross-entropy needs Int32Array class labels as targets', { field: 'targets' });
    return softmaxCrossEntropy(output, labels);
  }
  if (!target) throw new CajalError('INVALID_ARGUMENT', `${name} needs Float32Array targets`, { field: 'targets' });
  return name === 'mse' ? mse(output, target) : huber(output, target);
}

function correctCount(output: Tensor, labels: Int32Array): number {
  const classes = output.shape[1] as number;
  let correct = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((output.data[r * classes + c] as number) > (output.data[r * classes + best] as number)) best = c;
    if (best === labels[r]) correct++;
  }
  return correct;
}

/** Mean loss (and accuracy for class labels) of `model` on `data`, in evaluation mode. */
export function evaluate(model: Module, data: Dataset, options: { loss?: LossName; batchSize?: number } = {}): { loss: number; accuracy?: number } {
  const loss = options.loss ?? 'cross-entropy';
  const batchSize = options.batchSize ?? 128;
  const wasTraining = model.training;
  model.setTraining(false);
  const order = Int32Array.from({ length: data.count }, (_v, i) => i);
  let total = 0;
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < data.count; start += batchSize) {
      const end = Math.min(data.count, start + batchSize);
      const batch = batchOf(data, order, start, end);
      const output = model.forward(batch.x);
      total += lossOf(loss, output, batch.labels, batch.target).item() * (end - start);
      if (batch.labels) correct += correctCount(output, batch.labels);
    }
  });
  model.setTraining(wasTraining);
  const result: { loss: number; accuracy?: number } = { loss: total / Math.max(1, data.count) };
  if (data.targets instanceof Int32Array) result.accuracy = correct / Math.max(1, data.count);
  return result;
}

/** Outputs of `model` for every sample (evaluation mode, no gradients), [count × outputs]. */
export function predictAll(model: Module, inputs: Float32Array, sampleShape: number[], batchSize = 128): Float32Array {
  const sampleSize = shapeSize(sampleShape);
  const count = inputs.length / sampleSize;
  const wasTraining = model.training;
  model.setTraining(false);
  const parts: Float32Array[] = [];
  noGrad(() => {
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      const x = new Tensor(inputs.subarray(start * sampleSize, end * sampleSize), [end - start, ...sampleShape]);
      parts.push(model.forward(x).data);
    }
  });
  model.setTraining(wasTraining);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Train `model` on `train`; see FitOptions for defaults. Throws CajalError('ABORTED') when cancelled. */
export async function fit(model: Module, train: Dataset, options: FitOptions = {}): Promise<FitResult> {
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 32;
  const loss = options.loss ?? 'cross-entropy';
  if (!(train.count > 0) || train.inputs.length !== train.count * shapeSize(train.sampleShape)) {
    throw new CajalError('INVALID_ARGUMENT', `training inputs have ${train.inputs.length} values, expected ${train.count} × [${train.sampleShape.join(', ')}]`, { field: 'inputs' });
  }
  const parameters = model.parameters();
  const optimizer = options.optimizer ?? new Adam(parameters, { learningRate: options.learningRate ?? 1e-3 });
  const random = createRandom(options.seed ?? 0);
  const order = Array.from({ length: train.count }, (_v, i) => i);
  const stepsPerEpoch = Math.ceil(train.count / batchSize);
  const history: EpochRecord[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  let lastYield = Date.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = Date.now();
    random.shuffle(order);
    model.setTraining(true);
    let total = 0;
    let correct = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      throwIfAborted(options.signal, 'training');
      const start = step * batchSize;
      const end = Math.min(train.count, start + batchSize);
      const batch = batchOf(train, order, start, end);
      if (options.schedule) optimizer.learningRate = options.schedule(optimizer.steps);
      for (const p of parameters) p.zeroGrad();
      const output = model.forward(batch.x);
      const l = lossOf(loss, output, batch.labels, batch.target);
      total += l.item() * (end - start);
      if (batch.labels) correct += correctCount(output, batch.labels);
      backward(l);
      if (options.clipNorm !== undefined) clipGradientNorm(parameters, options.clipNorm);
      optimizer.step();
      options.onProgress?.({ done: (epoch - 1) * stepsPerEpoch + step + 1, total: epochs * stepsPerEpoch, stage: `epoch ${epoch}/${epochs}` });
      if (Date.now() - lastYield > 100) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    const record: EpochRecord = { epoch, train_loss: total / train.count, learning_rate: optimizer.learningRate, seconds: 0 };
    if (train.targets instanceof Int32Array) record.train_accuracy = correct / train.count;
    if (options.validation) {
      const v = evaluate(model, options.validation, { loss });
      record.validation_loss = v.loss;
      if (v.accuracy !== undefined) record.validation_accuracy = v.accuracy;
    }
    record.seconds = (Date.now() - started) / 1000;
    history.push(record);
    await options.onEpoch?.(record);
    await yieldToEventLoop();
    lastYield = Date.now();
    const monitored = record.validation_loss ?? record.train_loss;
    if (monitored < best - (options.earlyStopping?.minDelta ?? 0)) {
      best = monitored;
      bestEpoch = epoch;
      sinceBest = 0;
      if (options.earlyStopping) bestWeights = parameters.map((p) => p.data.slice());
    } else if (options.earlyStopping && ++sinceBest >= options.earlyStopping.patience) {
      stoppedEarly = true;
      break;
    }
  }
  if (bestWeights) parameters.forEach((p, i) => p.data.set(bestWeights[i] as Float32Array));
  else bestEpoch = history.length;
  model.setTraining(false);
  return { history, best_epoch: bestEpoch, stopped_early: stoppedEarly };
}
