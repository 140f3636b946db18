import { CajalError, createRecording } from '@cajal/core';
import type { ComplianceWarning, Recording } from '@cajal/core';
import type { NiftiHeader } from './header.ts';
import type { NiftiVolume } from './volume.ts';

/** A region of a volume: a mask over the first three axes (nonzero = in), or a box of voxels. */
export type NiftiRegion =
  | { mask: ArrayLike<number | boolean>; label?: string }
  /** Voxels with from[a] <= index[a] < to[a] on each axis a (0-based). */
  | { box: { from: [number, number, number]; to: [number, number, number] }; label?: string };

/** Seconds per unit of pixdim[4], by the time unit of xyzt_units. */
const secondsPer: Record<string, number> = { sec: 1, msec: 1e-3, usec: 1e-6 };

/**
 * The time step between volumes in seconds: pixdim[4] in the header's time unit. Without a
 * usable step (3-D images, pixdim[4] <= 0, or a non-time unit) it is 1 s, with a warning.
 */
export function timeStepSeconds(header: Pick<NiftiHeader, 'pixdim' | 't_unit' | 'shape'>, warnings: ComplianceWarning[] = [], file?: string): number {
  const step = header.pixdim[4] as number;
  const factor = secondsPer[header.t_unit];
  if (!(step > 0) || !Number.isFinite(step)) {
    if (header.shape.length > 3) warnings.push({ code: 'NIFTI_NO_TIME_STEP', message: `pixdim[4] is ${step}: assuming 1 s between volumes`, field: 'pixdim[4]', ...(file ? { file } : {}) });
    return 1;
  }
  if (factor === undefined) {
    warnings.push({ code: 'NIFTI_TIME_UNIT', message: `time unit is "${header.t_unit}": reading pixdim[4] = ${step} as seconds`, field: 'xyzt_units', ...(file ? { file } : {}) });
    return step;
  }
  return step * factor;
}

/** The spatial size [nx, ny, nz] and the number of volumes (product of dims 4..7). */
export function volumeGeometry(dims: number[]): { nx: number; ny: number; nz: number; volumes: number } {
  const [nx = 1, ny = 1, nz = 1, ...rest] = dims;
  return { nx, ny, nz, volumes: rest.reduce((p, d) => p * d, 1) };
}

function seriesRecording(volume: NiftiVolume, label: string, samples: Float32Array, warnings: ComplianceWarning[]): Recording {
  const rate = 1 / timeStepSeconds(volume.header, warnings);
  return createRecording({
    format: 'nifti',
    channels: [{ label, unit: '', sampleRateHz: rate, sampleCount: samples.length, type: 'fmri', samples }],
    warnings: [...volume.warnings, ...warnings],
  });
}

/**
 * One voxel's time series as a Recording (one channel, sample rate 1 / TR), so signal
 * analysis applies.
 *
 * @example
 *   const series = voxelTimeSeries(volume, 32, 32, 15);
 *   series.channels[0].sampleRateHz; // 0.5 for TR = 2 s
 */
export function voxelTimeSeries(volume: NiftiVolume, i: number, j: number, k: number): Recording {
  const { nx, ny, nz, volumes } = volumeGeometry(volume.dims);
  for (const [name, value, size] of [['i', i, nx], ['j', j, ny], ['k', k, nz]] as const) {
    if (!Number.isInteger(value) || value < 0 || value >= size) {
      throw new CajalError('INVALID_ARGUMENT', `voxel index ${name} = ${value} is outside 0..${size - 1}`, { field: name });
    }
  }
  const samples = new Float32Array(volumes);
  const stride = nx * ny * nz;
  const base = i + nx * (j + ny * k);
  for (let t = 0; t < volumes; t++) samples[t] = volume.data[base + t * stride] as number;
  return seriesRecording(volume, `voxel_${i}_${j}_${k}`, samples, []);
}

