import { CajalError, createRandom } from '@cajal/core';
import { Conv1d, Dense, GlobalAvgPool, MaxPool, ReLU, Sequential } from '../layers.ts';
import type { Module } from '../module.ts';
import { type FitOptions, type FitResult, fit, predictAll } from '../train.ts';

/**
 * A 1-D convolutional classifier for EEG windows (e.g. seizure vs healthy), the API the clinic
 * package uses. Preprocessing lives in the classifier so training and prediction agree: each
 * window is decimated by `downsample` (mean of consecutive samples), its per-channel mean is
 * removed, and it is divided by one global scale fitted on the training windows.
 * Network: [conv k7 → ReLU → max-pool 4] × 2 → conv k5 → ReLU → global average → dense.
 *
 * @example
 *   const classifier = createEegClassifier({ windowLength: 512, downsample: 2, seed: 1 });
 *   await trainEegClassifier(windows, labels, { classifier, epochs: 15 });
 *   const p = classifier.predict(windows); // [count × 2] probabilities, row-major
 */
export interface EegClassifierConfig {
  /** Samples per window and channel before decimation. */
  windowLength: number;
  /** Channels per window (default 1). */
  channels?: number;
  /** Number of classes (default 2). */
  classes?: number;
  /** Decimation factor applied first (default 1 = none). */
  downsample?: number;
  /** Filters of the three convolutions (default [8, 16, 32]). */
  filters?: [number, number, number];
  /** Weight seed (default 0). */
  seed?: number;
}

export interface EegClassifier {
  readonly config: Required<EegClassifierConfig>;
  readonly model: Sequential;
  /** Global amplitude scale (set by training; 1 before). */
  scale: number;
  /** Class probabilities for each window, [count × classes] row-major. */
  predict(windows: readonly Float32Array[]): Float32Array;
  /** Most probable class per window. */
  classify(windows: readonly Float32Array[]): Int32Array;
}

/** Network input length after decimation. */
export function eegInputLength(config: Pick<EegClassifierConfig, 'windowLength' | 'downsample'>): number {
  return Math.floor(config.windowLength / (config.downsample ?? 1));
}

function buildNetwork(config: Required<EegClassifierConfig>): Sequential {
  const random = createRandom(config.seed);
  const [f1, f2, f3] = config.filters;
  const length = eegInputLength(config);
  if (length < 64) throw new CajalError('INVALID_ARGUMENT', `window of ${length} samples after decimation is too short (need ≥ 64)`, { field: 'windowLength' });
  return new Sequential([
    new Conv1d(config.channels, f1, 7, { random, padding: 3, init: 'he-uniform' }),
    new ReLU(),
    new MaxPool(4),
    new Conv1d(f1, f2, 7, { random, padding: 3, init: 'he-uniform' }),
    new ReLU(),
    new MaxPool(4),
    new Conv1d(f2, f3, 5, { random, padding: 2, init: 'he-uniform' }),
    new ReLU(),
    new GlobalAvgPool(),
    new Dense(f3, config.classes, { random }),
  ]);
}

/** Decimate, de-mean and stack windows into one array [count × channels × length]. */
function prepare(config: Required<EegClassifierConfig>, windows: readonly Float32Array[], scale: number): Float32Array {
  const length = eegInputLength(config);
  const factor = config.downsample;
  const expected = config.channels * config.windowLength;
  const out = new Float32Array(windows.length * config.channels * length);
  windows.forEach((w, index) => {
    if (w.length !== expected) throw new CajalError('INVALID_ARGUMENT', `window ${index} has ${w.length} samples, expected ${expected} (${config.channels} channels × ${config.windowLength})`, { field: 'windows', index });
    for (let c = 0; c < config.channels; c++) {
      const base = (index * config.channels + c) * length;
      let total = 0;
      for (let i = 0; i < length; i++) {
        let s = 0;
        for (let k = 0; k < factor; k++) s += w[c * config.windowLength + i * factor + k] as number;
        out[base + i] = s / factor;
        total += s / factor;
      }
      const m = total / length;
      for (let i = 0; i < length; i++) out[base + i] = ((out[base + i] as number) - m) / scale;
    }
  });
  return out;
}

function softmaxRowsInPlace(values: Float32Array, classes: number): Float32Array {
  for (let r = 0; r < values.length / classes; r++) {
    let peak = -Infinity;
    for (let c = 0; c < classes; c++) peak = Math.max(peak, values[r * classes + c] as number);
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp((values[r * classes + c] as number) - peak);
      values[r * classes + c] = e;
      total += e;
    }
    for (let c = 0; c < classes; c++) values[r * classes + c] = (values[r * classes + c] as number) / total;
  }
  return values;
}

