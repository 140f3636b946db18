import { createRandom } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { setGemmBackend } from './kernels.ts';
import { Adam, AdamW } from './optim.ts';
import { Tensor } from './tensor.ts';
import { adamModuleBytes } from './wasm-adam.ts';
import { createWasmGemm } from './wasm-gemm.ts';

/**
 * Criterion: the WebAssembly SIMD Adam/AdamW update (float32) follows the JavaScript one
 * (float64) to 1e-6 over 20 steps on parameters of odd sizes (tails shorter than 4 lanes), with
 * L2 or decoupled weight decay.
 */
describe('WebAssembly SIMD Adam', () => {
  it('is a valid module', () => {
    expect(WebAssembly.validate(adamModuleBytes())).toBe(true);
  });

  it('matches the JavaScript update', () => {
    const backend = createWasmGemm();
    if (!backend) throw new Error('no WebAssembly SIMD');
    for (const [Optimizer, decay] of [[Adam, 0.01], [AdamW, 0.05]] as const) {
      const random = createRandom(3);
      const initial = [7, 1, 33].map((n) => Float32Array.from({ length: n }, () => random.uniformRange(-1, 1)));
      const run = (wasm: boolean): Float32Array[] => {
        const previous = setGemmBackend(wasm ? backend : null);
        const params = initial.map((d) => new Tensor(d.slice(), [d.length], { requiresGrad: true }));
        const optimizer = new Optimizer(params, { learningRate: 0.01, weightDecay: decay });
        setGemmBackend(previous);
        const gradients = createRandom(8);
        for (let step = 0; step < 20; step++) {
          for (const p of params) p.ensureGrad().set(Float32Array.from({ length: p.size }, () => gradients.uniformRange(-1, 1)));
          optimizer.step();
        }
        return params.map((p) => p.data);
      };
      const js = run(false);
      const simd = run(true);
      for (let t = 0; t < js.length; t++) for (let i = 0; i < (js[t] as Float32Array).length; i++) expect(Math.abs((js[t] as Float32Array)[i]! - (simd[t] as Float32Array)[i]!)).toBeLessThan(1e-6);
    }
  });

  it('updates a parameter whose data was replaced after construction (copied in and out)', () => {
    const backend = createWasmGemm();
    if (!backend) throw new Error('no WebAssembly SIMD');
    const run = (wasm: boolean): Float32Array => {
      const previous = setGemmBackend(wasm ? backend : null);
      const param = new Tensor(Float32Array.from({ length: 9 }, (_, i) => i / 9 - 0.5), [9], { requiresGrad: true });
      const optimizer = new Adam([param], { learningRate: 0.01 });
      setGemmBackend(previous);
      param.data = param.data.slice(); // no longer the kernel's resident copy
      const gradients = createRandom(5);
      for (let step = 0; step < 10; step++) {
        param.ensureGrad().set(Float32Array.from({ length: 9 }, () => gradients.uniformRange(-1, 1)));
        optimizer.step();
      }
      return param.data;
    };
    const js = run(false);
    const simd = run(true);
    for (let i = 0; i < js.length; i++) expect(Math.abs(js[i]! - simd[i]!)).toBeLessThan(1e-6);
  });
});
