/**
 * Malformed NIfTI input: mutations of real headers (anatomical.nii, big-endian NIfTI-1;
 * example4d.nii.gz, gzipped; example_nifti2.nii.gz, NIfTI-2) and a seeded fast-check run.
 * Criterion: every case ends in a CajalError whose location names the field and its byte
 * offset, or in a read (with a warning where something was tolerated) — never another
 * exception, and nothing allocated beyond what the file's bytes justify (a header claiming
 * terabytes is refused before any voxel is read).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'fflate';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CajalError } from '@cajal/core';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { readRecording } from '../read.ts';
import type { ByteSource } from '../source.ts';
import { registerReader } from '../registry.ts';
import { niftiReader } from './reader.ts';
import { readNiftiVolume } from './volume.ts';

registerReader(niftiReader);

const files = ['data/nibabel/anatomical.nii', 'data/nibabel/example4d.nii.gz', 'data/nibabel/example_nifti2.nii.gz'];

describeShared('NIfTI malformed input', files, () => {
  const anatomical = new Uint8Array(readFileSync(sharedPath('data', 'nibabel', 'anatomical.nii')));
  const example4d = new Uint8Array(readFileSync(sharedPath('data', 'nibabel', 'example4d.nii.gz')));
  const nifti2 = gunzipSync(new Uint8Array(readFileSync(sharedPath('data', 'nibabel', 'example_nifti2.nii.gz'))));

  /** A copy of `bytes` with `edit` applied through a DataView (anatomical.nii is big-endian). */
  const mutate = (bytes: Uint8Array, edit: (view: DataView) => void): Uint8Array => {
    const copy = bytes.slice();
    edit(new DataView(copy.buffer));
    return copy;
  };

  async function expectError(input: Uint8Array | ByteSource, code: string, field: string, byteOffset: number | undefined, name = 'mutated.nii'): Promise<CajalError> {
    const error = await readRecording(input, { name, format: 'nifti' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'should fail').toBeInstanceOf(CajalError);
    const cajal = error as CajalError;
    expect(cajal.code, cajal.message).toBe(code);
    expect(cajal.location.field, cajal.message).toBe(field);
    if (byteOffset !== undefined) expect(cajal.location.byteOffset, cajal.message).toBe(byteOffset);
    return cajal;
  }

  const corpus: Array<[string, () => Promise<unknown>]> = [
    ['dims claiming terabytes (NIfTI-1): FORMAT_TOO_LARGE at dim, nothing read', async () => {
      const claim = mutate(anatomical, (v) => [32767, 32767, 32767].forEach((d, i) => v.setInt16(42 + 2 * i, d, false)));
      let largest = 0;
      const watched: ByteSource = { name: 'huge.nii', size: claim.length, read: async (o, l) => ((largest = Math.max(largest, l)), claim.subarray(o, o + l)) };
      const error = await expectError(watched, 'FORMAT_TOO_LARGE', 'dim', 40);
      expect(error.message).toMatch(/32767 x 32767 x 32767/);
      expect(largest).toBeLessThanOrEqual(540);
    }],
    ['dims claiming terabytes (NIfTI-2, int64 dims): FORMAT_TOO_LARGE at dim', () =>
      expectError(mutate(nifti2, (v) => v.setBigInt64(16 + 8 * 4, 10n ** 12n, true)), 'FORMAT_TOO_LARGE', 'dim', 16)],
    ['negative dim[2]', () => expectError(mutate(anatomical, (v) => v.setInt16(44, -41, false)), 'FORMAT_INVALID_FIELD', 'dim[2]', 44)],
    ['dim[0] of 9', () => expectError(mutate(anatomical, (v) => v.setInt16(40, 9, false)), 'FORMAT_INVALID_FIELD', 'dim[0]', 40)],
    ['bad magic', () => expectError(mutate(anatomical, (v) => v.setUint8(345, 0x3f)), 'FORMAT_INVALID_FIELD', 'magic', 344)],
    ['NIfTI-2 bad magic', () => expectError(mutate(nifti2, (v) => v.setUint8(4, 0x78)), 'FORMAT_INVALID_FIELD', 'magic', 4)],
    ['sizeof_hdr neither 348 nor 540', () => expectError(mutate(anatomical, (v) => v.setInt32(0, 349, false)), 'FORMAT_INVALID_FIELD', 'sizeof_hdr', 0)],
    ['unsupported datatype (RGB24)', () => expectError(mutate(anatomical, (v) => v.setInt16(70, 128, false)), 'FORMAT_UNSUPPORTED', 'datatype', 70)],
    ['NaN vox_offset', () => expectError(mutate(anatomical, (v) => v.setFloat32(108, Number.NaN, false)), 'FORMAT_INVALID_FIELD', 'vox_offset', 108)],
    ['header cut at 200 bytes', () => expectError(anatomical.subarray(0, 200), 'FORMAT_TRUNCATED', 'header', 200)],
    ['voxel data cut short', async () => {
      const error = await expectError(anatomical.subarray(0, anatomical.length - 1000), 'FORMAT_TRUNCATED', 'voxel data', anatomical.length - 1000);
      expect(error.message).toMatch(/33x41x25 int16 voxels from byte 352 needs 68002 bytes but the file gives 67002/);
    }],
    ['truncated gzip: FORMAT_TRUNCATED naming where the stream ends', async () => {
      const error = await expectError(example4d.subarray(0, Math.floor(example4d.length / 2)), 'FORMAT_TRUNCATED', 'voxel data', undefined, 'cut.nii.gz');
      expect(error.message).toMatch(/compressed byte \d+/);
    }],
    ['corrupt gzip body', async () => {
      const corrupt = example4d.slice();
      corrupt.fill(0xff, 20, 400);
      const error = await readRecording(corrupt, { name: 'corrupt.nii.gz' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CajalError);
      expect((error as CajalError).location.field !== undefined).toBe(true);
    }],
    ['bitpix disagreeing with datatype: a warning at byte 72, the datatype wins', async () => {
      const recording = await readRecording(mutate(anatomical, (v) => v.setInt16(72, 8, false)), { name: 'bitpix.nii' });
      const warning = recording.warnings.find((w) => w.code === 'NIFTI_BITPIX');
      expect(warning?.byteOffset).toBe(72);
      expect(recording.channels[0]?.sampleCount).toBe(1);
    }],
    ['qfac 0: a warning at pixdim[0], read as 1', async () => {
      const volume = await readNiftiVolume(mutate(anatomical, (v) => v.setFloat32(76, 0, false)));
      expect(volume.warnings.find((w) => w.field === 'pixdim[0]')?.byteOffset).toBe(76);
    }],
  ];

  for (const [name, run] of corpus) it(`corpus: ${name}`, run);

  it('fast-check: random header bytes, field values and truncations end in a CajalError naming the field, or a read', async () => {
    const bases = [anatomical, nifti2];
    const fieldOffsets = [0, 40, 42, 44, 46, 48, 70, 72, 76, 108, 112, 116, 123, 252, 254, 344, 16, 24, 32, 104, 168, 176, 12, 14];
    const mutation = fc.record({
      base: fc.integer({ min: 0, max: bases.length - 1 }),
      bytes: fc.array(fc.record({ offset: fc.nat({ max: 543 }), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
      fields: fc.array(fc.record({ at: fc.constantFrom(...fieldOffsets), value: fc.constantFrom(-1, 0, 1, 7, 8, 32767, -32768, 0x7fffffff) }), { maxLength: 3 }),
      cut: fc.option(fc.nat({ max: 70000 }), { nil: undefined }),
      gzip: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ base, bytes, fields, cut, gzip }) => {
        const source = bases[base] as Uint8Array;
        const littleEndian = base === 1;
        let mutated = mutate(source, (view) => {
          for (const { offset, value } of bytes) if (offset < view.byteLength) view.setUint8(offset, value);
          for (const { at, value } of fields) if (at + 4 <= view.byteLength) view.setInt16(at, Math.max(-32768, Math.min(32767, value)), littleEndian);
        });
        if (cut !== undefined) mutated = mutated.subarray(0, cut);
        const input = gzip ? gzipSync(mutated) : mutated;
        try {
          const recording = await readRecording(input, { name: gzip ? 'fuzz.nii.gz' : 'fuzz.nii', format: 'nifti' });
          // A successful read decoded at most what the bytes hold.
          expect(recording.channels[0]?.sampleCount ?? 0).toBeLessThanOrEqual(mutated.length);
        } catch (error) {
          expect(error).toBeInstanceOf(CajalError);
          const { location } = error as CajalError;
          expect(location.field !== undefined && (location.byteOffset !== undefined || /voxel|region|mask/.test((error as Error).message)), (error as Error).message).toBe(true);
        }
      }),
      { numRuns: 200, seed: 20261127 },
    );
  });
});
