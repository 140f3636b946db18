import { CajalError, throwIfAborted } from '@cajal/core';
import type { LongOperationOptions } from '@cajal/core';
import { hilbert } from './hilbert.ts';
import type { AnalyticSignal } from './hilbert.ts';
import { butterSos, sosfiltfilt } from './iir.ts';
import { spectralConnectivity } from './connectivity.ts';
import type { SpectralMethod } from './connectivity.ts';
import type { Samples } from './filter.ts';

/**
 * Time-domain connectivity from analytic signals (Hilbert): phase-locking value, amplitude
 * envelope correlation (plain and orthogonalised), Pearson correlation, and time-resolved
 * connectivity in sliding windows.
 */

/** Band-pass (Butterworth order 4, zero phase) then Hilbert: the analytic signal in a band. */
export function bandAnalyticSignal(x: Samples, sfreq: number, band: [number, number], order = 4): AnalyticSignal {
  return hilbert(sosfiltfilt(butterSos(order, band, 'bandpass', sfreq), x));
}

/** Options for windows within a signal. */
export interface WindowRange {
  /** First sample (default 0). */
  start?: number;
  /** One past the last sample (default the signal's end). */
  stop?: number;
}

/**
 * PLV between two analytic signals: |mean over samples of exp(i(phi_a - phi_b))|.
 *
 * @example
 *   const value = phaseLockingValue(bandAnalyticSignal(a, 200, [8, 13]), bandAnalyticSignal(b, 200, [8, 13]));
 */
export function phaseLockingValue(a: AnalyticSignal, b: AnalyticSignal, range: WindowRange = {}): number {
  const start = range.start ?? 0;
  const stop = range.stop ?? a.re.length;
  let sr = 0;
  let si = 0;
  for (let t = start; t < stop; t++) {
    const cr = a.re[t] * b.re[t] + a.im[t] * b.im[t];
    const ci = a.im[t] * b.re[t] - a.re[t] * b.im[t];
    const m = Math.hypot(cr, ci);
    if (m > 0) {
      sr += cr / m;
      si += ci / m;
    }
  }
  return Math.hypot(sr, si) / Math.max(1, stop - start);
}

/** Pearson correlation of two arrays over [start, stop). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, range: WindowRange = {}): number {
  const start = range.start ?? 0;
  const stop = range.stop ?? a.length;
  const n = stop - start;
  let ma = 0, mb = 0;
  for (let t = start; t < stop; t++) { ma += a[t]; mb += b[t]; }
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let t = start; t < stop; t++) {
    const da = a[t] - ma, db = b[t] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

function magnitude(x: AnalyticSignal): Float64Array {
  const out = new Float64Array(x.re.length);
  for (let t = 0; t < out.length; t++) out[t] = Math.hypot(x.re[t], x.im[t]);
  return out;
}

/**
 * Amplitude-envelope correlation. `orthogonalize` (Hipp et al. 2012): correlate |a| with the
 * envelope of b orthogonalised to a, |Im(b conj(a)/|a|)|, and average both directions, which
 * removes zero-lag (volume-conduction) coupling.
 */
export function amplitudeEnvelopeCorrelation(a: AnalyticSignal, b: AnalyticSignal, orthogonalize = false, range: WindowRange = {}): number {
  if (!orthogonalize) return pearson(magnitude(a), magnitude(b), range);
  const n = a.re.length;
  const direction = (x: AnalyticSignal, y: AnalyticSignal): number => {
    const envX = magnitude(x);
    const orth = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const m = envX[t];
      orth[t] = m > 0 ? Math.abs((y.im[t] * x.re[t] - y.re[t] * x.im[t]) / m) : 0;
    }
    return pearson(envX, orth, range);
  };
  return 0.5 * (direction(a, b) + direction(b, a));
}

export type TimeMethod = 'plv' | 'aec' | 'aec_orth' | 'correlation';

