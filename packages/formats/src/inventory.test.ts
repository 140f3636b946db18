/**
 * Coverage of the parity tests: every file of ../shared/data/INVENTORY.tsv that one of Cajal's
 * readers claims (by content, else by extension: `detectReader`) must be compared with a
 * reference by a parity test:
 *  - EDF/EDF+/BDF/BDF+: edf/reference.test.ts, files from reference/formats/INDEX.json;
 *  - BrainVision (.vhdr/.ahdr): brainvision/brainvision.test.ts, reference/formats/<path>.json;
 *  - NIfTI (.nii/.nii.gz): nifti/nifti.test.ts, reference/mri/<path>.json;
 *  - NIfTI .hdr headers whose .img is not in the data set: checked here against nibabel 5.0's
 *    reading of the header (values below), and their reads must fail with NOT_FOUND.
 * Prints the counts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeShared, sharedPath } from '@cajal/core/testing';
import type { NiftiRecordingHeader } from './nifti/reader.ts';
import { openPathSource, openRecordingFile, readRecordingFile } from './node.ts';
import { detectReader } from './read.ts';

/** nibabel 5.0.0 (Nifti1Header/Nifti2Header.from_fileobj) on the two header-only files. */
const headerOnly: Record<string, { version: 1 | 2; dims: number[]; datatype: number; pixdim: number[]; affine: number[][] }> = {
  'nibabel/nifti1.hdr': { version: 1, dims: [91, 109, 91], datatype: 4, pixdim: [2, 2, 2], affine: [[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]] },
  'nibabel/nifti2.hdr': { version: 2, dims: [91, 109, 91], datatype: 4, pixdim: [2, 2, 2], affine: [[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]] },
};

describeShared('parity coverage of the data inventory', ['data/INVENTORY.tsv', 'reference/formats/INDEX.json', 'reference/mri'], () => {
  const inventory = readFileSync(sharedPath('data', 'INVENTORY.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t')[0] as string);
  const edfIndex = JSON.parse(readFileSync(sharedPath('reference', 'formats', 'INDEX.json'), 'utf8')) as { files: Array<{ source: string; format: string }> };
  const edfCompared = new Set(edfIndex.files.filter((f) => /^(EDF|BDF)/.test(f.format)).map((f) => f.source.replace(/^shared\/data\//, '')));

  it('every EDF, BDF, BrainVision and NIfTI file in INVENTORY.tsv is compared with a reference', async () => {
    const claimed: Record<string, string[]> = {};
    for (const path of inventory) {
      const source = await openPathSource(sharedPath('data', path));
      try {
        const format = await detectReader(source).then(
          (reader) => reader.format,
          () => undefined,
        );
        if (format) (claimed[format] ??= []).push(path);
      } finally {
        await source.close?.();
      }
    }
    const uncovered: string[] = [];
    for (const path of claimed['edf'] ?? []) if (!edfCompared.has(path)) uncovered.push(path);
    for (const path of claimed['brainvision'] ?? []) {
      if (!/\.(vhdr|ahdr)$/i.test(path) || !existsSync(sharedPath('reference', 'formats', `${path}.json`))) uncovered.push(path);
    }
    for (const path of claimed['nifti'] ?? []) {
      const parity = /\.nii(\.gz)?$/i.test(path) && existsSync(sharedPath('reference', 'mri', `${path}.json`));
      if (!parity && !headerOnly[path]) uncovered.push(path);
    }
    expect(uncovered).toEqual([]);
    const other = Object.keys(claimed).filter((f) => !['edf', 'brainvision', 'nifti'].includes(f));
    expect(other).toEqual([]);
    const count = (f: string): number => claimed[f]?.length ?? 0;
    console.log(
      `inventory: ${inventory.length} files; Cajal's readers claim ${count('edf')} EDF/BDF, ${count('brainvision')} BrainVision, ${count('nifti')} NIfTI ` +
        `(${Object.keys(headerOnly).length} of them header-only .hdr); every one is compared with a reference`,
    );
    expect(count('edf')).toBeGreaterThanOrEqual(29);
    expect(count('brainvision')).toBeGreaterThanOrEqual(20);
    expect(count('nifti')).toBeGreaterThanOrEqual(11);
  });

  for (const [path, expected] of Object.entries(headerOnly)) {
    it(`${path}: header as nibabel reads it; the missing .img is a warning on open and NOT_FOUND on read`, async () => {
      const opened = await openRecordingFile(sharedPath('data', path));
      try {
        const header = opened.header as NiftiRecordingHeader;
        expect(header.nifti.header.nifti_version).toBe(expected.version);
        expect(header.nifti.dims).toEqual(expected.dims);
        expect(header.nifti.header.datatype).toBe(expected.datatype);
        expect(header.nifti.pixdim).toEqual(expected.pixdim);
        header.nifti.affine.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(expected.affine[i]![j]!, 5)));
        expect(header.warnings.map((w) => w.code)).toContain('NIFTI_IMAGE_MISSING');
      } finally {
        await opened.close();
      }
      await expect(readRecordingFile(sharedPath('data', path))).rejects.toMatchObject({ code: 'NOT_FOUND', location: { field: 'magic' } });
    });
  }
});
