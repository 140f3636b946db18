import { CajalError } from '@cajal/core';
import FFT from 'fft.js';
import { isPowerOfTwo, planRealFft } from './fft.ts';
import { getWindow } from './windows.ts';
import type { WindowSpec } from './windows.ts';
import type { Samples } from './filter.ts';

/**
 * Welch power spectral density with SciPy's conventions (scipy.signal.welch) and MNE's
 * (mne.time_frequency.psd_array_welch), which differ only in defaults.
 */

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

/** Resolved segment layout shared by Welch, CSD and coherence. */
export interface SegmentPlan {
  window: Float64Array;
  nperseg: number;
  step: number;
  nfft: number;
  segmentCount: number;
  detrend: 'constant' | 'linear' | false;
}

/** Work out segments like SciPy's _spectral_helper. */
export function planSegments(length: number, options: WelchOptions): SegmentPlan {
  let nperseg = options.nperseg ?? 256;
  if (nperseg > length) nperseg = length;
  const noverlap = options.noverlap ?? Math.floor(nperseg / 2);
  const nfft = options.nfft ?? nperseg;
  if (noverlap >= nperseg) throw new CajalError('INVALID_ARGUMENT', `noverlap ${noverlap} must be less than nperseg ${nperseg}`, { field: 'noverlap' });
  if (nfft < nperseg) throw new CajalError('INVALID_ARGUMENT', `nfft ${nfft} must be at least nperseg ${nperseg}`, { field: 'nfft' });
  if (nperseg < 1) throw new CajalError('INVALID_ARGUMENT', 'signal is empty', { field: 'samples' });
  const step = nperseg - noverlap;
  const segmentCount = Math.floor((length - noverlap) / step);
  return { window: getWindow(options.window ?? 'hann', nperseg), nperseg, step, nfft, segmentCount, detrend: options.detrend ?? 'constant' };
}

/** Detrend one segment in place. */
export function detrendSegment(segment: Float64Array, count: number, type: 'constant' | 'linear' | false): void {
  if (type === false) return;
  let mean = 0;
  for (let i = 0; i < count; i++) mean += segment[i];
  mean /= count;
  if (type === 'constant') {
    for (let i = 0; i < count; i++) segment[i] -= mean;
    return;
  }
  const tMean = (count - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < count; i++) {
    sxy += (i - tMean) * (segment[i] - mean);
    sxx += (i - tMean) * (i - tMean);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  for (let i = 0; i < count; i++) segment[i] -= mean + slope * (i - tMean);
}

/**
 * Call `visit(segmentIndex, re, im)` with the windowed, detrended FFT of every segment
 * (one-sided bins 0..nfft/2). The arrays are reused between calls.
 */
export function forEachSegmentSpectrum(x: Samples, plan: SegmentPlan, visit: (segment: number, re: Float64Array, im: Float64Array) => void): void {
  const fftPlan = planRealFft(plan.nfft);
  const buffer = new Float64Array(plan.nfft);
  const bins = Math.floor(plan.nfft / 2) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const w = plan.window;
  for (let s = 0; s < plan.segmentCount; s++) {
    const start = s * plan.step;
    if (plan.detrend === 'constant') {
      // Fused copy, demean and window.
      let mean = 0;
      for (let i = 0; i < plan.nperseg; i++) mean += x[start + i];
      mean /= plan.nperseg;
      for (let i = 0; i < plan.nperseg; i++) buffer[i] = (x[start + i] - mean) * w[i];
    } else {
      for (let i = 0; i < plan.nperseg; i++) buffer[i] = x[start + i];
      detrendSegment(buffer, plan.nperseg, plan.detrend);
      for (let i = 0; i < plan.nperseg; i++) buffer[i] *= w[i];
    }
    buffer.fill(0, plan.nperseg);
    fftPlan.forward(buffer, re, im);
    visit(s, re, im);
  }
}

/** Copy segment `s` into `out[offset + stride * i]`, detrended and windowed. */
function prepareSegment(x: Samples, plan: SegmentPlan, s: number, out: Float64Array, offset: number, stride: number, scratch: Float64Array): void {
  const start = s * plan.step;
  const w = plan.window;
  const n = plan.nperseg;
  if (plan.detrend === 'constant') {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[start + i];
    mean /= n;
    for (let i = 0; i < n; i++) out[offset + stride * i] = (x[start + i] - mean) * w[i];
    return;
  }
  for (let i = 0; i < n; i++) scratch[i] = x[start + i];
  detrendSegment(scratch, n, plan.detrend);
  for (let i = 0; i < n; i++) out[offset + stride * i] = scratch[i] * w[i];
}

const packedPlans = new Map<number, FFT>();

/**
 * Sum over segments of |X_s[k]|^2 (bins 0..nfft/2) for a power-of-two nfft, two segments per
 * complex FFT: z = a + i b gives |A[k]|^2 + |B[k]|^2 = (|Z[k]|^2 + |Z[nfft-k]|^2) / 2, so the
 * pair needs no separation. Adds into `sum`.
 */
export function segmentPowerSum(x: Samples, plan: SegmentPlan, sum: Float64Array): void {
  const nfft = plan.nfft;
  const bins = Math.floor(nfft / 2) + 1;
  let library = packedPlans.get(nfft);
  if (!library) {
    library = new FFT(nfft);
    packedPlans.set(nfft, library);
  }
  const input = new Float64Array(2 * nfft);
  const out = new Float64Array(2 * nfft);
  const scratch = new Float64Array(plan.nperseg);
  for (let s = 0; s < plan.segmentCount; s += 2) {
    input.fill(0);
    prepareSegment(x, plan, s, input, 0, 2, scratch);
    if (s + 1 < plan.segmentCount) prepareSegment(x, plan, s + 1, input, 1, 2, scratch);
    library.transform(out, input);
    sum[0] += out[0] * out[0] + out[1] * out[1];
    for (let k = 1; k < bins; k++) {
      const j = 2 * (nfft - k);
      sum[k] += 0.5 * (out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1] + out[j] * out[j] + out[j + 1] * out[j + 1]);
    }
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