/** n x n matrix of a time-domain measure over analytic signals (or raw samples for 'correlation'). */
export function timeConnectivityMatrix(signals: AnalyticSignal[], method: TimeMethod, range: WindowRange = {}, options: LongOperationOptions = {}): Float64Array[] {
  const n = signals.length;
  const matrix = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
  for (let i = 0; i < n; i++) {
    throwIfAborted(options.signal, 'connectivity');
    for (let j = i + 1; j < n; j++) {
      const a = signals[i] as AnalyticSignal;
      const b = signals[j] as AnalyticSignal;
      const value =
        method === 'plv' ? phaseLockingValue(a, b, range)
          : method === 'aec' ? amplitudeEnvelopeCorrelation(a, b, false, range)
            : method === 'aec_orth' ? amplitudeEnvelopeCorrelation(a, b, true, range)
              : pearson(a.re, b.re, range);
      matrix[i][j] = value;
      matrix[j][i] = value;
    }
  }
  return matrix;
}

/** Pearson correlation matrix of raw channels. */
export function correlationMatrix(channels: Samples[]): Float64Array[] {
  return timeConnectivityMatrix(channels.map((x) => ({ re: Float64Array.from(x), im: new Float64Array(x.length) })), 'correlation');
}

/** One window of a time-resolved connectivity result. */
export interface ConnectivityWindow {
  startSeconds: number;
  durationSeconds: number;
  matrix: Float64Array[];
}

export interface SlidingConnectivityOptions extends LongOperationOptions {
  /** Window length in seconds (default 10). */
  windowSeconds?: number;
  /** Step between window starts in seconds (default windowSeconds / 2). */
  stepSeconds?: number;
  /** Band in Hz (default alpha, 8-13). */
  band?: [number, number];
  /** 'plv', 'aec', 'aec_orth', 'correlation' (Hilbert-based) or a spectral method (Welch segments inside each window). */
  method?: TimeMethod | SpectralMethod;
  /** Segment length for spectral methods (default 1 s of samples). */
  nperseg?: number;
}

/**
 * Time-resolved connectivity: the measure in sliding windows. Hilbert-based measures filter
 * and transform the whole signal once (no edge effects per window); spectral measures run
 * Welch segments inside each window.
 *
 * @example
 *   const windows = slidingConnectivity(channels, 256, { windowSeconds: 10, method: 'wpli' });
 */
export function slidingConnectivity(channels: Samples[], sfreq: number, options: SlidingConnectivityOptions = {}): ConnectivityWindow[] {
  const windowSeconds = options.windowSeconds ?? 10;
  const stepSeconds = options.stepSeconds ?? windowSeconds / 2;
  const band = options.band ?? [8, 13];
  const method = options.method ?? 'plv';
  const windowSamples = Math.round(windowSeconds * sfreq);
  const stepSamples = Math.max(1, Math.round(stepSeconds * sfreq));
  const length = channels[0]?.length ?? 0;
  if (windowSamples < 2 || windowSamples > length) {
    throw new CajalError('INVALID_ARGUMENT', `window of ${windowSeconds} s does not fit a ${length / sfreq}-s signal`, { field: 'windowSeconds' });
  }
  const windows: ConnectivityWindow[] = [];
  const starts: number[] = [];
  for (let s = 0; s + windowSamples <= length; s += stepSamples) starts.push(s);
  const timeMethods: string[] = ['plv', 'aec', 'aec_orth', 'correlation'];
  const analytic = timeMethods.includes(method)
    ? channels.map((x) => (method === 'correlation' ? { re: Float64Array.from(x), im: new Float64Array(x.length) } : bandAnalyticSignal(x, sfreq, band)))
    : null;
  starts.forEach((start, index) => {
    throwIfAborted(options.signal, 'sliding connectivity');
    let matrix: Float64Array[];
    if (analytic) {
      matrix = timeConnectivityMatrix(analytic, method as TimeMethod, { start, stop: start + windowSamples });
    } else {
      const nperseg = Math.min(options.nperseg ?? Math.round(sfreq), windowSamples);
      const result = spectralConnectivity(channels.map((x) => x.subarray(start, start + windowSamples)), sfreq, { fmin: band[0], fmax: band[1], nperseg, methods: [method as SpectralMethod] });
      matrix = result[method as SpectralMethod] as Float64Array[];
    }
    windows.push({ startSeconds: start / sfreq, durationSeconds: windowSeconds, matrix });
    options.onProgress?.({ done: index + 1, total: starts.length, stage: 'sliding connectivity' });
  });
  return windows;
}