/** The region as a list of voxel indices (into one volume). */
export function regionVoxels(dims: number[], region: NiftiRegion): Uint32Array {
  const { nx, ny, nz } = volumeGeometry(dims);
  const stride = nx * ny * nz;
  const picked: number[] = [];
  if ('mask' in region) {
    if (region.mask.length !== stride) {
      throw new CajalError('INVALID_ARGUMENT', `mask has ${region.mask.length} entries; the volume has ${nx} x ${ny} x ${nz} = ${stride} voxels`, { field: 'mask' });
    }
    for (let v = 0; v < stride; v++) if (region.mask[v]) picked.push(v);
  } else {
    const { from, to } = region.box;
    const sizes = [nx, ny, nz];
    for (let a = 0; a < 3; a++) {
      const lo = from[a] as number;
      const hi = to[a] as number;
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > (sizes[a] as number) || lo >= hi) {
        throw new CajalError('INVALID_ARGUMENT', `box axis ${a} is ${lo}..${hi}; it must satisfy 0 <= from < to <= ${sizes[a]}`, { field: 'box' });
      }
    }
    for (let k = from[2]; k < to[2]; k++) for (let j = from[1]; j < to[1]; j++) for (let i = from[0]; i < to[0]; i++) picked.push(i + nx * (j + ny * k));
  }
  if (picked.length === 0) throw new CajalError('INVALID_ARGUMENT', 'the region contains no voxels', { field: 'mask' });
  return Uint32Array.from(picked);
}

/** The mean over `voxels` of each volume (non-finite voxels skipped; NaN when none is finite). */
export function meanSeries(volume: Pick<NiftiVolume, 'data' | 'dims'>, voxels: Uint32Array): Float32Array {
  const { nx, ny, nz, volumes } = volumeGeometry(volume.dims);
  const stride = nx * ny * nz;
  const out = new Float32Array(volumes);
  for (let t = 0; t < volumes; t++) {
    let sum = 0;
    let n = 0;
    const base = t * stride;
    for (let v = 0; v < voxels.length; v++) {
      const value = volume.data[base + (voxels[v] as number)] as number;
      if (Number.isFinite(value)) {
        sum += value;
        n++;
      }
    }
    out[t] = n > 0 ? sum / n : Number.NaN;
  }
  return out;
}

/**
 * The mean time series of a region (a mask or a box) as a one-channel Recording.
 *
 * @example
 *   const roi = regionTimeSeries(volume, { box: { from: [10, 10, 5], to: [20, 20, 10] } });
 */
export function regionTimeSeries(volume: NiftiVolume, region: NiftiRegion): Recording {
  return seriesRecording(volume, region.label ?? 'region_mean', meanSeries(volume, regionVoxels(volume.dims, region)), []);
}

/**
 * A simple whole-brain mask: voxels whose mean over time is finite and above `fraction` (default
 * 0.1) of the largest voxel mean. An intensity threshold, not skull stripping.
 */
export function brainMask(volume: Pick<NiftiVolume, 'data' | 'dims'>, fraction = 0.1): Uint8Array {
  const { nx, ny, nz, volumes } = volumeGeometry(volume.dims);
  const stride = nx * ny * nz;
  const means = new Float64Array(stride);
  for (let v = 0; v < stride; v++) {
    let sum = 0;
    for (let t = 0; t < volumes; t++) sum += volume.data[v + t * stride] as number;
    means[v] = sum / volumes;
  }
  let max = -Infinity;
  for (const m of means) if (Number.isFinite(m) && m > max) max = m;
  const mask = new Uint8Array(stride);
  for (let v = 0; v < stride; v++) {
    const m = means[v] as number;
    mask[v] = Number.isFinite(m) && m > fraction * max ? 1 : 0;
  }
  // A volume that is constant (or all <= 0) would leave the mask empty; use every finite voxel.
  if (!mask.some((x) => x === 1)) for (let v = 0; v < stride; v++) mask[v] = Number.isFinite(means[v] as number) ? 1 : 0;
  return mask;
}
