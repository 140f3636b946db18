import { describe, expect, it } from 'vitest';
import { rfft } from './real-fft.ts';
import { detrendSegment, forEachSegmentSpectrum, planSegments, welch, type SegmentPlan } from './welch.ts';
import { setWasmFftEnabled, wasmFftAvailable } from './wasm-fft.ts';

/** Seeded test signal (LCG noise plus a sine and an offset). */
function signal(n: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    x[i] = 3 + Math.sin(0.2 * i) + state / 2 ** 32 - 0.5;
  }
  return x;
}

/** The reference: each segment detrended, windowed and zero-padded through its own real FFT. */
function segmentSpectra(x: ArrayLike<number>, plan: SegmentPlan): Array<{ re: Float64Array; im: Float64Array }> {
  const out: Array<{ re: Float64Array; im: Float64Array }> = [];
  for (let s = 0; s < plan.segmentCount; s++) {
    const segment = Float64Array.from({ length: plan.nperseg }, (_, i) => x[s * plan.step + i] as number);
    detrendSegment(segment, plan.nperseg, plan.detrend);
    for (let i = 0; i < plan.nperseg; i++) segment[i] = (segment[i] as number) * (plan.window[i] as number);
    out.push(rfft(segment, plan.nfft));
  }
  return out;
}

describe('welch fast paths (two segments per complex FFT, typed packing): segmentPowerSum and forEachSegmentSpectrum', () => {
  it.each([true, false])('equals the per-segment real-FFT sum (rel 1e-12) for float32/float64, odd/even segment counts, any overlap, zero padding, linear detrend; the segment spectra themselves too (1e-12 of the peak); WebAssembly SIMD FFT: %s (else fft.js)', (wasm) => {
    const previous = setWasmFftEnabled(wasm);
    try {
      expect(wasmFftAvailable()).toBe(wasm);
      checkPaired();
    } finally {
      setWasmFftEnabled(previous);
    }
  });

  function checkPaired(): void {
    const cases = [
      { n: 4000, nperseg: 256, noverlap: 128, nfft: 256 },
      { n: 4100, nperseg: 256, noverlap: 128, nfft: 256 },
      { n: 3000, nperseg: 200, noverlap: 50, nfft: 256 },
      { n: 3000, nperseg: 128, noverlap: 0, nfft: 512 },
      { n: 5000, nperseg: 64, noverlap: 32, nfft: 64 },
      { n: 3001, nperseg: 100, noverlap: 30, nfft: 128, detrend: 'linear' as const },
    ];
    for (const [c, options] of cases.entries()) {
      const x64 = signal(options.n, 7 + c);
      for (const x of [x64, Float32Array.from(x64)]) {
        const plan = planSegments(x.length, { ...options, window: 'hamming' });
        const bins = options.nfft / 2 + 1;
        const sum = new Float64Array(bins);
        const reference = segmentSpectra(x, plan);
        for (const { re, im } of reference) {
          for (let k = 0; k < bins; k++) sum[k] = (sum[k] as number) + (re[k] as number) ** 2 + (im[k] as number) ** 2;
        }
        // forEachSegmentSpectrum (two segments per complex FFT on the WebAssembly kernel) gives the same spectra.
        let peak = 0;
        for (const { re, im } of reference) for (let k = 0; k < bins; k++) peak = Math.max(peak, Math.abs(re[k] as number), Math.abs(im[k] as number));
        let visited = 0;
        let worst = 0;
        forEachSegmentSpectrum(x, plan, (s, re, im) => {
          visited++;
          const expected = reference[s]!;
          for (let k = 0; k < bins; k++) {
            worst = Math.max(worst, Math.abs((re[k] as number) - (expected.re[k] as number)), Math.abs((im[k] as number) - (expected.im[k] as number)));
          }
        });
        expect(visited).toBe(plan.segmentCount);
        expect(worst).toBeLessThanOrEqual(1e-12 * peak);
        const { power } = welch(x, 100, { ...options, window: 'hamming', scaling: 'spectrum' });
        let s2 = 0;
        for (const v of plan.window) s2 += v;
        for (let k = 0; k < bins; k++) {
          const expected = ((sum[k] as number) / (s2 * s2) / plan.segmentCount) * (k === 0 || k === bins - 1 ? 1 : 2);
          expect(Math.abs((power[k] as number) - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected) + 1e-300);
        }
      }
    }
  }
});
