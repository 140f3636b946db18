/**
 * Parity: every NIfTI file in ../shared/data (INVENTORY.tsv) read by Cajal and compared with
 * nibabel 5.0's reading (../shared/reference/mri/<path>.json). Criterion: shape, on-disk dtype,
 * header fields as stored, `img.affine` and the quaternion-derived qform to 1e-9 (absolute, on
 * values of order 100), the scaled statistics (n, non-finite count, mean, std, min, max) and
 * the values at the centre voxel and at (1, 2, 3) to float32 precision; a voxel's time series
 * equals nibabel's centre voxel across volumes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath, describeShared } from '@cajal/core/testing';
import { readNiftiVolume } from './volume.ts';
import { qformAffine } from './affine.ts';
import { voxelTimeSeries, volumeGeometry } from './series.ts';

interface Reference {
  shape: number[];
  dtype_on_disk: string;
  nifti_version: number;
  header: Record<string, unknown> & { dim: number[]; pixdim: number[]; scl_slope: number | null; scl_inter: number | null };
  affine: number[][];
  qform_from_quaternion: number[][];
  nibabel_slope_inter: { slope: number | null; inter: number | null };
  data: {
    stats_after_scaling: { n: number; n_non_finite?: number; mean: number; std: number; min: number; max: number };
    centre_index: number[];
    value_at_centre: number | null;
    index_123: number[];
    value_at_index_123: number | null;
    centre_voxel_all_volumes?: number[];
  };
}

const dtypeNames: Record<string, string> = { i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64', f4: 'float32', f8: 'float64' };
const normaliseDtype = (d: string): string => dtypeNames[d.replace(/^[<>=|]/, '')] ?? d;

function niftiFiles(): string[] {
  const inventory = readFileSync(sharedPath('data', 'INVENTORY.tsv'), 'utf8').split('\n').slice(1);
  return inventory.map((line) => line.split('\t')[0] as string).filter((p) => /\.nii(\.gz)?$/i.test(p));
}

function flatIndex(dims: number[], index: number[]): number | undefined {
  let flat = 0;
  let stride = 1;
  for (let a = 0; a < dims.length; a++) {
    const i = index[a] ?? 0;
    if (i >= (dims[a] as number)) return undefined;
    flat += i * stride;
    stride *= dims[a] as number;
  }
  return flat;
}

const float32Close = (actual: number, expected: number, magnitude: number): boolean => Math.abs(actual - expected) <= 2 ** -22 * Math.max(Math.abs(expected), magnitude);

describeShared('NIfTI parity with nibabel 5.0', ['data/INVENTORY.tsv', 'reference/mri'], () => {
  const files = niftiFiles();
  let compared = 0;
  afterAll(() => {
    console.log(`NIfTI parity: read and compared ${compared} of ${files.length} NIfTI files with nibabel's readings`);
  });

  it('finds the NIfTI files of the inventory', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  for (const path of files) {
    describe(path, () => {
      it('matches nibabel: shape, dtype, header, affine, statistics, centre voxel, voxel (1,2,3)', async () => {
        const reference = JSON.parse(readFileSync(sharedPath('reference', 'mri', `${path}.json`), 'utf8')) as Reference;
        const volume = await readNiftiVolume(new Uint8Array(readFileSync(sharedPath('data', path))), { name: path.split('/').pop() as string });
        const h = volume.header;
        expect(volume.dims).toEqual(reference.shape);
        expect(volume.datatype).toBe(normaliseDtype(reference.dtype_on_disk));
        expect(h.nifti_version).toBe(reference.nifti_version);
        expect(h.dim).toEqual(reference.header.dim);
        // nibabel's header check turns a qfac (pixdim[0]) other than +-1 into 1, as Cajal does.
        expect(h.pixdim).toEqual(reference.header.pixdim);
        for (const field of ['datatype', 'bitpix', 'qform_code', 'sform_code', 'xyzt_units', 'descrip', 'intent_code'] as const) {
          expect(h[field], field).toEqual(reference.header[field]);
        }
        expect(h.vox_offset).toBe(Number(reference.header['vox_offset']));
        expect(Number.isNaN(h.scl_slope) ? null : h.scl_slope).toBe(reference.header.scl_slope);
        expect(volume.slope).toBe(reference.nibabel_slope_inter.slope ?? 1);
        expect(volume.intercept).toBe(reference.nibabel_slope_inter.inter ?? 0);
        for (const [mine, theirs] of [[volume.affine, reference.affine], [qformAffine(h), reference.qform_from_quaternion]] as const) {
          mine.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(v - (theirs[r]?.[c] as number)), `affine[${r}][${c}]`).toBeLessThan(1e-9)));
        }

        const stats = reference.data.stats_after_scaling;
        let n = 0;
        let nonFinite = 0;
        let sum = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const v of volume.data) {
          if (!Number.isFinite(v)) {
            nonFinite++;
            continue;
          }
          n++;
          sum += v;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        const mean = sum / n;
        let squares = 0;
        for (const v of volume.data) if (Number.isFinite(v)) squares += (v - mean) ** 2;
        const magnitude = Math.max(Math.abs(stats.min), Math.abs(stats.max));
        expect(n + nonFinite).toBe(stats.n);
        expect(nonFinite).toBe(stats.n_non_finite ?? 0);
        for (const [name, actual, expected] of [['mean', mean, stats.mean], ['std', Math.sqrt(squares / n), stats.std], ['min', min, stats.min], ['max', max, stats.max]] as const) {
          expect(float32Close(actual, expected, magnitude), `${name}: ${actual} vs nibabel ${expected}`).toBe(true);
        }
        const centre = flatIndex(volume.dims, reference.data.centre_index) as number;
        expect(float32Close(volume.data[centre] as number, reference.data.value_at_centre as number, magnitude)).toBe(true);
        const at123 = flatIndex(volume.dims, reference.data.index_123);
        if (reference.data.value_at_index_123 === null) expect(at123).toBeUndefined();
        else expect(float32Close(volume.data[at123 as number] as number, reference.data.value_at_index_123, magnitude)).toBe(true);

        const series = reference.data.centre_voxel_all_volumes;
        if (series && volume.dims.length === 4) {
          const [i, j, k] = reference.data.centre_index as [number, number, number];
          const recording = voxelTimeSeries(volume, i, j, k);
          const channel = recording.channels[0];
          expect(channel?.sampleCount).toBe(volumeGeometry(volume.dims).volumes);
          series.forEach((v, t) => expect(float32Close(channel?.samples[t] as number, v, magnitude)).toBe(true));
        }
        compared++;
      });
    });
  }
});
