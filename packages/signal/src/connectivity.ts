import { CajalError, throttleProgress, throwIfAborted } from '@cajal/core';
import type { LongOperationOptions } from '@cajal/core';
import { planRealFft } from './real-fft.ts';
import { detrendSegment, forEachSegmentSpectrum, planSegments } from './welch.ts';
import { getWindow } from './windows.ts';
import type { WindowSpec } from './windows.ts';
import type { Samples } from './filter.ts';

/**
 * Spectral connectivity between channels from per-segment (or per-epoch) Fourier coefficients
 * S_k(f) = X_i,k(f) conj(X_j,k(f)), k over segments, then averaged over the band's bins:
 * - msc: |sum S|^2 / (sum Sii sum Sjj) (magnitude-squared coherence, scipy.signal.coherence)
 * - coh: |sum S| / sqrt(sum Sii sum Sjj) (mne-connectivity 'coh')
 * - imcoh: Im(sum S) / sqrt(sum Sii sum Sjj) (Nolte 2004; mne-connectivity 'imcoh')
 * - plv: |mean S/|S|| ; pli: |mean sign(Im S)| ; wpli: |sum Im S| / sum |Im S| (Vinck 2011)
 * - dwpli: ((sum Im S)^2 - sum (Im S)^2) / ((sum |Im S|)^2 - sum (Im S)^2) (debiased wPLI^2)
 */
export type SpectralMethod = 'msc' | 'coh' | 'imcoh' | 'plv' | 'pli' | 'wpli' | 'dwpli';

export const spectralMethods: SpectralMethod[] = ['msc', 'coh', 'imcoh', 'plv', 'pli', 'wpli', 'dwpli'];

/** Per-channel Fourier coefficients: [segment * binCount + bin]. */
export interface SegmentSpectra {
  re: Float64Array;
  im: Float64Array;
  segmentCount: number;
  binCount: number;
}

export interface BandSelection {
  /** Lowest frequency, Hz (inclusive). */
  fmin: number;
  /** Highest frequency, Hz (inclusive unless `includeHigh` is false). */
  fmax: number;
  /** Include a bin exactly at fmax (default true, like the reference's 8 <= f <= 13). */
  includeHigh?: boolean;
}

/** Bins of an nfft-point spectrum at sfreq inside the band. */
export function selectBins(nfft: number, sfreq: number, band: BandSelection): { first: number; count: number; frequencies: Float64Array } {
  const includeHigh = band.includeHigh ?? true;
  const bins: number[] = [];
  for (let k = 0; k <= Math.floor(nfft / 2); k++) {
    const f = (k * sfreq) / nfft;
    if (f >= band.fmin && (includeHigh ? f <= band.fmax : f < band.fmax)) bins.push(k);
  }
  if (bins.length === 0) throw new CajalError('INVALID_ARGUMENT', `no frequency bin in ${band.fmin}-${band.fmax} Hz at resolution ${sfreq / nfft} Hz`, { field: 'fmin' });
  return { first: bins[0] as number, count: bins.length, frequencies: Float64Array.from(bins, (k) => (k * sfreq) / nfft) };
}

/** Welch-style segment spectra of one channel restricted to `count` bins from `first`. */
export function welchSegmentSpectra(x: Samples, options: { nperseg: number; noverlap?: number; window?: WindowSpec; nfft?: number }, first: number, count: number): SegmentSpectra {
  const plan = planSegments(x.length, { nperseg: options.nperseg, noverlap: options.noverlap ?? Math.floor(options.nperseg / 2), window: options.window ?? 'hann', nfft: options.nfft ?? options.nperseg });
  const re = new Float64Array(plan.segmentCount * count);
  const im = new Float64Array(plan.segmentCount * count);
  forEachSegmentSpectrum(x, plan, (s, r, i) => {
    for (let b = 0; b < count; b++) {
      re[s * count + b] = r[first + b];
      im[s * count + b] = i[first + b];
    }
  });
  return { re, im, segmentCount: plan.segmentCount, binCount: count };
}

