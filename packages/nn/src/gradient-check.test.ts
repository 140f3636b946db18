import { createRandom } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { conv1d, conv2d } from './conv.ts';
import { avgPool1d, avgPool2d, globalAvgPool, maxPool1d, maxPool2d, reluGlobalAvgPool, reluMaxPool1d } from './pool.ts';
import { batchNorm, dropout, embedding, huber, layerNorm, logSoftmax, mse, softmax, softmaxCrossEntropy } from './functional.ts';
import { concat, linear, matmul, reshape, slice, transpose } from './linalg.ts';
import { abs, add, addScalar, div, exp, leakyRelu, log, max, maximum, mean, mul, neg, relu, scale, sigmoid, sqrt, square, sub, sum, tanh } from './ops.ts';
import { gru, lstm } from './recurrent.ts';
import { GRU, LSTM, MultiHeadAttention } from './sequence-layers.ts';
import { Tensor, backward, noGrad } from './tensor.ts';

/**
 * Finite-difference gradient checks for every differentiable operation.
 * Criterion: for each checked input element, the analytic gradient of L = Σ R ⊙ f(inputs)
 * (R a fixed random weighting) matches the central difference (L(x+ε) − L(x−ε)) / 2ε with
 * ε = 1e-2 (float32 values, L summed in float64) within |analytic − numeric| ≤ 4e-3 + 2e-2·|numeric|.
 * Inputs are drawn away from kinks (ReLU, max) where needed so that ε does not cross them.
 */
const EPSILON = 1e-2;
const ABSOLUTE = 4e-3;
const RELATIVE = 2e-2;

function randomTensor(shape: number[], seed: number, options: { low?: number; high?: number; awayFromZero?: number } = {}): Tensor {
  const random = createRandom(seed);
  const low = options.low ?? -1;
  const high = options.high ?? 1;
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = random.uniformRange(low, high);
    if (options.awayFromZero !== undefined) v = Math.sign(v || 1) * (Math.abs(v) + options.awayFromZero);
    data[i] = v;
  }
  return new Tensor(data, shape, { requiresGrad: true });
}

/** Distinct values (a shuffled grid) so max / max-pool have no near-ties. */
function distinctTensor(shape: number[], seed: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_v, i) => (i - size / 2) * 0.1);
  createRandom(seed).shuffle(values);
  return new Tensor(Float32Array.from(values), shape, { requiresGrad: true });
}

function weightedSum(output: Tensor, weights: Float32Array): number {
  let total = 0;
  for (let i = 0; i < output.size; i++) total += (output.data[i] as number) * (weights[i] as number);
  return total;
}

function gradientCheck(name: string, inputs: Tensor[], f: (...xs: Tensor[]) => Tensor, samples = 24): void {
  const output = f(...inputs);
  const weights = createRandom(99).shuffle(Array.from({ length: output.size }, (_v, i) => ((i % 7) - 3) / 3 + 0.1));
  const seed = Float32Array.from(weights);
  for (const x of inputs) x.zeroGrad();
  backward(output, seed);
  const random = createRandom(7);
  for (const [inputIndex, x] of inputs.entries()) {
    if (!x.requiresGrad) continue;
    const analytic = x.grad ?? new Float32Array(x.size);
    const count = Math.min(samples, x.size);
    const picks = x.size <= samples ? Array.from({ length: x.size }, (_v, i) => i) : Array.from({ length: count }, () => random.integer(x.size));
    for (const i of picks) {
      const original = x.data[i] as number;
      x.data[i] = original + EPSILON;
      const plus = noGrad(() => weightedSum(f(...inputs), seed));
      x.data[i] = original - EPSILON;
      const minus = noGrad(() => weightedSum(f(...inputs), seed));
      x.data[i] = original;
      const numeric = (plus - minus) / (2 * EPSILON);
      const got = analytic[i] as number;
      if (!(Math.abs(got - numeric) <= ABSOLUTE + RELATIVE * Math.abs(numeric))) {
        throw new Error(`${name}: input ${inputIndex} element ${i}: analytic ${got} vs numeric ${numeric}`);
      }
    }
  }
}

