import { CajalError } from '@cajal/core';
import { nextPowerOfTwo, planRealFft } from './fft.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';
import type { FirDesignOptions, FirFilter } from './fir.ts';

/**
 * Zero-phase FIR filtering the way MNE-Python applies it: pad each end with len(h)-1 samples
 * of odd reflection ('reflect_limited'), convolve by FFT overlap-add, remove the (len(h)-1)/2
 * delay. Linear convolution is exact, so the result equals MNE's to rounding.
 */

export type Samples = Float32Array | Float64Array;

/** MNE's `_smart_pad` with 'reflect_limited': odd reflection, zeros beyond the signal's length. */
export function padReflectLimited(x: Samples, padLeft: number, padRight: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n + padLeft + padRight);
  const first = x[0];
  const last = x[n - 1];
  // Left: 2*x[0] - x[padLeft..1]; zeros for the part that would reach past the signal.
  const leftZeros = Math.max(padLeft - n + 1, 0);
  for (let i = leftZeros; i < padLeft; i++) out[i] = 2 * first - x[padLeft - i];
  for (let i = 0; i < n; i++) out[padLeft + i] = x[i];
  const rightZeros = Math.max(padRight - n + 1, 0);
  for (let i = 0; i < padRight - rightZeros; i++) out[padLeft + n + i] = 2 * last - x[n - 2 - i];
  return out;
}

/** MNE's FFT-length choice for overlap-add: minimise blocks * N * (log2 N + 1) + 4e-5 * N * n. */
export function chooseOverlapAddSize(signalLength: number, filterLength: number): number {
  const minFft = 2 * filterLength - 1;
  if (signalLength < minFft) return nextPowerOfTwo(minFft);
  let best = nextPowerOfTwo(minFft);
  let bestCost = Infinity;
  for (let n = nextPowerOfTwo(minFft); n <= nextPowerOfTwo(signalLength); n *= 2) {
    const cost = Math.ceil(signalLength / (n - filterLength + 1)) * n * (Math.log2(n) + 1) + 4e-5 * n * signalLength;
    if (cost < bestCost) {
      bestCost = cost;
      best = n;
    }
  }
  return best;
}

/** A filter prepared for repeated overlap-add use: its spectrum at one FFT size. */
export interface PreparedFir {
  coefficients: Float64Array;
  fftSize: number;
  spectrumRe: Float64Array;
  spectrumIm: Float64Array;
}

/** Precompute the filter spectrum for overlap-add on signals of about `signalLength` samples. */
export function prepareFir(coefficients: Float64Array, signalLength: number): PreparedFir {
  const fftSize = chooseOverlapAddSize(signalLength + 2 * (coefficients.length - 1), coefficients.length);
  const plan = planRealFft(fftSize);
  const padded = new Float64Array(fftSize);
  padded.set(coefficients);
  const bins = fftSize / 2 + 1;
  const spectrumRe = new Float64Array(bins);
  const spectrumIm = new Float64Array(bins);
  plan.forward(padded, spectrumRe, spectrumIm);
  return { coefficients, fftSize, spectrumRe, spectrumIm };
}

/**
 * Apply an odd-length FIR filter with zero phase (MNE's phase='zero', pad='reflect_limited')
 * by FFT overlap-add. Returns a new array of the same length (Float64Array unless `output` is given).
 *
 * @example
 *   const y = applyFirZeroPhase(samples, designFirFilter(256, 1, 40).coefficients);
 */
export function applyFirZeroPhase(x: Samples, filter: Float64Array | PreparedFir, output?: Samples): Samples {
  const n = x.length;
  const out = output ?? new Float64Array(n);
  if (n === 0) return out;
  const prepared = filter instanceof Float64Array ? prepareFir(filter, n) : filter;
  const h = prepared.coefficients;
  const taps = h.length;
  if (taps % 2 !== 1) throw new CajalError('INVALID_ARGUMENT', `zero-phase FIR needs an odd number of taps, got ${taps}`, { field: 'filter' });
  const edge = Math.max(Math.min(taps, n) - 1, 0);
  const extended = padReflectLimited(x, edge, edge);
  const delay = (taps - 1) / 2;
  // Output sample i is full-convolution index edge + delay + i.
  const first = edge + delay;
  const nfft = prepared.fftSize;
  const block = nfft - taps + 1;
  const plan = planRealFft(nfft);
  const bins = nfft / 2 + 1;
  const buffer = new Float64Array(nfft);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const hr = prepared.spectrumRe;
  const hi = prepared.spectrumIm;
  const result = new Float64Array(n);
  const totalLength = extended.length;
  for (let start = 0; start < totalLength; start += block) {
    // This block contributes to full-convolution indices [start, start + block + taps - 1).
    if (start + block + taps - 1 <= first) continue;
    if (start >= first + n) break;
    const count = Math.min(block, totalLength - start);
    buffer.fill(0);
    for (let k = 0; k < count; k++) buffer[k] = extended[start + k];
    plan.forward(buffer, re, im);
    for (let k = 0; k < bins; k++) {
      const ar = re[k], ai = im[k];
      re[k] = ar * hr[k] - ai * hi[k];
      im[k] = ar * hi[k] + ai * hr[k];
    }
    plan.inverse(re, im, buffer);
    const lo = Math.max(start, first);
    const hiIndex = Math.min(start + count + taps - 1, first + n);
    for (let t = lo; t < hiIndex; t++) result[t - first] += buffer[t - start];
  }
  out.set(result);
  return out;
}

/** Options of `filterData`: MNE's design options plus where to write. */
export interface FilterDataOptions extends FirDesignOptions {
  /** Write into this array (same length as the input) instead of a new Float64Array. */
  output?: Samples;
}

/**
 * `mne.filter.filter_data(x, sfreq, lFreq, hFreq)` with MNE's defaults (FIR, firwin, Hamming,
 * zero phase, automatic transitions and length, reflect_limited padding) for one channel.
 *
 * @example
 *   const bandPassed = filterData(samples, 256, 1, 40);
 */
export function filterData(samples: Samples, sfreq: number, lFreq: number | null, hFreq: number | null, options: FilterDataOptions = {}): Samples {
  const filter = designFirFilter(sfreq, lFreq, hFreq, options);
  return applyFirZeroPhase(samples, filter.coefficients, options.output);
}

/**
 * MNE's default FIR notch (`mne.filter.notch_filter(x, sfreq, freqs)`): stop bands of width f/200
 * at each frequency (e.g. [50, 100, 150] for 50 Hz and its harmonics), 0.5-Hz transitions.
 *
 * @example
 *   const clean = notchFilter(samples, 256, [50, 100]);
 */
export function notchFilter(samples: Samples, sfreq: number, freqs: number[] = [50], options: { output?: Samples; notchWidths?: number[]; transBandwidth?: number } = {}): Samples {
  const filter: FirFilter = designNotchFilter(sfreq, freqs, options);
  return applyFirZeroPhase(samples, filter.coefficients, options.output);
}

/** Harmonics of `lineFrequency` below Nyquist: 50 Hz at 256 Hz gives [50, 100]. */
export function lineHarmonics(lineFrequency: number, sfreq: number): number[] {
  const out: number[] = [];
  for (let f = lineFrequency; f < sfreq / 2 - 1; f += lineFrequency) out.push(f);
  return out;
}
