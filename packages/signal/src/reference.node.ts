import { readFileSync } from 'node:fs';
import { sharedPath } from '@cajal/core/testing';

/** Test helpers: load ../shared/reference/signal files (raw little-endian float32, row = channel). */
export const referenceFiles = [
  'reference/signal/input_segment.f32',
  'reference/signal/fir_bandpass_1_40.json',
  'reference/signal/notch_50.json',
  'reference/signal/iir_butter4_1_40.json',
  'reference/signal/welch_psd.json',
  'reference/signal/band_powers.json',
  'reference/signal/connectivity_alpha.json',
  'reference/signal/resample_poly_100hz.json',
  'reference/signal/features_ch0.json',
];

export function readReferenceJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(sharedPath('reference', 'signal', name), 'utf8')) as T;
}

/** Rows of a .f32 file as Float32Array views. */
export function readReferenceF32(name: string, rows: number): Float32Array[] {
  const bytes = readFileSync(sharedPath('reference', 'signal', name));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const columns = all.length / rows;
  return Array.from({ length: rows }, (_, r) => all.subarray(r * columns, (r + 1) * columns));
}

export interface ChannelSummary {
  name: string;
  first16: number[];
  third16: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Largest |a - b| over the arrays. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Largest |x| over the array. */
export function maxAbs(a: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]));
  return worst;
}

/** Summary statistics (population std) like the reference JSON. */
export function summarize(x: ArrayLike<number>): { first16: number[]; third16: number[]; mean: number; std: number } {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i] - mean) ** 2;
  const third = Math.floor(n / 3);
  return {
    first16: Array.from({ length: 16 }, (_, i) => x[i]),
    third16: Array.from({ length: 16 }, (_, i) => x[third + i]),
    mean,
    std: Math.sqrt(variance / n),
  };
}
