/**
 * NIfTI geometry and time series on synthetic files with known answers (byte order, scaling,
 * gzip, qform/sform/fallback affines) and on the real functional.nii (mean series through
 * readRecording, sample rate from pixdim[4]).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CajalError } from '@cajal/core';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { readRecording } from '../read.ts';
import { registerReader } from '../registry.ts';
import { niftiReader } from './reader.ts';
import { buildNifti1 } from './fixture.ts';
import { readNiftiVolume } from './volume.ts';
import { regionTimeSeries, voxelTimeSeries } from './series.ts';

registerReader(niftiReader);

const values = Int16Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i - 40);

describe('synthetic NIfTI-1', () => {
  it('decodes int16 voxels identically in both byte orders and gzipped, applying value * slope + intercept', async () => {
    for (const littleEndian of [true, false]) {
      const bytes = buildNifti1({ shape: [2, 3, 4, 5], values, datatype: 4, littleEndian, slope: 0.5, intercept: 10, pixdim: [1, 2, 2, 2, 1.5, 1, 1, 1] });
      for (const input of [bytes, gzipSync(bytes)]) {
        const volume = await readNiftiVolume(input, { name: 'synthetic.nii' });
        expect(volume.dims).toEqual([2, 3, 4, 5]);
        expect(Array.from(volume.data)).toEqual(Array.from(values, (v) => v * 0.5 + 10));
      }
    }
  });

  it('scl_slope 0 means no scaling (nibabel rule)', async () => {
    const volume = await readNiftiVolume(buildNifti1({ shape: [2, 2, 1], values: [1, 2, 3, 4], slope: 0, intercept: 7 }));
    expect(Array.from(volume.data)).toEqual([1, 2, 3, 4]);
  });

  it('qform: a 90 degree rotation about z with qfac -1 gives the known affine', async () => {
    const d = Math.SQRT1_2; // quaternion (cos 45, 0, 0, sin 45)
    const volume = await readNiftiVolume(buildNifti1({ shape: [2, 2, 2], values: new Float32Array(8), pixdim: [-1, 2, 3, 4, 1, 1, 1, 1], qform: { code: 1, b: 0, c: 0, d, offset: [10, 20, 30] } }));
    const expected = [[0, -3, 0, 10], [2, 0, 0, 20], [0, 0, -4, 30], [0, 0, 0, 1]];
    volume.affine.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[r]?.[c] as number, 6)));
  });

  it('sform wins over qform; neither gives the centred fallback with x flipped', async () => {
    const rows: [number[], number[], number[]] = [[1, 0, 0, -5], [0, 1, 0, -6], [0, 0, 1, -7]];
    const withSform = await readNiftiVolume(buildNifti1({ shape: [3, 3, 3], values: new Float32Array(27), qform: { code: 1, b: 0, c: 0, d: 0, offset: [1, 1, 1] }, sform: { code: 2, rows } }));
    expect(withSform.affine.slice(0, 3)).toEqual(rows);
    const fallback = await readNiftiVolume(buildNifti1({ shape: [3, 5, 7], values: new Float32Array(105), pixdim: [1, 2, 2, 2, 1, 1, 1, 1] }));
    expect(fallback.affine).toEqual([[-2, 0, 0, 2], [0, 2, 0, -4], [0, 0, 2, -6], [0, 0, 0, 1]]);
  });

  it('voxel and box time series: values at the voxel, mean over the box, rate 1 / TR', async () => {
    const volume = await readNiftiVolume(buildNifti1({ shape: [2, 3, 4, 5], values, datatype: 4, pixdim: [1, 2, 2, 2, 2.5, 1, 1, 1] }));
    const voxel = voxelTimeSeries(volume, 1, 2, 3).channels[0];
    expect(voxel?.sampleRateHz).toBeCloseTo(0.4, 12);
    expect(Array.from(voxel?.samples ?? [])).toEqual([0, 1, 2, 3, 4].map((t) => (values[1 + 2 * (2 + 3 * 3) + 24 * t] as number)));
    const box = regionTimeSeries(volume, { box: { from: [0, 1, 1], to: [2, 3, 2] } }).channels[0];
    for (let t = 0; t < 5; t++) {
      const picked = [0, 1].flatMap((i) => [1, 2].map((j) => values[i + 2 * (j + 3 * 1) + 24 * t] as number));
      expect(box?.samples[t]).toBeCloseTo(picked.reduce((a, b) => a + b, 0) / picked.length, 5);
    }
  });

  it('rejects voxel indices and regions outside the volume with INVALID_ARGUMENT', async () => {
    const volume = await readNiftiVolume(buildNifti1({ shape: [2, 2, 2], values: new Float32Array(8) }));
    expect(() => voxelTimeSeries(volume, 2, 0, 0)).toThrow(CajalError);
    expect(() => regionTimeSeries(volume, { mask: [1, 0] })).toThrow(/mask has 2 entries/);
    expect(() => regionTimeSeries(volume, { box: { from: [0, 0, 0], to: [3, 1, 1] } })).toThrow(/box axis 0/);
  });
});

describeShared('NIfTI as a Recording (functional.nii)', ['data/nibabel/functional.nii'], () => {
  const bytes = (): Uint8Array => new Uint8Array(readFileSync(sharedPath('data', 'nibabel', 'functional.nii')));

  it('opens as one brain-mask mean channel at 1 / TR = 0.5 Hz with 20 samples, inside each volume’s range', async () => {
    const recording = await readRecording(bytes(), { name: 'functional.nii' });
    const volume = await readNiftiVolume(bytes());
    const channel = recording.channels[0];
    expect(recording.format).toBe('nifti');
    expect(channel?.label).toBe('brain_mask_mean');
    expect(channel?.sampleRateHz).toBe(0.5);
    expect(channel?.sampleCount).toBe(20);
    const stride = 17 * 21 * 3;
    for (let t = 0; t < 20; t++) {
      const slice = volume.data.subarray(t * stride, (t + 1) * stride);
      const mean = slice.reduce((a, b) => a + b, 0) / stride;
      // The mask drops the darkest voxels, so its mean is at least the whole-volume mean.
      expect(channel?.samples[t]).toBeGreaterThanOrEqual(mean - 1e-3);
      expect(channel?.samples[t]).toBeLessThanOrEqual(Math.max(...slice));
    }
  });

  it('a whole-volume box region gives each volume’s plain mean', async () => {
    const options = { name: 'functional.nii', region: { box: { from: [0, 0, 0] as [number, number, number], to: [17, 21, 3] as [number, number, number] }, label: 'all' } };
    const recording = await readRecording(bytes(), options);
    const volume = await readNiftiVolume(bytes());
    const stride = 17 * 21 * 3;
    expect(recording.channels[0]?.label).toBe('all');
    for (let t = 0; t < 20; t++) {
      let sum = 0;
      for (let v = 0; v < stride; v++) sum += volume.data[t * stride + v] as number;
      expect(recording.channels[0]?.samples[t]).toBeCloseTo(sum / stride, 2);
    }
  });
});