/** Per-epoch spectra of one channel: demeaned, windowed (periodic Hann by default), rfft of the epoch length. */
export function epochSpectra(epochs: Samples[], first: number, count: number, window: WindowSpec = 'hann'): SegmentSpectra {
  const length = epochs[0]?.length ?? 0;
  const w = getWindow(window, length);
  const plan = planRealFft(length);
  const buffer = new Float64Array(length);
  const bins = Math.floor(length / 2) + 1;
  const r = new Float64Array(bins);
  const i = new Float64Array(bins);
  const re = new Float64Array(epochs.length * count);
  const im = new Float64Array(epochs.length * count);
  epochs.forEach((epoch, e) => {
    if (epoch.length !== length) throw new CajalError('INVALID_ARGUMENT', `epoch ${e} has ${epoch.length} samples, expected ${length}`, { field: 'epochs' });
    for (let t = 0; t < length; t++) buffer[t] = epoch[t];
    detrendSegment(buffer, length, 'constant');
    for (let t = 0; t < length; t++) buffer[t] *= w[t];
    plan.forward(buffer, r, i);
    for (let b = 0; b < count; b++) {
      re[e * count + b] = r[first + b];
      im[e * count + b] = i[first + b];
    }
  });
  return { re, im, segmentCount: epochs.length, binCount: count };
}

/** One method's value for one pair, averaged over bins. */
export function pairConnectivity(a: SegmentSpectra, b: SegmentSpectra, method: SpectralMethod): number {
  return pairConnectivityMany(a, b, [method])[0] as number;
}

/**
 * Several methods for one pair in one sweep over the segments (each value averaged over bins,
 * in the order of `methods`). Only the sums a method needs are accumulated.
 */
export function pairConnectivityMany(a: SegmentSpectra, b: SegmentSpectra, methods: SpectralMethod[]): Float64Array {
  const segments = a.segmentCount;
  const bins = a.binCount;
  const needUnit = methods.includes('plv');
  const needSign = methods.includes('pli');
  const needAbsIm = methods.includes('wpli') || methods.includes('dwpli');
  const needSqIm = methods.includes('dwpli');
  const needPower = methods.includes('msc') || methods.includes('coh') || methods.includes('imcoh');
  const totals = new Float64Array(methods.length);
  const are = a.re, aim = a.im, bre = b.re, bim = b.im;
  for (let f = 0; f < bins; f++) {
    let sr = 0, si = 0, saa = 0, sbb = 0, sAbsIm = 0, sSqIm = 0, sUnitR = 0, sUnitI = 0, sSign = 0;
    for (let s = 0, k = f; s < segments; s++, k += bins) {
      const ar = are[k], ai = aim[k], br = bre[k], bi = bim[k];
      // S = X_a conj(X_b)
      const cr = ar * br + ai * bi;
      const ci = ai * br - ar * bi;
      sr += cr;
      si += ci;
      if (needPower) {
        saa += ar * ar + ai * ai;
        sbb += br * br + bi * bi;
      }
      if (needAbsIm) sAbsIm += Math.abs(ci);
      if (needSqIm) sSqIm += ci * ci;
      if (needUnit) {
        const magnitude = Math.sqrt(cr * cr + ci * ci);
        if (magnitude > 0) {
          sUnitR += cr / magnitude;
          sUnitI += ci / magnitude;
        }
      }
      if (needSign) sSign += Math.sign(ci);
    }
    for (let m = 0; m < methods.length; m++) {
      let value: number;
      switch (methods[m] as SpectralMethod) {
        case 'msc': value = saa > 0 && sbb > 0 ? (sr * sr + si * si) / (saa * sbb) : 0; break;
        case 'coh': value = saa > 0 && sbb > 0 ? Math.hypot(sr, si) / Math.sqrt(saa * sbb) : 0; break;
        case 'imcoh': value = saa > 0 && sbb > 0 ? si / Math.sqrt(saa * sbb) : 0; break;
        case 'plv': value = Math.hypot(sUnitR, sUnitI) / segments; break;
        case 'pli': value = Math.abs(sSign) / segments; break;
        case 'wpli': value = sAbsIm > 0 ? Math.abs(si) / sAbsIm : 0; break;
        case 'dwpli': {
          const denominator = sAbsIm * sAbsIm - sSqIm;
          value = denominator > 0 ? (si * si - sSqIm) / denominator : 0;
          break;
        }
      }
      totals[m] += value;
    }
  }
  for (let m = 0; m < methods.length; m++) totals[m] /= bins;
  return totals;
}

