import { planComplexFft } from './fft.ts';
import type { Samples } from './filter.ts';

/**
 * The analytic signal (scipy.signal.hilbert): x + i H{x}, computed with one FFT of the whole
 * signal (any length), so envelope and phase match SciPy's to rounding.
 */
export interface AnalyticSignal {
  re: Float64Array;
  im: Float64Array;
}

/**
 * scipy.signal.hilbert(x): analytic signal by zeroing negative frequencies.
 *
 * @example
 *   const { re, im } = hilbert(alphaBandSamples);
 */
export function hilbert(x: Samples): AnalyticSignal {
  const n = x.length;
  const re = Float64Array.from(x);
  const im = new Float64Array(n);
  if (n === 0) return { re, im };
  const plan = planComplexFft(n);
  plan.transform(re, im);
  // h = [1, 2, ..., 2, (1 at n/2 if even), 0, ...]
  const half = n % 2 === 0 ? n / 2 : (n + 1) / 2;
  for (let k = 1; k < half; k++) {
    re[k] *= 2;
    im[k] *= 2;
  }
  const zeroFrom = n % 2 === 0 ? n / 2 + 1 : half;
  for (let k = zeroFrom; k < n; k++) {
    re[k] = 0;
    im[k] = 0;
  }
  plan.transform(re, im, true);
  return { re, im };
}

/** Instantaneous amplitude |analytic signal| (units of x). */
export function envelope(x: Samples): Float64Array {
  const { re, im } = hilbert(x);
  const out = new Float64Array(x.length);
  for (let t = 0; t < out.length; t++) out[t] = Math.hypot(re[t], im[t]);
  return out;
}

/** Instantaneous phase angle(analytic signal) in radians, (-pi, pi]. */
export function instantaneousPhase(x: Samples): Float64Array {
  const { re, im } = hilbert(x);
  const out = new Float64Array(x.length);
  for (let t = 0; t < out.length; t++) out[t] = Math.atan2(im[t], re[t]);
  return out;
}
