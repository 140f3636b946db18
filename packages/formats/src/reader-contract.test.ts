/**
 * The reader contract applied to the BrainVision and NIfTI readers on real files from
 * ../shared/data (in-memory sources with their sibling files, so that detection, sibling
 * resolution and the ArrayBuffer/Blob/ByteSource equivalence are all exercised).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hasShared, sharedPath, describeShared } from '@cajal/core/testing';
import { describeReaderContract } from './reader-contract.ts';
import { registerReader } from './registry.ts';
import { brainVisionReader } from './brainvision/reader.ts';
import { niftiReader } from './nifti/reader.ts';
import type { ReaderContractCase } from './reader-contract.ts';

// The registry lists the readers already; registering again is a no-op that keeps this test
// independent of the order in which the format modules land in registry.ts.
registerReader(brainVisionReader);
registerReader(niftiReader);

function fileCase(relativePath: string, siblingNames: string[] = []): ReaderContractCase {
  const path = sharedPath('data', relativePath);
  return {
    name: relativePath,
    source: () => new Uint8Array(readFileSync(path)),
    options: {
      name: basename(path),
      siblings: Object.fromEntries(siblingNames.map((n) => [n, new Uint8Array(readFileSync(join(dirname(path), n)))])),
    },
  };
}

const brainVision = [
  ['mne-python-io/brainvision/test.vhdr', ['test.eeg', 'test.vmrk']],
  ['mne-python-io/brainvision/test_old_layout_latin1_software_filter.vhdr', ['test_old_layout_latin1_software_filter.eeg', 'test_old_layout_latin1_software_filter.vmrk']],
  ['mne-testing-data/Brainvision/test_VAmp.ahdr', ['test_VAmp.eeg', 'test_VAmp.amrk']],
  ['mne-testing-data/Brainvision/test_NO.vhdr', ['test_NO.eeg', 'test_NO.vmrk']],
  ['mne-testing-data/antio/user_annotations/test-user-annotation.vhdr', ['test-user-annotation.eeg', 'test-user-annotation.vmrk']],
] as const;

describeShared(
  'BrainVision reader contract',
  brainVision.map(([p]) => `data/${p}`),
  () => {
    if (hasShared(...brainVision.map(([p]) => `data/${p}`))) {
      describeReaderContract(
        'brainvision',
        brainVision.map(([p, siblings]) => fileCase(p, [...siblings])),
      );
    }
  },
);

const nifti = ['nibabel/example4d.nii.gz', 'nibabel/functional.nii', 'nibabel/anatomical.nii', 'nibabel/example_nifti2.nii.gz'];

describeShared(
  'NIfTI reader contract',
  nifti.map((p) => `data/${p}`),
  () => {
    if (hasShared(...nifti.map((p) => `data/${p}`))) {
      describeReaderContract(
        'nifti',
        nifti.map((p) => fileCase(p)),
      );
    }
  },
);
