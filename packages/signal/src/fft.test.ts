import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '@cajal/core';
import { createRadix2Fft, fft } from './fft.ts';
import { irfft, planInterleavedRealFft, rfft } from './real-fft.ts';
import { setWasmFftEnabled, wasmFftAvailable } from './wasm-fft.ts';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      re[k] += x[t] * Math.cos(a);
      im[k] += x[t] * Math.sin(a);
    }
  }
  return { re, im };
}

describe.each([true, false])('FFT (WebAssembly SIMD kernel or fft.js for powers of two; hand-written Bluestein, real twist and radix-2); WebAssembly: %s', (wasm) => {
  let previous = true;
  beforeAll(() => {
    previous = setWasmFftEnabled(wasm);
  });
  afterAll(() => {
    setWasmFftEnabled(previous);
  });
  it('runs the path asked for', () => expect(wasmFftAvailable()).toBe(wasm));

  // Criterion: small, odd, prime-ish and power-of-two lengths agree with a direct O(n^2) DFT to 1e-9 relative.
  it.each([1, 2, 3, 4, 5, 7, 8, 12, 16, 31, 45, 64, 100, 128, 200, 256, 375, 400, 512, 661])('rfft and irfft of length %i match a direct DFT', (n) => {
    const random = createRandom(n);
    const x = Float64Array.from({ length: n }, () => random.normal());
    const expected = naiveDft(x);
    const { re, im } = rfft(x);
    let scale = 1;
    for (let k = 0; k < n; k++) scale = Math.max(scale, Math.abs(expected.re[k]), Math.abs(expected.im[k]));
    for (let k = 0; k < re.length; k++) {
      expect(Math.abs(re[k] - expected.re[k])).toBeLessThan(1e-10 * scale);
      expect(Math.abs(im[k] - expected.im[k])).toBeLessThan(1e-10 * scale);
    }
    const back = irfft(re, im, n);
    for (let t = 0; t < n; t++) expect(Math.abs(back[t] - x[t])).toBeLessThan(1e-10 * scale);
    const full = fft(x);
    for (let k = 0; k < n; k++) expect(Math.abs(full.re[k] - expected.re[k])).toBeLessThan(1e-10 * scale);
    const inverse = fft(full.re, full.im, true);
    for (let t = 0; t < n; t++) expect(Math.abs(inverse.re[t] - x[t])).toBeLessThan(1e-10 * scale);
  });

  it.each([8, 16, 512, 4096])('the interleaved real FFT and the hand-written radix-2 of length %i match a direct DFT', (n) => {
    const random = createRandom(n + 1);
    const x = Float64Array.from({ length: n }, () => random.normal());
    const expected = naiveDft(x);
    let scale = 1;
    for (let k = 0; k < n; k++) scale = Math.max(scale, Math.abs(expected.re[k]), Math.abs(expected.im[k]));
    const plan = planInterleavedRealFft(n);
    const spectrum = plan.createSpectrum();
    plan.forward(x, spectrum);
    for (let k = 0; k <= n / 2; k++) {
      expect(Math.abs(spectrum[2 * k] - expected.re[k])).toBeLessThan(1e-10 * scale);
      expect(Math.abs(spectrum[2 * k + 1] - expected.im[k])).toBeLessThan(1e-10 * scale);
    }
    const back = new Float64Array(n);
    plan.inverse(spectrum, back);
    for (let t = 0; t < n; t++) expect(Math.abs(back[t] - x[t])).toBeLessThan(1e-10 * scale);
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    createRadix2Fft(n).transform(re, im);
    for (let k = 0; k < n; k++) expect(Math.abs(re[k] - expected.re[k]) + Math.abs(im[k] - expected.im[k])).toBeLessThan(1e-10 * scale);
  });
});