/** Symmetric n x n matrices, one per method (diagonal: 1 for coherence/plv, 0 for the lag indices). */
export type ConnectivityMatrices = Partial<Record<SpectralMethod, Float64Array[]>>;

/** All-pairs connectivity from per-channel spectra. */
export function connectivityFromSpectra(spectra: SegmentSpectra[], methods: SpectralMethod[], options: LongOperationOptions = {}): ConnectivityMatrices {
  const n = spectra.length;
  const out: ConnectivityMatrices = {};
  for (const method of methods) {
    const diagonal = method === 'msc' || method === 'coh' || method === 'plv' ? 1 : 0;
    out[method] = Array.from({ length: n }, (_, i) => {
      const row = new Float64Array(n);
      row[i] = diagonal;
      return row;
    });
  }
  const progress = throttleProgress(options.onProgress);
  const totalPairs = (n * (n - 1)) / 2;
  let done = 0;
  for (let i = 0; i < n; i++) {
    throwIfAborted(options.signal, 'connectivity');
    for (let j = i + 1; j < n; j++) {
      const values = pairConnectivityMany(spectra[i] as SegmentSpectra, spectra[j] as SegmentSpectra, methods);
      for (let m = 0; m < methods.length; m++) {
        const method = methods[m] as SpectralMethod;
        const value = values[m] as number;
        const matrix = out[method] as Float64Array[];
        matrix[i][j] = value;
        // imcoh is antisymmetric; the others are symmetric.
        matrix[j][i] = method === 'imcoh' ? -value : value;
      }
      done++;
    }
    progress({ done, total: totalPairs, stage: 'connectivity' });
  }
  return out;
}

export interface SpectralConnectivityOptions extends BandSelection, LongOperationOptions {
  methods?: SpectralMethod[];
  /** Segment length (default 2 s worth of samples rounded to a power of two... or given). */
  nperseg?: number;
  noverlap?: number;
  window?: WindowSpec;
}

/**
 * All-pairs spectral connectivity of continuous channels using Welch segments (SciPy's
 * coherence conventions: Hann, nperseg/2 overlap, constant detrend).
 *
 * @example
 *   const { msc } = spectralConnectivity(channels, 200, { fmin: 8, fmax: 13, nperseg: 512, methods: ['msc'] });
 */
export function spectralConnectivity(channels: Samples[], sfreq: number, options: SpectralConnectivityOptions): ConnectivityMatrices {
  const nperseg = options.nperseg ?? 256;
  const { first, count } = selectBins(nperseg, sfreq, options);
  const spectra = channels.map((x) => welchSegmentSpectra(x, { nperseg, ...(options.noverlap !== undefined ? { noverlap: options.noverlap } : {}), ...(options.window ? { window: options.window } : {}) }, first, count));
  return connectivityFromSpectra(spectra, options.methods ?? ['msc'], options);
}

/**
 * Connectivity across epochs (mne-connectivity spectral_connectivity_epochs with mode
 * 'fourier'-like spectra: each epoch demeaned, periodic-Hann-windowed, one FFT; measures
 * averaged over the band's bins). `epochs[e][c]` is channel c of epoch e.
 *
 * @example
 *   const { wpli } = spectralConnectivityEpochs(epochs, 200, { fmin: 8, fmax: 13, methods: ['wpli'] });
 */
export function spectralConnectivityEpochs(epochs: Samples[][], sfreq: number, options: BandSelection & LongOperationOptions & { methods?: SpectralMethod[]; window?: WindowSpec }): ConnectivityMatrices {
  if (epochs.length === 0) throw new CajalError('INVALID_ARGUMENT', 'no epochs', { field: 'epochs' });
  const channelCount = (epochs[0] as Samples[]).length;
  const length = (epochs[0] as Samples[])[0]?.length ?? 0;
  const { first, count } = selectBins(length, sfreq, options);
  const spectra = Array.from({ length: channelCount }, (_, c) => epochSpectra(epochs.map((e) => e[c] as Samples), first, count, options.window ?? 'hann'));
  return connectivityFromSpectra(spectra, options.methods ?? ['wpli'], options);
}