describe('finite-difference gradient checks (ε = 1e-2, |Δ| ≤ 4e-3 + 2e-2·|numeric|)', () => {
  it('elementwise binary ops with broadcasting', () => {
    const a = randomTensor([3, 4], 1);
    const b = randomTensor([4], 2);
    const c = randomTensor([3, 1], 3);
    gradientCheck('add', [a, b], add);
    gradientCheck('sub', [a, c], sub);
    gradientCheck('mul', [a, b], mul);
    gradientCheck('mul 3-D broadcast', [randomTensor([2, 1, 3], 4), randomTensor([4, 1], 5)], mul);
    gradientCheck('div', [a, randomTensor([4], 6, { low: 0.5, high: 2 })], div);
    const shifted = distinctTensor([3, 4], 8);
    shifted.data = shifted.data.map((v) => v + 0.037);
    gradientCheck('maximum', [distinctTensor([3, 4], 7), shifted], maximum);
  });

  it('elementwise unary ops', () => {
    const a = randomTensor([2, 5], 10);
    const positive = randomTensor([2, 5], 11, { low: 0.5, high: 2 });
    const awayFromZero = randomTensor([2, 5], 12, { awayFromZero: 0.05 });
    gradientCheck('neg', [a], neg);
    gradientCheck('scale', [a], (x) => scale(x, -2.5));
    gradientCheck('addScalar', [a], (x) => addScalar(x, 3));
    gradientCheck('exp', [a], exp);
    gradientCheck('log', [positive], log);
    gradientCheck('sqrt', [positive], sqrt);
    gradientCheck('square', [a], square);
    gradientCheck('abs', [awayFromZero], abs);
    gradientCheck('relu', [awayFromZero], relu);
    gradientCheck('leakyRelu', [awayFromZero], (x) => leakyRelu(x, 0.1));
    gradientCheck('sigmoid', [a], sigmoid);
    gradientCheck('tanh', [a], tanh);
  });

  it('reductions', () => {
    const a = randomTensor([2, 3, 4], 20);
    gradientCheck('sum all', [a], (x) => sum(x));
    gradientCheck('sum axis 1', [a], (x) => sum(x, 1));
    gradientCheck('sum axis -1 keepDims', [a], (x) => sum(x, -1, true));
    gradientCheck('mean axis 0', [a], (x) => mean(x, 0));
    gradientCheck('mean all', [a], (x) => mean(x));
    gradientCheck('max axis 2', [distinctTensor([2, 3, 4], 21)], (x) => max(x, 2));
  });

  it('matrix products and shape ops', () => {
    gradientCheck('matmul', [randomTensor([3, 4], 30), randomTensor([4, 5], 31)], (x, y) => matmul(x, y));
    gradientCheck('matmul Aᵀ', [randomTensor([4, 3], 32), randomTensor([4, 5], 33)], (x, y) => matmul(x, y, true, false));
    gradientCheck('matmul Bᵀ', [randomTensor([3, 4], 34), randomTensor([5, 4], 35)], (x, y) => matmul(x, y, false, true));
    gradientCheck('matmul AᵀBᵀ', [randomTensor([4, 3], 36), randomTensor([5, 4], 37)], (x, y) => matmul(x, y, true, true));
    gradientCheck('batched matmul Bᵀ', [randomTensor([2, 3, 4], 38), randomTensor([2, 5, 4], 39)], (x, y) => matmul(x, y, false, true));
    gradientCheck('linear', [randomTensor([5, 6], 40), randomTensor([6, 3], 41), randomTensor([3], 42)], linear);
    gradientCheck('linear (blocked path, 9 x 300 x 7)', [randomTensor([9, 300], 43), randomTensor([300, 7], 44), randomTensor([7], 45)], linear, 12);
    const a = randomTensor([2, 3, 4], 46);
    gradientCheck('reshape', [a], (x) => mul(reshape(x, [6, 4]), randomTensor([4], 47).detach()));
    gradientCheck('transpose', [a], (x) => transpose(x, [2, 0, 1]));
    gradientCheck('concat', [a, randomTensor([2, 2, 4], 48)], (x, y) => concat([x, y], 1));
    gradientCheck('slice', [a], (x) => slice(x, 2, 1, 3));
  });

  it('softmax family and losses', () => {
    const logits = randomTensor([4, 5], 50, { low: -2, high: 2 });
    gradientCheck('softmax', [logits], softmax);
    gradientCheck('logSoftmax', [logits], logSoftmax);
    gradientCheck('softmaxCrossEntropy', [logits], (x) => softmaxCrossEntropy(x, Int32Array.of(0, 3, 4, 1)));
    gradientCheck('weighted softmaxCrossEntropy', [logits], (x) => softmaxCrossEntropy(x, Int32Array.of(0, 3, 4, 1), Float32Array.of(1, 0, 2, 1)));
    gradientCheck('mse', [randomTensor([3, 4], 51), randomTensor([3, 4], 52)], mse);
    gradientCheck('huber (both regions)', [randomTensor([3, 4], 53, { low: -2.5, high: 2.5 }), randomTensor([3, 4], 54)], (x, y) => huber(x, y, 0.7));
  });

  it('embedding, dropout, layer norm, batch norm', () => {
    const table = randomTensor([5, 3], 60);
    gradientCheck('embedding', [table], (t) => embedding(t, Int32Array.of(4, 0, 4, 2), [2, 2]));
    const a = randomTensor([3, 6], 61);
    gradientCheck('dropout (fixed mask)', [a], (x) => dropout(x, 0.3, createRandom(5), true));
    gradientCheck('layerNorm', [a, randomTensor([6], 62), randomTensor([6], 63)], (x, g, b) => layerNorm(x, g, b));
    const state = () => ({ runningMean: new Float32Array(3), runningVariance: new Float32Array(3).fill(1), momentum: 0.1 });
    gradientCheck('batchNorm train [N, C, L]', [randomTensor([4, 3, 5], 64), randomTensor([3], 65), randomTensor([3], 66)], (x, g, b) => batchNorm(x, g, b, state(), true));
    gradientCheck('batchNorm eval [N, C]', [randomTensor([4, 3], 67), randomTensor([3], 68), randomTensor([3], 69)], (x, g, b) => batchNorm(x, g, b, { ...state(), runningMean: Float32Array.of(0.1, -0.2, 0.3) }, false));
  });

  it('convolutions and pooling', () => {
    gradientCheck('conv1d', [randomTensor([2, 3, 11], 70), randomTensor([4, 3, 3], 71), randomTensor([4], 72)], (x, w, b) => conv1d(x, w, b));
    gradientCheck('conv1d stride 1 padding 3 (kernel wider than padding)', [randomTensor([2, 2, 6], 84), randomTensor([3, 2, 5], 85), randomTensor([3], 86)], (x, w, b) => conv1d(x, w, b, { padding: 3 }));
    gradientCheck('conv2d stride 1 padding 2', [randomTensor([1, 2, 4, 5], 87), randomTensor([2, 2, 3, 3], 88)], (x, w) => conv2d(x, w, undefined, { padding: 2 }));
    gradientCheck('conv1d stride 2 padding 2', [randomTensor([2, 2, 9], 73), randomTensor([3, 2, 4], 74), randomTensor([3], 75)], (x, w, b) => conv1d(x, w, b, { stride: 2, padding: 2 }));
    gradientCheck('conv2d', [randomTensor([2, 2, 5, 6], 76), randomTensor([3, 2, 3, 2], 77), randomTensor([3], 78)], (x, w, b) => conv2d(x, w, b, { stride: [1, 2], padding: 1 }));
    gradientCheck('maxPool1d', [distinctTensor([2, 3, 8], 79)], (x) => maxPool1d(x, 3));
    // Fused ReLU → max pool: values shifted by 0.05 so no window maximum sits within ε of the kink at 0.
    const shifted = (): Tensor => {
      const t = distinctTensor([2, 3, 8], 84);
      for (let i = 0; i < t.data.length; i++) t.data[i] = (t.data[i] as number) + 0.05;
      return t;
    };
    gradientCheck('reluMaxPool1d', [shifted()], (x) => reluMaxPool1d(x, 3));
    // ... and equals maxPool1d(relu(x)) exactly, in values and gradients.
    const a = shifted();
    const b = shifted();
    const seed = Float32Array.from({ length: 2 * 3 * 2 }, (_v, i) => Math.cos(i));
    const fused = reluMaxPool1d(a, 3);
    const separate = maxPool1d(relu(b), 3);
    expect(Array.from(fused.data)).toEqual(Array.from(separate.data));
    backward(fused, seed);
    backward(separate, seed);
    expect(Array.from(a.grad as Float32Array)).toEqual(Array.from(b.grad as Float32Array));
    gradientCheck('avgPool1d', [randomTensor([2, 3, 8], 80)], (x) => avgPool1d(x, 4));
    gradientCheck('maxPool2d', [distinctTensor([1, 2, 4, 6], 81)], (x) => maxPool2d(x, 2));
    gradientCheck('avgPool2d', [randomTensor([1, 2, 4, 6], 82)], (x) => avgPool2d(x, 2));
    gradientCheck('globalAvgPool', [randomTensor([2, 3, 7], 83)], globalAvgPool);
    // The fused ReLU → global average pool, away from the kink, and equal to the two ops.
    gradientCheck('reluGlobalAvgPool', [shifted()], reluGlobalAvgPool);
    const c = shifted();
    const d = shifted();
    const gapSeed = Float32Array.from({ length: 2 * 3 }, (_v, i) => Math.sin(i) + 0.3);
    const fusedGap = reluGlobalAvgPool(c);
    const separateGap = globalAvgPool(relu(d));
    expect(Array.from(fusedGap.data)).toEqual(Array.from(separateGap.data));
    backward(fusedGap, gapSeed);
    backward(separateGap, gapSeed);
    expect(Array.from(c.grad as Float32Array)).toEqual(Array.from(d.grad as Float32Array));
  });

  it('recurrent sequences (LSTM, GRU)', () => {
    const x = randomTensor([2, 5, 3], 90);
    gradientCheck('lstm', [x, randomTensor([3, 16], 91), randomTensor([4, 16], 92), randomTensor([16], 93)], lstm);
    gradientCheck('gru', [x, randomTensor([3, 12], 94), randomTensor([4, 12], 95), randomTensor([12], 96), randomTensor([12], 97)], gru);
  });

  it('layers composed of the ops: multi-head attention (input and every projection), LSTM/GRU layers', () => {
    const attention = new MultiHeadAttention(8, 2, { random: createRandom(100) });
    const queries = randomTensor([2, 3, 8], 101);
    const keys = randomTensor([2, 4, 8], 102);
    const [qw, kw, vw, ow] = [attention.query.weight, attention.key.weight, attention.value.weight, attention.output.weight];
    gradientCheck('multi-head attention', [queries, keys, qw, kw, vw, ow], (q, k) => attention.attend(q as Tensor, k as Tensor), 12);
    const layer = new LSTM(3, 4, { random: createRandom(103) });
    gradientCheck('LSTM layer (last step)', [randomTensor([2, 4, 3], 104), layer.inputWeight, layer.recurrentWeight], (x) => layer.forward(x as Tensor), 12);
    const gruLayer = new GRU(3, 4, { random: createRandom(105), returnSequences: true });
    gradientCheck('GRU layer (sequences)', [randomTensor([2, 4, 3], 106), gruLayer.recurrentBias], (x) => gruLayer.forward(x as Tensor), 12);
  });

  it('backward accumulates through shared subexpressions', () => {
    const a = Tensor.from([1, 2, 3], [3], { requiresGrad: true });
    const y = sum(mul(a, a));
    backward(y);
    expect(Array.from(a.grad ?? [])).toEqual([2, 4, 6]);
  });
});
