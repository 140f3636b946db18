/**
 * Welch's segment layout (SciPy's _spectral_helper) and per-segment detrending, shared by the
 * Welch spectra (welch.ts, welch-paired.ts), CSD, coherence and time-frequency code.
 */
import { CajalError } from '@cajal/core';
import { getWindow } from './windows.ts';
import type { WelchOptions } from './welch.ts';
import type { Samples } from './filter.ts';

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
 * Copy segment `s` into `out[offset + stride * i]`, detrended and windowed. `scratch` (nperseg
 * values, used by the linear and no detrend) may be `out` itself when offset is 0 and stride 1.
 */
export function prepareSegment(x: Samples, plan: SegmentPlan, s: number, out: Float64Array, offset: number, stride: number, scratch: Float64Array): void {
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
