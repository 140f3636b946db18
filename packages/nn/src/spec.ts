import { CajalError, createRandom } from '@cajal/core';
import type { Initializer } from './init.ts';
import { AvgPool1d, BatchNorm, Conv1d, Conv2d, Dense, Dropout, Flatten, GlobalAvgPool, LayerNorm, LeakyReLU, MaxPool, ReLU, Sequential, Sigmoid, Softmax, Tanh } from './layers.ts';
import type { Module } from './module.ts';
import { GRU, LSTM, MultiHeadAttention } from './sequence-layers.ts';
import { Tensor, noGrad } from './tensor.ts';

/**
 * Declarative model specifications (JSON): a per-sample input shape and a list of layers whose
 * input sizes are inferred, so a config file names only what matters. Used by the CLI
 * (`cajal nn train`), the weight files (the spec travels in the JSON header) and the worker.
 *
 * @example
 *   const model = buildModel({ input_shape: [1, 256], seed: 1, layers: [
 *     { type: 'conv1d', filters: 8, kernel: 7, padding: 3 }, { type: 'relu' }, { type: 'max_pool', size: 4 },
 *     { type: 'global_avg_pool' }, { type: 'dense', units: 2 } ] });
 */
export type LayerSpec =
  | { type: 'dense'; units: number; init?: Initializer; bias?: boolean }
  | { type: 'conv1d'; filters: number; kernel: number; stride?: number; padding?: number; init?: Initializer }
  | { type: 'conv2d'; filters: number; kernel: number | [number, number]; stride?: number; padding?: number; init?: Initializer }
  | { type: 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'flatten' | 'global_avg_pool' | 'layer_norm' | 'batch_norm' }
  | { type: 'leaky_relu'; alpha?: number }
  | { type: 'max_pool' | 'avg_pool'; size: number }
  | { type: 'dropout'; rate: number }
  | { type: 'lstm' | 'gru'; units: number; return_sequences?: boolean }
  | { type: 'attention'; heads: number };

export interface ModelSpec {
  /** Shape of one sample (no batch axis): [features], [channels, length], [channels, h, w] or [steps, features]. */
  input_shape: number[];
  layers: LayerSpec[];
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

const LAYER_TYPES = new Set(['dense', 'conv1d', 'conv2d', 'relu', 'tanh', 'sigmoid', 'softmax', 'flatten', 'global_avg_pool', 'layer_norm', 'batch_norm', 'leaky_relu', 'max_pool', 'avg_pool', 'dropout', 'lstm', 'gru', 'attention']);

function positiveInteger(value: unknown, field: string, index: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new CajalError('INVALID_ARGUMENT', `layer ${index}: ${field} must be a positive integer, got ${JSON.stringify(value)}`, { field: `layers[${index}].${field}` });
  }
  return value;
}

