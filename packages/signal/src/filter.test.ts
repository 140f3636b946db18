import { describe, expect, it } from 'vitest';
import { applyFirCascadeZeroPhase, applyFirCascadeZeroPhaseMany, applyFirZeroPhase, applyFirZeroPhasePair, padReflectLimited, prepareFir, prepareFirCascade } from './filter.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';
import { setWasmFftEnabled, wasmFftAvailable } from './wasm-fft.ts';

/** Deterministic test signal: two sines, a drift and LCG noise. */
function signal(n: number, seed = 7): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n }, (_, i) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return 30 * Math.sin(i * 0.21) + 5 * Math.sin(i * 1.23) + 0.01 * i + (state / 2147483648 - 0.5) * 10;
  });
}

/** Direct (time-domain) zero-phase convolution with MNE's padding: the definition. */
function direct(x: Float64Array, h: Float64Array): Float64Array {
  const edge = Math.min(h.length, x.length) - 1;
  const padded = padReflectLimited(x, edge, edge);
  const delay = (h.length - 1) / 2;
  return Float64Array.from({ length: x.length }, (_, i) => {
    let sum = 0;
    // Linear convolution: zero outside the padded signal (matters when the signal is shorter than the filter).
    for (let k = 0; k < h.length; k++) sum += h[k] * (padded[edge + i + delay - k] ?? 0);
    return sum;
  });
}

const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / scale;
};

describe('zero-phase FIR application', () => {
  const h = designFirFilter(256, 1, 40).coefficients;

  it('overlap-add equals direct convolution with reflect_limited padding (rel 1e-12): several FFT sizes, in place, symmetric (real centred spectrum) and asymmetric filters, signal shorter than the filter', () => {
    const x = signal(20000);
    const expected = direct(x, h);
    for (const fftSize of [2048, 4096, 32768]) expect(maxRelative(applyFirZeroPhase(x, prepareFir(h, x.length, fftSize)), expected)).toBeLessThan(1e-12);
    const inPlace = Float64Array.from(x);
    applyFirZeroPhase(inPlace, h, inPlace);
    expect(maxRelative(inPlace, expected)).toBeLessThan(1e-12);
    const asymmetric = Float64Array.from({ length: 31 }, (_, k) => Math.exp(-k / 5) * Math.cos(k));
    expect(prepareFir(asymmetric, x.length).centredSpectrum).toBeNull();
    expect(prepareFir(h, x.length).centredSpectrum).not.toBeNull();
    expect(maxRelative(applyFirZeroPhase(x, asymmetric), direct(x, asymmetric))).toBeLessThan(1e-12);
    const short = signal(300);
    expect(maxRelative(applyFirZeroPhase(short, h), direct(short, h))).toBeLessThan(1e-12);
  });

  it('applyFirCascadeZeroPhase (one pass, combined filter, ends recomputed) equals band-pass then notch stage by stage (rel 1e-12)', () => {
    const notch = designNotchFilter(256, [50]).coefficients;
    for (const n of [30000, 9000, 500]) {
      const x = signal(n, n);
      const sequential = applyFirZeroPhase(applyFirZeroPhase(x, h), notch);
      const cascade = applyFirCascadeZeroPhase(x, [h, notch]);
      expect(maxRelative(cascade, sequential)).toBeLessThan(1e-12);
      const x32 = Float32Array.from(x);
      const out = new Float32Array(n);
      applyFirCascadeZeroPhase(x32, prepareFirCascade([h, notch], n), out);
      expect(maxRelative(out, applyFirZeroPhase(applyFirZeroPhase(x32, h), notch))).toBeLessThan(1e-6);
    }
  });

  it.each([true, false])('two channels per complex FFT (applyFirZeroPhasePair, applyFirCascadeZeroPhaseMany, odd channel split into a pair of halves) equal single-channel filtering (rel 1e-12); WebAssembly SIMD FFT: %s (else fft.js)', (wasm) => {
    const previous = setWasmFftEnabled(wasm);
    try {
      pairedChecks(wasm);
    } finally {
      setWasmFftEnabled(previous);
    }
  });

  function pairedChecks(wasm: boolean): void {
    expect(wasmFftAvailable()).toBe(wasm);
    const notch = designNotchFilter(256, [50]).coefficients;
    const channels = [signal(30000, 1), signal(30000, 2), signal(30000, 3)];
    const [ya, yb] = applyFirZeroPhasePair(channels[0]!, channels[1]!, prepareFir(h, 30000));
    expect(maxRelative(ya, applyFirZeroPhase(channels[0]!, h))).toBeLessThan(1e-12);
    expect(maxRelative(yb, applyFirZeroPhase(channels[1]!, h))).toBeLessThan(1e-12);
    const many = applyFirCascadeZeroPhaseMany(channels, [h, notch]);
    many.forEach((y, c) => expect(maxRelative(y, applyFirZeroPhase(applyFirZeroPhase(channels[c]!, h), notch))).toBeLessThan(1e-12));
    const many32 = applyFirCascadeZeroPhaseMany(channels, [h, notch], { output: 'float32' });
    many32.forEach((y, c) => {
      expect(y).toBeInstanceOf(Float32Array);
      expect(maxRelative(y, many[c]!)).toBeLessThan(1e-6);
    });
    // A lone channel of odd length (its two halves filtered as one pair), float32 in and out.
    const odd = signal(30001, 6);
    const [yOdd] = applyFirCascadeZeroPhaseMany([odd], [h, notch]);
    expect(maxRelative(yOdd!, applyFirZeroPhase(applyFirZeroPhase(odd, h), notch))).toBeLessThan(1e-12);
    const [yOdd32] = applyFirCascadeZeroPhaseMany([Float32Array.from(odd)], [h, notch], { output: 'float32' });
    expect(maxRelative(yOdd32!, yOdd!)).toBeLessThan(1e-6);
    // Lengths that do not fill the last block, and short signals (sequential fallback).
    for (const n of [16383, 20001, 2000]) {
      const x = [signal(n, 4), signal(n, 5)];
      const [p, q] = applyFirZeroPhasePair(x[0]!, x[1]!, prepareFir(h, n, 4096));
      expect(maxRelative(p, applyFirZeroPhase(x[0]!, h))).toBeLessThan(1e-12);
      expect(maxRelative(q, applyFirZeroPhase(x[1]!, h))).toBeLessThan(1e-12);
      // One channel (imaginary part zero), float32 input and output.
      const [single] = applyFirZeroPhasePair(Float32Array.from(x[0]!), null, prepareFir(h, n, 4096), [new Float32Array(n), new Float32Array(0)]);
      expect(maxRelative(single, applyFirZeroPhase(Float32Array.from(x[0]!), h))).toBeLessThan(1e-6);
    }
  }
});
