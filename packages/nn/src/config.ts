import type { Environment, LongOperationOptions } from '@cajal/core';
import { CajalError, createRandom } from '@cajal/core';
import { taskDataset } from './episodes.ts';
import type { Module } from './module.ts';
import { Adam, AdamW, type Optimizer, SGD, type Schedule, cosineSchedule, stepSchedule, warmupSchedule } from './optim.ts';
import { type ModelSpec, buildModel, validateModelSpec } from './spec.ts';
import { type Dataset, type EpochRecord, type FitOptions, type FitResult, type LossName, evaluate, fit } from './train.ts';

/**
 * Training runs described by one JSON document (what `cajal nn train CONFIG` reads and the
 * browser worker receives): the model spec, the data set, the optimiser and the loop settings.
 * Data sets that need files (Bonn EEG) are loaded by `config.node.ts`; synthetic sets are
 * generated here, seeded, so they also run in a browser worker. The task-backed sets (n-back,
 * DMS) are recorded here from an `Environment` the caller builds (`createTaskEnvironment`:
 * nn knows no tasks; `@cajal/compare`'s `createDatasetEnvironment` plays those of
 * `@cajal/tasks`).
 *
 * @example
 *   const config = parseTrainConfig(JSON.parse(text));
 *   const data = makeBuiltinDataset(config.dataset, 0, createDatasetEnvironment); // n-back, dms, spirals
 *   const losses: number[] = [];
 *   const run = await runTraining(config, data, { onEpoch: (r) => losses.push(r.train_loss) });
 */
export type DatasetConfig =
  | {
      kind: 'bonn-eeg';
      /** Folder holding the set folders (default: $CAJAL_SHARED/data/bonn-eeg or ../shared/data/bonn-eeg). */
      path?: string;
      /** Set folders, one class each in this order (default ["Z", "S"]). */
      sets?: string[];
      /** Samples per window (default 512). */
      window?: number;
      /** Decimation by block means (default 2). */
      downsample?: number;
      /** Share of each class's FILES held out (default 0.3). */
      testFraction?: number;
      /** Seed of the by-file split (default 1). */
      splitSeed?: number;
      /** Use only the first N files of each set (default all; for quick runs). */
      maxFiles?: number;
    }
  | {
      kind: 'nback';
      n?: number;
      stimuli?: number;
      /** Training / validation episodes of 20 steps (defaults 300 / 100). */
      episodes?: number;
      validationEpisodes?: number;
      /** Steps the network sees before each decision (default n + 2). */
      window?: number;
    }
  | {
      kind: 'dms';
      stimuli?: number;
      /** Shortest and longest delay in steps (defaults 2 and 6). */
      minDelay?: number;
      maxDelay?: number;
      episodes?: number;
      validationEpisodes?: number;
      /** Default maxDelay + 2. */
      window?: number;
    }
  | {
      kind: 'spirals';
      /** Points per arm (default 200), arms = classes (default 2), Gaussian noise (default 0.1). */
      points?: number;
      classes?: number;
      noise?: number;
    };

export interface ScheduleConfig {
  kind: 'constant' | 'step' | 'cosine' | 'warmup-cosine';
  /** step: multiply by `factor` every `every` optimiser steps. */
  every?: number;
  factor?: number;
  /** cosine: decay to `minimum` over all steps of the run. */
  minimum?: number;
  /** warmup-cosine: linear warm-up steps. */
  warmup?: number;
}

export interface TrainingConfig {
  optimizer?: 'adam' | 'adamw' | 'sgd';
  /** Defaults: learning rate 1e-3, momentum 0.9 (sgd), weight decay 0 (0.01 for adamw), 10 epochs, batches of 32, seed 0. */
  learningRate?: number;
  momentum?: number;
  weightDecay?: number;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  loss?: LossName;
  clipNorm?: number;
  schedule?: ScheduleConfig;
  earlyStopping?: { patience: number; minDelta?: number };
}

export interface TrainConfig {
  name?: string;
  model: ModelSpec;
  dataset: DatasetConfig;
  training?: TrainingConfig;
}

/** Train and validation sets. */
export interface DatasetPair {
  train: Dataset;
  validation?: Dataset;
  /** What was loaded, for reports (files, windows, split). */
  description: Record<string, unknown>;
}

const DATASET_KINDS = ['bonn-eeg', 'nback', 'dms', 'spirals'];

const camelKey = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snakeKey = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The object with its keys renamed (recursively through plain objects; arrays and values untouched). */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}

