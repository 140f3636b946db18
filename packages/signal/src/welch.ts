/**
 * Welch power spectral density with SciPy's conventions (scipy.signal.welch) and MNE's
 * (mne.time_frequency.psd_array_welch), which differ only in defaults. The segment layout and
 * detrending are in welch-segments.ts, the two-segments-per-FFT fast paths in welch-paired.ts.
 */
import { CajalError } from '@cajal/core';
import { isPowerOfTwo } from './fft.ts';
import { planRealFft } from './real-fft.ts';
import type { WindowSpec } from './windows.ts';
import { wasmFftAvailable } from './wasm-fft.ts';
import { pairedSegmentSpectra, segmentPowerSum } from './welch-paired.ts';
import { planSegments, prepareSegment, type SegmentPlan } from './welch-segments.ts';
import type { Samples } from './filter.ts';

export { segmentPowerSum } from './welch-paired.ts';
export { detrendSegment, planSegments, type SegmentPlan } from './welch-segments.ts';

export interface WelchOptions {
  /** Window (periodic). SciPy default 'hann'. */
  window?: WindowSpec;
  /** Samples per segment. SciPy default 256 (or the signal length if shorter). */
  nperseg?: number;
  /** Overlap in samples. SciPy default nperseg / 2. */
  noverlap?: number;
  /** FFT length (>= nperseg, zero-padded). Default nperseg. */
  nfft?: number;
  /** Detrend each segment: 'constant' (default), 'linear' or false. */
  detrend?: 'constant' | 'linear' | false;
  /** 'density' (units^2/Hz, default) or 'spectrum' (units^2). */
  scaling?: 'density' | 'spectrum';
  /** Average of segments: 'mean' (default) or 'median' (bias-corrected like SciPy). */
  average?: 'mean' | 'median';
  /** One-sided spectrum (default true for real data). */
  onesided?: boolean;
}

export interface Spectrum {
  /** Frequencies of the bins, Hz. */
  frequencies: Float64Array;
  /** Power per bin (units^2/Hz for density). */
  power: Float64Array;
  /** Number of segments averaged. */
  segmentCount: number;
}

/**
 * Call `visit(segmentIndex, re, im)` with the windowed, detrended FFT of every segment
 * (one-sided bins 0..nfft/2). The arrays are reused between calls.
 */
export function forEachSegmentSpectrum(x: Samples, plan: SegmentPlan, visit: (segment: number, re: Float64Array, im: Float64Array) => void): void {
  if (plan.detrend === 'constant' && isPowerOfTwo(plan.nfft) && plan.nfft >= 8 && wasmFftAvailable()) {
    pairedSegmentSpectra(x, plan, visit);
    return;
  }
  const fftPlan = planRealFft(plan.nfft);
  const buffer = new Float64Array(plan.nfft);
  const bins = Math.floor(plan.nfft / 2) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let s = 0; s < plan.segmentCount; s++) {
    // Detrended and windowed in place (constant detrend: one fused copy, demean and window).
    prepareSegment(x, plan, s, buffer, 0, 1, buffer);
    buffer.fill(0, plan.nperseg);
    fftPlan.forward(buffer, re, im);
    visit(s, re, im);
  }
}

/** SciPy's bias correction for the median of chi-square(2) estimates. */
export function medianBias(n: number): number {
  let bias = 1;
  for (let k = 1; k <= (n - 1) / 2; k++) bias += 1 / (2 * k + 1) - 1 / (2 * k);
  return bias;
}

/** Scale factor and one-sided doubling for a plan. */
export function spectrumScale(plan: SegmentPlan, fs: number, scaling: 'density' | 'spectrum'): number {
  let sum = 0;
  let sumSquares = 0;
  for (const v of plan.window) {
    sum += v;
    sumSquares += v * v;
  }
  return scaling === 'density' ? 1 / (fs * sumSquares) : 1 / (sum * sum);
}

/** Multiply one-sided bins by 2 except DC (and Nyquist when nfft is even), like SciPy. */
export function doubleOneSided(values: Float64Array, nfft: number): void {
  const end = nfft % 2 === 0 ? values.length - 1 : values.length;
  for (let k = 1; k < end; k++) values[k] *= 2;
}

