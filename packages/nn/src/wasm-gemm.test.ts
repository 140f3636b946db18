import { createRandom } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { gemmJs, setGemmBackend } from './kernels.ts';
import { linear } from './linalg.ts';
import { Tensor, backward } from './tensor.ts';
import { KC, NC, createWasmGemm, gemmModuleBytes } from './wasm-gemm.ts';

/** Criterion: the WebAssembly SIMD gemm equals the JavaScript one to 1e-4 (float32 sums of ≤ 300 terms). */
describe('WebAssembly SIMD gemm', () => {
  const backend = createWasmGemm(1);
  it('is a valid module and the engine runs it', () => {
    expect(WebAssembly.validate(gemmModuleBytes())).toBe(true);
    expect(backend).not.toBeNull();
  });

  it('matches the JavaScript kernel on odd shapes, with and without accumulation, at offsets', () => {
    if (!backend) throw new Error('no WebAssembly SIMD');
    const random = createRandom(4);
    for (const [m, k, n] of [[1, 1, 1], [5, 7, 13], [9, 300, 17], [16, 3, 8], [33, 65, 40]] as Array<[number, number, number]>) {
      const a = Float32Array.from({ length: m * k + 3 }, () => random.uniformRange(-1, 1));
      const b = Float32Array.from({ length: k * n + 5 }, () => random.uniformRange(-1, 1));
      for (const accumulate of [false, true]) {
        const c1 = Float32Array.from({ length: m * n + 2 }, () => random.uniformRange(-1, 1));
        const c2 = c1.slice();
        gemmJs(a, 3, b, 5, c1, 2, m, k, n, accumulate);
        backend.gemm(a, 3, b, 5, c2, 2, m, k, n, accumulate);
        for (let i = 0; i < c1.length; i++) expect(Math.abs((c1[i] as number) - (c2[i] as number))).toBeLessThan(1e-4);
        // Transposed operands: Aᵀ·B with A stored k x m, and A·Bᵀ with B stored n x k.
        const aT = new Float32Array(k * m + 3);
        for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[3 + p * m + i] = a[3 + i * k + p] as number;
        const bT = new Float32Array(n * k + 5);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[5 + j * k + p] = b[5 + p * n + j] as number;
        const c3 = c2.slice();
        const c4 = c2.slice();
        const c5 = c2.slice();
        gemmJs(a, 3, b, 5, c3, 2, m, k, n, accumulate);
        backend.gemmTN?.(aT, 3, b, 5, c4, 2, m, k, n, accumulate);
        backend.gemmNT?.(a, 3, bT, 5, c5, 2, m, k, n, accumulate);
        for (let i = 0; i < c3.length; i++) {
          expect(Math.abs((c3[i] as number) - (c4[i] as number))).toBeLessThan(1e-4);
          expect(Math.abs((c3[i] as number) - (c5[i] as number))).toBeLessThan(1e-4);
        }
      }
    }
  });

  it('matches on the cache-blocked path: k and n crossing block edges, odd sizes, padded 256-multiple strides', () => {
    if (!backend) throw new Error('no WebAssembly SIMD');
    const random = createRandom(6);
    // k > KC and n > NC with remainders; 256 and 512 take the padded leading dimension.
    for (const [m, k, n] of [[7, KC + 37, NC + 13], [6, 2 * KC + 1, 256], [256, 512, 9], [5, 256, 2 * NC + 3]] as Array<[number, number, number]>) {
      const a = Float32Array.from({ length: m * k }, () => random.uniformRange(-1, 1));
      const b = Float32Array.from({ length: k * n }, () => random.uniformRange(-1, 1));
      const aT = new Float32Array(k * m);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[p * m + i] = a[i * k + p] as number;
      const bT = new Float32Array(n * k);
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[j * k + p] = b[p * n + j] as number;
      for (const accumulate of [false, true]) {
        const start = Float32Array.from({ length: m * n }, () => random.uniformRange(-1, 1));
        const ref = start.slice();
        gemmJs(a, 0, b, 0, ref, 0, m, k, n, accumulate);
        const outs = [start.slice(), start.slice(), start.slice()];
        backend.gemm(a, 0, b, 0, outs[0]!, 0, m, k, n, accumulate);
        backend.gemmTN?.(aT, 0, b, 0, outs[1]!, 0, m, k, n, accumulate);
        backend.gemmNT?.(a, 0, bT, 0, outs[2]!, 0, m, k, n, accumulate);
        // Sums of up to 513 products of values in [-1, 1]: float32 rounding stays well below 1e-3.
        for (const out of outs) for (let i = 0; i < ref.length; i++) expect(Math.abs((ref[i] as number) - (out[i] as number))).toBeLessThan(1e-3);
      }
    }
  });

  it('gives the same gradients as the JavaScript kernel through linear()', () => {
    const random = createRandom(5);
    const make = (shape: number[]): Tensor => new Tensor(Float32Array.from({ length: shape[0]! * shape[1]! }, () => random.uniformRange(-1, 1)), shape, { requiresGrad: true });
    const x = make([12, 40]);
    const w = make([40, 24]);
    const grads = (): Float32Array[] => {
      x.zeroGrad();
      w.zeroGrad();
      backward(linear(x, w), new Float32Array(12 * 24).fill(0.5));
      return [(x.grad as Float32Array).slice(), (w.grad as Float32Array).slice()];
    };
    const previous = setGemmBackend(null);
    const plain = grads();
    setGemmBackend(backend);
    const fast = grads();
    setGemmBackend(previous);
    for (let t = 0; t < 2; t++) for (let i = 0; i < (plain[t] as Float32Array).length; i++) expect(Math.abs((plain[t] as Float32Array)[i]! - (fast[t] as Float32Array)[i]!)).toBeLessThan(1e-4);
  });
});