/** A new, untrained classifier (weights from `config.seed`). */
export function createEegClassifier(config: EegClassifierConfig): EegClassifier {
  const full: Required<EegClassifierConfig> = {
    windowLength: config.windowLength,
    channels: config.channels ?? 1,
    classes: config.classes ?? 2,
    downsample: config.downsample ?? 1,
    filters: config.filters ?? [8, 16, 32],
    seed: config.seed ?? 0,
  };
  const model = buildNetwork(full);
  const classifier: EegClassifier = {
    config: full,
    model,
    scale: 1,
    predict(windows) {
      const x = prepare(full, windows, classifier.scale);
      return softmaxRowsInPlace(predictAll(model, x, [full.channels, eegInputLength(full)]), full.classes);
    },
    classify(windows) {
      const p = classifier.predict(windows);
      const out = new Int32Array(windows.length);
      for (let r = 0; r < windows.length; r++) {
        let best = 0;
        for (let c = 1; c < full.classes; c++) if ((p[r * full.classes + c] as number) > (p[r * full.classes + best] as number)) best = c;
        out[r] = best;
      }
      return out;
    },
  };
  return classifier;
}

export interface EegTrainOptions extends Omit<FitOptions, 'validation' | 'loss'> {
  /** The classifier to train (default: createEegClassifier(config)). */
  classifier?: EegClassifier;
  /** Used when no classifier is given. */
  config?: EegClassifierConfig;
  /** Held-out windows and labels evaluated each epoch. */
  validation?: { windows: readonly Float32Array[]; labels: Int32Array };
}

/**
 * Train an EEG classifier on windows (each channels × windowLength samples, channel-major)
 * with integer labels. Fits the amplitude scale on these windows first.
 */
export async function trainEegClassifier(windows: readonly Float32Array[], labels: Int32Array, options: EegTrainOptions = {}): Promise<{ classifier: EegClassifier; result: FitResult }> {
  if (windows.length !== labels.length || windows.length === 0) {
    throw new CajalError('INVALID_ARGUMENT', `${windows.length} windows but ${labels.length} labels`, { field: 'labels' });
  }
  const first = windows[0] as Float32Array;
  const classifier = options.classifier ?? createEegClassifier(options.config ?? { windowLength: first.length });
  const config = classifier.config;
  const unscaled = prepare(config, windows, 1);
  let squares = 0;
  for (let i = 0; i < unscaled.length; i++) squares += (unscaled[i] as number) ** 2;
  classifier.scale = Math.sqrt(squares / unscaled.length) || 1;
  for (let i = 0; i < unscaled.length; i++) unscaled[i] = (unscaled[i] as number) / classifier.scale;
  const sampleShape = [config.channels, eegInputLength(config)];
  const validation = options.validation
    ? { inputs: prepare(config, options.validation.windows, classifier.scale), sampleShape: sampleShape, targets: options.validation.labels, count: options.validation.labels.length }
    : undefined;
  const { classifier: _classifier, config: _config, validation: _validation, ...rest } = options;
  const fitOptions: FitOptions = { ...rest, loss: 'cross-entropy', learningRate: options.learningRate ?? 3e-3 };
  if (validation) fitOptions.validation = validation;
  const result = await fit(classifier.model as Module, { inputs: unscaled, sampleShape: sampleShape, targets: labels, count: labels.length }, fitOptions);
  return { classifier, result };
}

/** Class probabilities [count × classes] for windows (same as classifier.predict). */
export function predictEeg(classifier: EegClassifier, windows: readonly Float32Array[]): Float32Array {
  return classifier.predict(windows);
}

/** Parse one Bonn EEG text file (one integer sample per line) into a Float32Array. */
export function parseBonnText(text: string, file = 'bonn'): Float32Array {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const out = new Float32Array(lines.length);
  lines.forEach((line, i) => {
    const v = Number(line.trim());
    if (!Number.isFinite(v)) throw new CajalError('PARSE_ERROR', `line ${i + 1} is not a number: "${line.slice(0, 20)}"`, { file, line: i + 1 });
    out[i] = v;
  });
  return out;
}

/** Cut a signal into non-overlapping windows of `length` samples (the remainder is dropped). */
export function cutWindows(signal: Float32Array, length: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let start = 0; start + length <= signal.length; start += length) out.push(signal.slice(start, start + length));
  return out;
}

/**
 * Split items into train and test groups BY FILE (all windows of one recording stay on one
 * side), stratified by class: `testFraction` of each class's files, chosen with `seed`.
 */
export function splitFilesByClass(fileClasses: readonly number[], testFraction: number, seed: number): { train: number[]; test: number[] } {
  const random = createRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  const classes = [...new Set(fileClasses)].sort((a, b) => a - b);
  for (const c of classes) {
    const files = fileClasses.map((fc, i) => [fc, i] as const).filter(([fc]) => fc === c).map(([, i]) => i);
    random.shuffle(files);
    const testCount = Math.round(files.length * testFraction);
    test.push(...files.slice(0, testCount));
    train.push(...files.slice(testCount));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
