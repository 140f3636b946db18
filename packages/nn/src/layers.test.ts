import { createRandom } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy, mse } from './functional.ts';
import { orthogonal } from './init.ts';
import { BatchNorm, Dense, ReLU, Sequential } from './layers.ts';
import { Adam, AdamW, SGD, clipGradientNorm, cosineSchedule, stepSchedule, warmupSchedule } from './optim.ts';
import { GRU, LSTM, MultiHeadAttention } from './sequence-layers.ts';
import { Tensor, backward } from './tensor.ts';

function xorData(): { x: Tensor; y: Int32Array } {
  const x = Tensor.from([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
  return { x, y: Int32Array.of(0, 1, 1, 0) };
}

describe('layers and optimisers', () => {
  it('an MLP learns XOR with Adam, AdamW and SGD+momentum (criterion: final loss < 0.05)', () => {
    for (const make of [(p: Tensor[]) => new Adam(p, { learningRate: 0.05 }), (p: Tensor[]) => new AdamW(p, { learningRate: 0.05, weightDecay: 1e-4 }), (p: Tensor[]) => new SGD(p, { learningRate: 0.2, momentum: 0.9 })]) {
      const random = createRandom(3);
      const model = new Sequential([new Dense(2, 16, { random, init: 'he-normal' }), new ReLU(), new Dense(16, 2, { random })]);
      const optimizer = make(model.parameters());
      const { x, y } = xorData();
      let loss = Infinity;
      for (let step = 0; step < 300; step++) {
        model.zeroGrad();
        const l = softmaxCrossEntropy(model.forward(x), y);
        backward(l);
        optimizer.step();
        loss = l.item();
      }
      expect(loss).toBeLessThan(0.05);
    }
  });

  it('the same seed gives the same weights and the same training trajectory', () => {
    const run = (): number[] => {
      const random = createRandom(11);
      const model = new Sequential([new Dense(2, 8, { random }), new ReLU(), new Dense(8, 2, { random })]);
      const optimizer = new Adam(model.parameters(), { learningRate: 0.01 });
      const { x, y } = xorData();
      const losses: number[] = [];
      for (let s = 0; s < 5; s++) {
        model.zeroGrad();
        const l = softmaxCrossEntropy(model.forward(x), y);
        backward(l);
        optimizer.step();
        losses.push(l.item());
      }
      return losses;
    };
    expect(run()).toEqual(run());
  });

  it('gradient clipping caps the global norm; schedules follow their formulas', () => {
    const p = Tensor.from([0, 0], [2], { requiresGrad: true });
    p.grad = Float32Array.of(3, 4);
    expect(clipGradientNorm([p], 1)).toBeCloseTo(5, 5);
    expect(Math.hypot(...(p.grad ?? []))).toBeCloseTo(1, 5);
    expect(stepSchedule(1, 10, 0.5)(25)).toBeCloseTo(0.25);
    expect(cosineSchedule(1, 100)(50)).toBeCloseTo(0.5);
    expect(warmupSchedule(10, () => 2)(4)).toBeCloseTo(1);
  });

  it('orthogonal initialiser gives orthonormal columns (|WᵀW − I| < 1e-5)', () => {
    const w = orthogonal(6, 4, createRandom(2));
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
      let dot = 0;
      for (let r = 0; r < 6; r++) dot += (w[r * 4 + a] as number) * (w[r * 4 + b] as number);
      expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-5);
    }
  });

  it('batch norm uses batch statistics in training and running ones in evaluation', () => {
    const bn = new BatchNorm(2, 1);
    const x = Tensor.from([1, 10, 3, 30], [2, 2]);
    const y = bn.forward(x);
    expect(y.data[0]).toBeCloseTo(-1, 3);
    expect(Array.from(bn.runningMean)).toEqual([2, 20]);
    bn.setTraining(false);
    const z = bn.forward(Tensor.from([2, 20], [1, 2]));
    expect(Math.abs(z.data[0] as number)).toBeLessThan(1e-6);
  });

  it('LSTM and GRU layers fit a sequence regression; attention weights are readable and sum to 1', () => {
    for (const Layer of [LSTM, GRU]) {
      const random = createRandom(5);
      const cell = new Layer(1, 8, { random });
      const head = new Dense(8, 1, { random });
      const params = [...cell.parameters(), ...head.parameters()];
      const optimizer = new Adam(params, { learningRate: 0.02 });
      // Target: the first value of a 6-step sequence (needs memory).
      const data = createRandom(6);
      const xs = Float32Array.from({ length: 32 * 6 }, () => data.uniformRange(-1, 1));
      const x = new Tensor(xs, [32, 6, 1]);
      const target = new Tensor(Float32Array.from({ length: 32 }, (_v, b) => xs[b * 6] as number), [32, 1]);
      let loss = Infinity;
      for (let s = 0; s < 200; s++) {
        for (const p of params) p.zeroGrad();
        const l = mse(head.forward(cell.forward(x)), target);
        backward(l);
        optimizer.step();
        loss = l.item();
      }
      expect(loss).toBeLessThan(0.02); // variance of the target is 1/3
    }
    const attention = new MultiHeadAttention(8, 2, { random: createRandom(1) });
    const y = attention.attend(new Tensor(new Float32Array(2 * 1 * 8).fill(0.3), [2, 1, 8]), new Tensor(Float32Array.from({ length: 2 * 3 * 8 }, (_v, i) => Math.sin(i)), [2, 3, 8]));
    expect(y.shape).toEqual([2, 1, 8]);
    const weights = attention.lastWeights;
    expect(weights?.shape).toEqual([2, 2, 1, 3]);
    const w = weights?.values ?? new Float32Array();
    expect((w[0] as number) + (w[1] as number) + (w[2] as number)).toBeCloseTo(1, 5);
  });
});