/**
 * A config as its JSON document: the `dataset` and `training` sections with snake_case keys
 * (`batch_size`, `learning_rate`, `min_delay` ...), the model spec as it is (it is JSON already,
 * also written into weight files). `parseTrainConfig` reads this form.
 *
 * @example
 *   JSON.stringify(formatTrainConfig(config)); // {"training":{"batch_size":32,...},...}
 */
export function formatTrainConfig(config: TrainConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config, dataset: renameKeys(config.dataset, snakeKey) };
  if (config.training) out['training'] = renameKeys(config.training, snakeKey);
  return out;
}

/**
 * Validate a config read from JSON (throws INVALID_ARGUMENT naming the field) and return it
 * with camelCase options: the JSON's snake_case keys (`batch_size`, `learning_rate`,
 * `early_stopping.min_delta`, `split_seed` ...) map to `batchSize`, `learningRate` ...;
 * `formatTrainConfig` writes them back.
 *
 * @example
 *   const config = parseTrainConfig(JSON.parse(await readFile('dms-gru.json', 'utf8')));
 *   config.training?.batchSize; // 64
 */
export function parseTrainConfig(value: unknown): TrainConfig {
  if (typeof value !== 'object' || value === null) throw new CajalError('INVALID_ARGUMENT', 'config must be a JSON object', { field: 'config' });
  const json = value as Record<string, unknown>;
  const config = { ...json, dataset: renameKeys(json['dataset'], camelKey) } as unknown as TrainConfig;
  if (json['training'] !== undefined) config.training = renameKeys(json['training'], camelKey) as TrainingConfig;
  validateModelSpec(config.model);
  if (typeof config.dataset !== 'object' || config.dataset === null || !DATASET_KINDS.includes(config.dataset.kind)) {
    throw new CajalError('INVALID_ARGUMENT', `dataset.kind must be one of ${DATASET_KINDS.join(', ')}, got ${JSON.stringify((config.dataset as { kind?: unknown } | undefined)?.kind)}`, { field: 'dataset.kind' });
  }
  const t = config.training ?? {};
  const positive = (v: unknown, field: string, integer: boolean): void => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !(v > 0) || (integer && !Number.isInteger(v))) throw new CajalError('INVALID_ARGUMENT', `training.${field} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`, { field: `training.${field}` });
  };
  positive(t.epochs, 'epochs', true);
  positive(t.batchSize, 'batch_size', true);
  positive(t.learningRate, 'learning_rate', false);
  positive(t.clipNorm, 'clip_norm', false);
  if (t.optimizer !== undefined && !['adam', 'adamw', 'sgd'].includes(t.optimizer)) throw new CajalError('INVALID_ARGUMENT', `training.optimizer must be adam, adamw or sgd, got ${JSON.stringify(t.optimizer)}`, { field: 'training.optimizer' });
  if (t.loss !== undefined && !['cross-entropy', 'mse', 'huber'].includes(t.loss)) throw new CajalError('INVALID_ARGUMENT', `training.loss must be cross-entropy, mse or huber`, { field: 'training.loss' });
  return config;
}

/** Two (or more) interleaved noisy spirals in the plane: a classic non-linear toy set. */
export function spiralDataset(points: number, classes: number, noise: number, seed: number): Dataset {
  const random = createRandom(seed);
  const inputs = new Float32Array(points * classes * 2);
  const targets = new Int32Array(points * classes);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < points; i++) {
      const r = (i + 1) / points;
      const angle = (2 * Math.PI * c) / classes + 3 * Math.PI * r;
      const index = c * points + i;
      inputs[2 * index] = r * Math.cos(angle) + noise * random.normal();
      inputs[2 * index + 1] = r * Math.sin(angle) + noise * random.normal();
      targets[index] = c;
    }
  }
  return { inputs, sampleShape: [2], targets, count: targets.length };
}

/** A data-set config that plays a cognitive task (n-back or delayed match-to-sample). */
export type TaskDatasetConfig = Extract<DatasetConfig, { kind: 'nback' | 'dms' }>;

/**
 * Builds the task a task-backed data set records (one fresh environment per call); its steps'
 * info must carry `correct_action` and `scored` (see episodes.ts).
 */
export type TaskEnvironmentFactory = (config: TaskDatasetConfig) => Environment<Float32Array, number>;

/**
 * Data sets generated in memory (every kind except bonn-eeg); the task-backed kinds need
 * `createTaskEnvironment` (INVALID_ARGUMENT without it).
 */
