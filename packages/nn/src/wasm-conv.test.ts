import { createRandom } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { conv1d, conv1dReluMaxPool } from './conv.ts';
import { maxPool1d, reluMaxPool1d } from './pool.ts';
import { setGemmBackend } from './kernels.ts';
import { Tensor, backward } from './tensor.ts';
import { createWasmGemm, gemmModuleBytes } from './wasm-gemm.ts';
import { poolModuleBytes } from './wasm-pool.ts';

const backend = createWasmGemm(1);

/** Values, input, weight and bias gradients of `op` with the JS path (no backend) and with the wasm one. */
function bothPaths(inputs: Tensor[], op: () => Tensor): [Float32Array[], Float32Array[]] {
  const run = (): Float32Array[] => {
    for (const t of inputs) t.zeroGrad();
    const y = op();
    backward(y, Float32Array.from({ length: y.size }, (_v, i) => Math.sin(i) + 0.5));
    return [y.data.slice(), ...inputs.map((t) => (t.grad as Float32Array).slice())];
  };
  const previous = setGemmBackend(null);
  const plain = run();
  setGemmBackend(backend);
  const fast = run();
  setGemmBackend(previous);
  return [plain, fast];
}

/**
 * Criteria: the direct WebAssembly SIMD conv1d (stride 1) equals the im2col + JS path to 5e-5
 * (float32 sums of ≤ 231 terms) in values and all three gradients, on odd shapes with and
 * without padding; the SIMD max-pool-4 equals the JS loop exactly (values, first-maximum
 * indices under many ties, gradients, with and without an existing input gradient).
 */
describe('WebAssembly SIMD conv1d and max pool', () => {
  it('are valid modules', () => {
    expect(WebAssembly.validate(gemmModuleBytes())).toBe(true);
    expect(WebAssembly.validate(poolModuleBytes())).toBe(true);
    expect(backend).not.toBeNull();
  });

  it('conv1d matches the im2col path', () => {
    const random = createRandom(11);
    const make = (shape: number[]): Tensor => new Tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => random.uniformRange(-1, 1)), shape, { requiresGrad: true });
    for (const [n, c, l, f, k, p] of [[2, 3, 11, 4, 3, 0], [2, 2, 6, 3, 5, 3], [3, 1, 50, 16, 7, 0], [2, 16, 40, 32, 7, 3], [1, 5, 9, 7, 9, 0], [2, 33, 21, 65, 2, 1]] as Array<[number, number, number, number, number, number]>) {
      const x = make([n, c, l]);
      const w = make([f, c, k]);
      const b = make([f]);
      // Second round: gradients added on top of existing ones (not the fresh-gradient fast path).
      const [plain, fast] = bothPaths([x, w, b], () => conv1d(x, w, b, { padding: p }));
      const [plain2, fast2] = bothPaths([x, w, b], () => {
        x.ensureGrad().fill(0.5);
        return conv1d(x, w, b, { padding: p });
      });
      plain.push(...plain2);
      fast.push(...fast2);
      for (let t = 0; t < plain.length; t++) {
        const a = plain[t] as Float32Array;
        const d = fast[t] as Float32Array;
        expect(d.length).toBe(a.length);
        for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (d[i] as number))).toBeLessThan(5e-5);
      }
    }
  });

  it('the fused conv1d → ReLU → max pool 4 equals the three operations exactly, and the JS path closely', () => {
    const random = createRandom(13);
    const make = (shape: number[]): Tensor => new Tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => random.uniformRange(-1, 1)), shape, { requiresGrad: true });
    for (const [n, c, l, f, k, p] of [[2, 3, 17, 4, 3, 0], [2, 2, 10, 3, 5, 3], [3, 1, 50, 16, 7, 0], [2, 16, 41, 32, 7, 3], [1, 5, 12, 7, 9, 0]] as Array<[number, number, number, number, number, number]>) {
      const x = make([n, c, l]);
      const w = make([f, c, k]);
      const b = make([f]);
      const previous = setGemmBackend(backend);
      const run = (op: () => Tensor): Float32Array[] => {
        for (const t of [x, w, b]) t.zeroGrad();
        const y = op();
        backward(y, Float32Array.from({ length: y.size }, (_v, i) => Math.cos(i) + 0.25));
        return [y.data.slice(), ...[x, w, b].map((t) => (t.grad as Float32Array).slice())];
      };
      const fused = run(() => conv1dReluMaxPool(x, w, b, { padding: p }));
      const separate = run(() => reluMaxPool1d(conv1d(x, w, b, { padding: p }), 4));
      setGemmBackend(null);
      const plain = run(() => reluMaxPool1d(conv1d(x, w, b, { padding: p }), 4));
      setGemmBackend(previous);
      for (let t = 0; t < 4; t++) {
        expect(Array.from(fused[t] as Float32Array)).toEqual(Array.from(separate[t] as Float32Array));
        const a = plain[t] as Float32Array;
        for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - ((fused[t] as Float32Array)[i] as number))).toBeLessThan(5e-5);
      }
    }
  });

  it('max pool (plain and fused with ReLU) matches the JS loop exactly', () => {
    const random = createRandom(12);
    for (const [n, c, l] of [[1, 1, 4], [2, 3, 11], [3, 5, 16], [2, 7, 33], [1, 1, 5]] as Array<[number, number, number]>) {
      for (const pool of [maxPool1d, reluMaxPool1d]) {
        for (const existing of [false, true]) {
          // Values on a 1/8 grid: many ties, so "first maximum" matters.
          const x = new Tensor(Float32Array.from({ length: n * c * l }, () => Math.round(random.uniformRange(-8, 8)) / 8), [n, c, l], { requiresGrad: true });
          const op = (): Tensor => {
            if (existing) x.ensureGrad().fill(0.25);
            return pool(x, 4);
          };
          const [plain, fast] = bothPaths([x], op);
          expect(Array.from(fast[0] as Float32Array)).toEqual(Array.from(plain[0] as Float32Array));
          expect(Array.from(fast[1] as Float32Array)).toEqual(Array.from(plain[1] as Float32Array));
        }
      }
    }
  });
});