/**
 * scipy.signal.welch(x, fs, ...): the average of windowed, detrended periodograms.
 *
 * @example
 *   const { frequencies, power } = welch(samples, 200, { nperseg: 512, noverlap: 256 });
 */
export function welch(x: Samples, fs: number, options: WelchOptions = {}): Spectrum {
  const plan = planSegments(x.length, options);
  const onesided = options.onesided ?? true;
  if (!onesided) throw new CajalError('INVALID_ARGUMENT', 'two-sided spectra of real data are not supported; use onesided: true', { field: 'onesided' });
  const bins = Math.floor(plan.nfft / 2) + 1;
  const average = options.average ?? 'mean';
  const perSegment = average === 'median' ? new Float64Array(bins * plan.segmentCount) : null;
  const sum = new Float64Array(bins);
  if (!perSegment && isPowerOfTwo(plan.nfft) && plan.nfft >= 8) segmentPowerSum(x, plan, sum);
  else {
    forEachSegmentSpectrum(x, plan, (s, re, im) => {
      for (let k = 0; k < bins; k++) {
        const p = re[k] * re[k] + im[k] * im[k];
        if (perSegment) perSegment[k * plan.segmentCount + s] = p;
        else sum[k] += p;
      }
    });
  }
  const scale = spectrumScale(plan, fs, options.scaling ?? 'density');
  const power = new Float64Array(bins);
  if (perSegment) {
    const bias = medianBias(plan.segmentCount);
    for (let k = 0; k < bins; k++) {
      const values = perSegment.subarray(k * plan.segmentCount, (k + 1) * plan.segmentCount).slice().sort();
      const mid = values.length >> 1;
      const median = values.length % 2 === 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
      power[k] = (median * scale) / bias;
    }
  } else {
    for (let k = 0; k < bins; k++) power[k] = (sum[k] * scale) / Math.max(1, plan.segmentCount);
  }
  doubleOneSided(power, plan.nfft);
  const frequencies = new Float64Array(bins);
  for (let k = 0; k < bins; k++) frequencies[k] = (k * fs) / plan.nfft;
  return { frequencies, power, segmentCount: plan.segmentCount };
}

/** Options of MNE's psd_array_welch (its names and defaults). */
export interface PsdArrayWelchOptions {
  /** Lowest frequency kept, Hz (default 0). */
  fmin?: number;
  /** Highest frequency kept, Hz (default Infinity). */
  fmax?: number;
  /** FFT length (default 256). */
  nFft?: number;
  /** Overlap in samples (default 0). */
  nOverlap?: number;
  /** Segment length (default nFft). */
  nPerSeg?: number;
  /** Window (default 'hamming'). */
  window?: WindowSpec;
  /** 'mean' (default) or 'median'. */
  average?: 'mean' | 'median';
}

/**
 * mne.time_frequency.psd_array_welch(x, sfreq, ...) for one channel: Hamming window, no overlap,
 * n_fft 256 by default; bins outside [fmin, fmax] are dropped.
 *
 * @example
 *   const psd = psdArrayWelch(samples, 200, { nFft: 512, nOverlap: 256 });
 */
export function psdArrayWelch(x: Samples, sfreq: number, options: PsdArrayWelchOptions = {}): Spectrum {
  const nFft = options.nFft ?? 256;
  const nPerSeg = options.nPerSeg ?? nFft;
  if (nFft > x.length) throw new CajalError('INVALID_ARGUMENT', `n_fft ${nFft} is longer than the signal (${x.length} samples)`, { field: 'nFft' });
  const spectrum = welch(x, sfreq, {
    window: options.window ?? 'hamming',
    nperseg: nPerSeg,
    noverlap: options.nOverlap ?? 0,
    nfft: nFft,
    detrend: 'constant',
    scaling: 'density',
    average: options.average ?? 'mean',
  });
  const fmin = options.fmin ?? 0;
  const fmax = options.fmax ?? Infinity;
  const keep: number[] = [];
  spectrum.frequencies.forEach((f, k) => {
    if (f >= fmin && f <= fmax) keep.push(k);
  });
  return {
    frequencies: Float64Array.from(keep, (k) => spectrum.frequencies[k]),
    power: Float64Array.from(keep, (k) => spectrum.power[k]),
    segmentCount: spectrum.segmentCount,
  };
}