export function makeBuiltinDataset(config: DatasetConfig, seed = 0, createTaskEnvironment?: TaskEnvironmentFactory): DatasetPair {
  switch (config.kind) {
    case 'nback':
    case 'dms': {
      if (!createTaskEnvironment) throw new CajalError('INVALID_ARGUMENT', `dataset kind "${config.kind}" plays a task: pass createTaskEnvironment (@cajal/compare's createDatasetEnvironment)`, { field: 'dataset.kind' });
      const task = (): Environment<Float32Array, number> => createTaskEnvironment(config);
      const window = config.window ?? (config.kind === 'nback' ? (config.n ?? 2) : (config.maxDelay ?? 6)) + 2;
      // DMS: scored steps are test steps with answers 1 (match) or 2 (non-match): classes 0 and 1.
      const labelOffset = config.kind === 'dms' ? 1 : 0;
      return {
        train: taskDataset(task(), config.episodes ?? 300, 1000 + seed, window, labelOffset),
        validation: taskDataset(task(), config.validationEpisodes ?? 100, 2000 + seed, window, labelOffset),
        description: { task: config.kind === 'nback' ? `${config.n ?? 2}-back` : 'delayed match-to-sample', window, chance: 0.5 },
      };
    }
    case 'spirals': {
      const points = config.points ?? 200;
      const classes = config.classes ?? 2;
      const noise = config.noise ?? 0.1;
      return { train: spiralDataset(points, classes, noise, 1000 + seed), validation: spiralDataset(Math.max(20, points >> 2), classes, noise, 2000 + seed), description: { task: 'spirals', classes } };
    }
    case 'bonn-eeg':
      throw new CajalError('INVALID_ARGUMENT', 'bonn-eeg reads files: use loadDataset from @cajal/nn/node', { field: 'dataset.kind' });
  }
}

function makeSchedule(base: number, config: ScheduleConfig | undefined, totalSteps: number): Schedule | undefined {
  if (!config || config.kind === 'constant') return undefined;
  if (config.kind === 'step') return stepSchedule(base, config.every ?? Math.max(1, Math.floor(totalSteps / 3)), config.factor ?? 0.1);
  if (config.kind === 'cosine') return cosineSchedule(base, totalSteps, config.minimum ?? 0);
  const warmup = config.warmup ?? Math.max(1, Math.floor(totalSteps / 20));
  return warmupSchedule(warmup, cosineSchedule(base, Math.max(1, totalSteps - warmup), config.minimum ?? 0));
}

export interface TrainingRun {
  model: Module;
  result: FitResult;
  /** Final validation (or training) loss and accuracy. */
  final: { loss: number; accuracy?: number; on: 'validation' | 'train' };
  parameter_count: number;
}

/** Build the model, the optimiser and schedule from `config`, and train on `data`. */
export async function runTraining(config: TrainConfig, data: DatasetPair, options: LongOperationOptions & { onEpoch?: (record: EpochRecord) => void | Promise<void> } = {}): Promise<TrainingRun> {
  const model = buildModel(config.model);
  const t = config.training ?? {};
  const learningRate = t.learningRate ?? 1e-3;
  const parameters = model.parameters();
  let optimizer: Optimizer;
  if (t.optimizer === 'sgd') optimizer = new SGD(parameters, { learningRate, momentum: t.momentum ?? 0.9, weightDecay: t.weightDecay ?? 0 });
  else if (t.optimizer === 'adamw') optimizer = new AdamW(parameters, { learningRate, weightDecay: t.weightDecay ?? 0.01 });
  else optimizer = new Adam(parameters, { learningRate, weightDecay: t.weightDecay ?? 0 });
  const epochs = t.epochs ?? 10;
  const batchSize = t.batchSize ?? 32;
  const schedule = makeSchedule(learningRate, t.schedule, epochs * Math.ceil(data.train.count / batchSize));
  const fitOptions: FitOptions = { epochs, batchSize, seed: t.seed ?? 0, loss: t.loss ?? 'cross-entropy', optimizer };
  if (schedule) fitOptions.schedule = schedule;
  if (t.clipNorm !== undefined) fitOptions.clipNorm = t.clipNorm;
  if (t.earlyStopping) fitOptions.earlyStopping = t.earlyStopping;
  if (data.validation) fitOptions.validation = data.validation;
  if (options.signal) fitOptions.signal = options.signal;
  if (options.onProgress) fitOptions.onProgress = options.onProgress;
  if (options.onEpoch) fitOptions.onEpoch = options.onEpoch;
  const result = await fit(model, data.train, fitOptions);
  const on = data.validation ? 'validation' : 'train';
  const final = { ...evaluate(model, data.validation ?? data.train, { loss: fitOptions.loss ?? 'cross-entropy' }), on } as TrainingRun['final'];
  return { model, result, final, parameter_count: model.parameterCount() };
}