function makeLayer(spec: LayerSpec, shape: readonly number[], index: number, seed: number): Module {
  const random = createRandom(seed * 1000 + index + 1);
  const last = shape[shape.length - 1] as number;
  const need = (rank: number, what: string): void => {
    if (shape.length !== rank) throw new CajalError('INVALID_ARGUMENT', `layer ${index} (${spec.type}) needs ${what} input, got per-sample shape [${shape.join(', ')}]`, { field: `layers[${index}]` });
  };
  switch (spec.type) {
    case 'dense':
      need(1, '[features]');
      return new Dense(last, positiveInteger(spec.units, 'units', index), { random, ...(spec.init ? { init: spec.init } : {}), ...(spec.bias === false ? { bias: false } : {}) });
    case 'conv1d':
      need(2, '[channels, length]');
      return new Conv1d(shape[0] as number, positiveInteger(spec.filters, 'filters', index), positiveInteger(spec.kernel, 'kernel', index), { random, stride: spec.stride ?? 1, padding: spec.padding ?? 0, init: spec.init ?? 'he-uniform' });
    case 'conv2d': {
      need(3, '[channels, height, width]');
      const kernel: [number, number] = typeof spec.kernel === 'number' ? [spec.kernel, spec.kernel] : spec.kernel;
      return new Conv2d(shape[0] as number, positiveInteger(spec.filters, 'filters', index), kernel, { random, stride: spec.stride ?? 1, padding: spec.padding ?? 0, init: spec.init ?? 'he-uniform' });
    }
    case 'relu':
      return new ReLU();
    case 'tanh':
      return new Tanh();
    case 'sigmoid':
      return new Sigmoid();
    case 'softmax':
      return new Softmax();
    case 'leaky_relu':
      return new LeakyReLU(spec.alpha ?? 0.01);
    case 'flatten':
      return new Flatten();
    case 'global_avg_pool':
      return new GlobalAvgPool();
    case 'max_pool':
      if (shape.length !== 2 && shape.length !== 3) need(2, '[channels, length] or [channels, h, w]');
      return new MaxPool(positiveInteger(spec.size, 'size', index));
    case 'avg_pool':
      need(2, '[channels, length]');
      return new AvgPool1d(positiveInteger(spec.size, 'size', index));
    case 'dropout':
      return new Dropout(spec.rate, random);
    case 'layer_norm':
      return new LayerNorm(last);
    case 'batch_norm':
      return new BatchNorm(shape[0] as number);
    case 'lstm':
      need(2, '[steps, features]');
      return new LSTM(last, positiveInteger(spec.units, 'units', index), { random, returnSequences: spec.return_sequences ?? false });
    case 'gru':
      need(2, '[steps, features]');
      return new GRU(last, positiveInteger(spec.units, 'units', index), { random, returnSequences: spec.return_sequences ?? false });
    case 'attention':
      need(2, '[steps, features]');
      return new MultiHeadAttention(last, positiveInteger(spec.heads, 'heads', index), { random });
  }
}

/** Check a parsed JSON value is a ModelSpec (throws INVALID_ARGUMENT naming the field). */
export function validateModelSpec(value: unknown): ModelSpec {
  const spec = value as ModelSpec;
  if (typeof value !== 'object' || value === null) throw new CajalError('INVALID_ARGUMENT', 'model spec must be an object', { field: 'model' });
  if (!Array.isArray(spec.input_shape) || spec.input_shape.length === 0 || !spec.input_shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new CajalError('INVALID_ARGUMENT', `model.input_shape must be a list of positive integers, got ${JSON.stringify(spec.input_shape)}`, { field: 'model.input_shape' });
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new CajalError('INVALID_ARGUMENT', 'model.layers must be a non-empty list', { field: 'model.layers' });
  spec.layers.forEach((layer, i) => {
    if (typeof layer !== 'object' || layer === null || !LAYER_TYPES.has((layer as { type: string }).type)) {
      throw new CajalError('INVALID_ARGUMENT', `layer ${i}: unknown type ${JSON.stringify((layer as { type?: unknown } | null)?.type)} (known: ${[...LAYER_TYPES].join(', ')})`, { field: `layers[${i}].type` });
    }
  });
  return spec;
}

/**
 * Build a Sequential from a spec. Each layer's input size comes from the shape the layers
 * before it produce (found by running a zero sample through them).
 */
export function buildModel(value: ModelSpec): Sequential {
  const spec = validateModelSpec(value);
  const seed = spec.seed ?? 0;
  const layers: Module[] = [];
  let shape: number[] = spec.input_shape.slice();
  spec.layers.forEach((layerSpec, index) => {
    const layer = makeLayer(layerSpec, shape, index, seed);
    layers.push(layer);
    shape = outputShape(layer, shape);
  });
  return new Sequential(layers);
}

/** Per-sample output shape of `layer` for a per-sample input shape (probe with batch 2, evaluation mode). */
export function outputShape(layer: Module, shape: readonly number[]): number[] {
  const wasTraining = layer.training;
  layer.setTraining(false);
  try {
    const probe = noGrad(() => layer.forward(Tensor.zeros([2, ...shape])));
    return probe.shape.slice(1);
  } finally {
    layer.setTraining(wasTraining);
  }
}
