import type { Random } from '@cajal/core';
import { createRandom } from '@cajal/core';
import { softmax } from './functional.ts';
import { glorotUniform, orthogonal } from './init.ts';
import { Dense } from './layers.ts';
import { matmul, reshape, slice, transpose } from './linalg.ts';
import { Module } from './module.ts';
import { scale } from './ops.ts';
import { gru, lstm } from './recurrent.ts';
import { Tensor, check } from './tensor.ts';

/**
 * Recurrent layers and multi-head attention.
 *
 * @example
 *   const cell = new LSTM(16, 64, { random: createRandom(3) });
 *   const last = cell.forward(x);                  // x [B, T, 16] → [B, 64]
 *   const attention = new MultiHeadAttention(32, 4);
 *   const y = attention.attend(query, keys);        // weights in attention.lastWeights
 */
export interface RecurrentOptions {
  random?: Random;
  /** Return every step's hidden state [B, T, H] (true) or only the last [B, H] (default false). */
  returnSequences?: boolean;
}

function lastStep(hs: Tensor, returnSequences: boolean): Tensor {
  if (returnSequences) return hs;
  const [batch, steps, hidden] = hs.shape as [number, number, number];
  return reshape(slice(hs, 1, steps - 1, steps), [batch, hidden]);
}

/** LSTM layer (gates i, f, g, o; Glorot input weights, orthogonal recurrent weights, forget bias 1). */
export class LSTM extends Module {
  readonly inputWeight: Tensor;
  readonly recurrentWeight: Tensor;
  readonly bias: Tensor;
  readonly returnSequences: boolean;
  constructor(readonly inputs: number, readonly hidden: number, options: RecurrentOptions = {}) {
    super();
    const random = options.random ?? createRandom(0);
    this.returnSequences = options.returnSequences ?? false;
    this.inputWeight = this.parameter('input_weight', new Tensor(glorotUniform(inputs, 4 * hidden, random), [inputs, 4 * hidden]));
    const recurrent = new Float32Array(hidden * 4 * hidden);
    for (let g = 0; g < 4; g++) {
      const block = orthogonal(hidden, hidden, random);
      for (let r = 0; r < hidden; r++) recurrent.set(block.subarray(r * hidden, (r + 1) * hidden), r * 4 * hidden + g * hidden);
    }
    this.recurrentWeight = this.parameter('recurrent_weight', new Tensor(recurrent, [hidden, 4 * hidden]));
    const bias = new Float32Array(4 * hidden);
    bias.fill(1, hidden, 2 * hidden);
    this.bias = this.parameter('bias', new Tensor(bias, [4 * hidden]));
  }
  /** Hidden states of every step [B, T, H]. */
  sequence(x: Tensor): Tensor {
    return lstm(x, this.inputWeight, this.recurrentWeight, this.bias);
  }
  forward(x: Tensor): Tensor {
    return lastStep(this.sequence(x), this.returnSequences);
  }
}

/** GRU layer (gates r, z, n with the reset applied after the recurrent product). */
export class GRU extends Module {
  readonly inputWeight: Tensor;
  readonly recurrentWeight: Tensor;
  readonly inputBias: Tensor;
  readonly recurrentBias: Tensor;
  readonly returnSequences: boolean;
  constructor(readonly inputs: number, readonly hidden: number, options: RecurrentOptions = {}) {
    super();
    const random = options.random ?? createRandom(0);
    this.returnSequences = options.returnSequences ?? false;
    this.inputWeight = this.parameter('input_weight', new Tensor(glorotUniform(inputs, 3 * hidden, random), [inputs, 3 * hidden]));
    const recurrent = new Float32Array(hidden * 3 * hidden);
    for (let g = 0; g < 3; g++) {
      const block = orthogonal(hidden, hidden, random);
      for (let r = 0; r < hidden; r++) recurrent.set(block.subarray(r * hidden, (r + 1) * hidden), r * 3 * hidden + g * hidden);
    }
    this.recurrentWeight = this.parameter('recurrent_weight', new Tensor(recurrent, [hidden, 3 * hidden]));
    this.inputBias = this.parameter('input_bias', Tensor.zeros([3 * hidden]));
    this.recurrentBias = this.parameter('recurrent_bias', Tensor.zeros([3 * hidden]));
  }
  /** Hidden states of every step [B, T, H]. */
  sequence(x: Tensor): Tensor {
    return gru(x, this.inputWeight, this.recurrentWeight, this.inputBias, this.recurrentBias);
  }
  forward(x: Tensor): Tensor {
    return lastStep(this.sequence(x), this.returnSequences);
  }
}

/** Attention weights of the last call: `values` laid out [B, heads, Tq, Tk]. */
export interface AttentionWeights {
  values: Float32Array;
  shape: [number, number, number, number];
}

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017) with learned query, key, value
 * and output projections. After each call `lastWeights` holds the softmax weights, so models
 * can report where they attended.
 */
export class MultiHeadAttention extends Module {
  readonly query: Dense;
  readonly key: Dense;
  readonly value: Dense;
  readonly output: Dense;
  readonly headWidth: number;
  lastWeights: AttentionWeights | null = null;
  constructor(readonly width: number, readonly heads: number, options: { random?: Random } = {}) {
    super();
    check(width % heads === 0, 'MultiHeadAttention', `width ${width} is not divisible by ${heads} heads`);
    const random = options.random ?? createRandom(0);
    this.headWidth = width / heads;
    this.query = this.child('query', new Dense(width, width, { random }));
    this.key = this.child('key', new Dense(width, width, { random }));
    this.value = this.child('value', new Dense(width, width, { random }));
    this.output = this.child('output', new Dense(width, width, { random }));
  }

  private split(x: Tensor, projection: Dense): Tensor {
    const [batch, steps] = x.shape as [number, number, number];
    const projected = projection.forward(reshape(x, [batch * steps, this.width]));
    const heads = transpose(reshape(projected, [batch, steps, this.heads, this.headWidth]), [0, 2, 1, 3]);
    return reshape(heads, [batch * this.heads, steps, this.headWidth]);
  }

  /** Queries [B, Tq, D] attend over keys/values [B, Tk, D]; returns [B, Tq, D]. */
  attend(queries: Tensor, keysValues: Tensor): Tensor {
    check(queries.shape.length === 3 && keysValues.shape.length === 3 && queries.shape[2] === this.width && keysValues.shape[2] === this.width, 'MultiHeadAttention', `inputs must be [B, T, ${this.width}]`);
    const [batch, queryCount] = queries.shape as [number, number, number];
    const keyCount = keysValues.shape[1] as number;
    const q = this.split(queries, this.query);
    const k = this.split(keysValues, this.key);
    const v = this.split(keysValues, this.value);
    const weights = softmax(scale(matmul(q, k, false, true), 1 / Math.sqrt(this.headWidth)));
    this.lastWeights = { values: weights.data, shape: [batch, this.heads, queryCount, keyCount] };
    const context = matmul(weights, v); // [B·h, Tq, dk]
    const merged = reshape(transpose(reshape(context, [batch, this.heads, queryCount, this.headWidth]), [0, 2, 1, 3]), [batch * queryCount, this.width]);
    return reshape(this.output.forward(merged), [batch, queryCount, this.width]);
  }

  /** Self-attention over [B, T, D]. */
  forward(x: Tensor): Tensor {
    return this.attend(x, x);
  }
}
