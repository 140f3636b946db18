import { describe, expect, it } from 'vitest';
import { createRandom } from '@cajal/core';
import { bitReversal, createWasmFft, fftModuleBytes, setWasmFftEnabled, wasmFftAvailable } from './wasm-fft.ts';

/** Direct O(n^2) DFT of interleaved complex data. */
function directDft(x: Float64Array): Float64Array {
  const n = x.length / 2;
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      re += x[2 * t]! * c - x[2 * t + 1]! * s;
      im += x[2 * t]! * s + x[2 * t + 1]! * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

const peak = (x: Float64Array): number => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('WebAssembly SIMD FFT (hand-emitted radix-4 DIF / DIT)', () => {
  it('is a valid module and the engine runs it (Node 20 has WebAssembly SIMD)', () => {
    expect(WebAssembly.validate(fftModuleBytes())).toBe(true);
    expect(wasmFftAvailable()).toBe(true);
  });

  // Criterion: every size from 2 to 4096 (odd and even powers of two, so both final stages) agrees
  // with a direct DFT to 1e-12 of the spectrum's peak.
  it.each([2, 4, 8, 16, 32, 64, 128, 512, 1024, 4096])('dif (bit-reversed out) and dit (bit-reversed in) of size %i equal a direct DFT', (n) => {
    const random = createRandom(n);
    const x = Float64Array.from({ length: 2 * n }, () => random.normal());
    const expected = directDft(x);
    const tolerance = 1e-12 * peak(expected);
    const kernel = createWasmFft(n);
    if (!kernel) throw new Error('no WebAssembly SIMD');
    const reversed = bitReversal(n);
    kernel.data.set(x);
    kernel.dif();
    for (let k = 0; k < n; k++) {
      const r = reversed[k]!;
      expect(Math.abs(kernel.data[2 * r]! - expected[2 * k]!)).toBeLessThan(tolerance);
      expect(Math.abs(kernel.data[2 * r + 1]! - expected[2 * k + 1]!)).toBeLessThan(tolerance);
    }
    for (let t = 0; t < n; t++) {
      kernel.data[2 * reversed[t]!] = x[2 * t]!;
      kernel.data[2 * reversed[t]! + 1] = x[2 * t + 1]!;
    }
    kernel.dit();
    for (let k = 0; k < 2 * n; k++) expect(Math.abs(kernel.data[k]! - expected[k]!)).toBeLessThan(tolerance);
  });

  it('filter() is a circular convolution by a real gain (n y[-p mod n] at p), and addPower sums squares per position (rel 1e-12)', () => {
    const n = 256;
    const random = createRandom(3);
    const x = Float64Array.from({ length: 2 * n }, () => random.normal());
    const kernel = createWasmFft(n, { gain: true, power: true });
    if (!kernel) throw new Error('no WebAssembly SIMD');
    const gain = Float64Array.from({ length: n }, (_, k) => 1 / (1 + Math.min(k, n - k)));
    const reversed = bitReversal(n);
    for (let k = 0; k < n; k++) kernel.gain[k] = gain[reversed[k]!]!;
    // Expected: forward DFT, gain, forward DFT again.
    const spectrum = directDft(x);
    for (let k = 0; k < n; k++) {
      spectrum[2 * k] *= gain[k]!;
      spectrum[2 * k + 1] *= gain[k]!;
    }
    const expected = directDft(spectrum);
    kernel.data.set(x);
    kernel.filter();
    const tolerance = 1e-12 * peak(expected);
    for (let k = 0; k < 2 * n; k++) expect(Math.abs(kernel.data[k]! - expected[k]!)).toBeLessThan(tolerance);
    kernel.power.fill(0);
    kernel.addPower();
    kernel.addPower();
    for (let k = 0; k < 2 * n; k++) expect(kernel.power[k]).toBeCloseTo(2 * kernel.data[k]! ** 2, 12);
  });

  it('packPair32 interleaves two float32 channels into the data, unpackPair32 reads it back reversed into two float32 channels (exact)', () => {
    const n = 64;
    const kernel = createWasmFft(n, { pair32: true });
    if (!kernel) throw new Error('no WebAssembly SIMD');
    kernel.data.fill(-1);
    for (let i = 0; i < n; i++) {
      kernel.pairIn[0][i] = i + 0.5;
      kernel.pairIn[1][i] = -i - 0.25;
    }
    kernel.packPair32(5, 10);
    for (let i = 0; i < 10; i++) {
      expect(kernel.data[2 * (5 + i)]).toBe(i + 0.5);
      expect(kernel.data[2 * (5 + i) + 1]).toBe(-i - 0.25);
    }
    expect(kernel.data[9]).toBe(-1);
    expect(() => kernel.packPair32(60, 2)).toThrow();
    kernel.data.forEach((_, i) => (kernel.data[i] = i));
    for (const [first, count] of [[20, 7], [20, 21], [63, 64], [9, 10], [0, 1]] as Array<[number, number]>) {
      kernel.unpackPair32(first, count);
      for (let t = 0; t < count; t++) {
        expect(kernel.pairOut[0][t]).toBe(2 * (first - t));
        expect(kernel.pairOut[1][t]).toBe(2 * (first - t) + 1);
      }
    }
    expect(() => kernel.unpackPair32(5, 7)).toThrow();
  });

  it('can be switched off (callers then fall back to fft.js)', () => {
    const previous = setWasmFftEnabled(false);
    try {
      expect(wasmFftAvailable()).toBe(false);
      expect(createWasmFft(64)).toBeNull();
    } finally {
      setWasmFftEnabled(previous);
    }
    expect(createWasmFft(64)).not.toBeNull();
    expect(createWasmFft(48)).toBeNull();
  });
});
