/**
 * The reader contract (../reader-contract.ts) on real EDF/EDF+/BDF/BDF+ files from ../shared
 * (mixed rates, sub-second start, annotation-only, BDF Status) and on a written EDF+D file with
 * gaps.
 */
import { readFileSync } from 'node:fs';
import { createRecording } from '@cajal/core';
import { hasShared, sharedPath } from '@cajal/core/testing';
import { describeReaderContract } from '../reader-contract.ts';
import type { ReaderContractCase } from '../reader-contract.ts';
import { writeEdf } from './writer.ts';

const realFiles = [
  'mne-python-io/edf/test_uneven_samp.edf',
  'mne-testing-data/EDF/subsecond_starttime.edf',
  'mne-testing-data/EDF/test_utf8_annotations.edf',
  'mne-testing-data/BDF/test_bdf_stim_channel.bdf',
  'pyedflib/test_generator_datarec_generator_0_5.bdf',
];
// The annotation-only SC4001EC-Hypnogram.edf (no channels) is covered by reference.test.ts: the
// contract's subset checks assume at least one channel.

function gappedEdf(): Uint8Array {
  const rate = 128;
  const samples = new Float32Array(rate * 7);
  for (let k = 0; k < samples.length; k++) samples[k] = Math.sin(k / 5) * 40;
  const recording = createRecording({
    channels: [
      { label: 'Cz', unit: 'uV', sampleRateHz: rate, sampleCount: samples.length, type: 'eeg', samples },
      { label: 'Slow', unit: 'uV', sampleRateHz: 16, sampleCount: 16 * 7, type: 'eeg', samples: samples.filter((_, k) => k % 8 === 0) },
    ],
    segments: [
      { onsetSeconds: 0, durationSeconds: 3 },
      { onsetSeconds: 5.5, durationSeconds: 4 },
    ],
    annotations: [{ onsetSeconds: 6, durationSeconds: 1, text: 'in the second segment' }],
  });
  return writeEdf(recording).bytes;
}

const cases: ReaderContractCase[] = [{ name: 'written EDF+D with a gap', source: gappedEdf(), options: { name: 'gapped.edf' } }];
for (const file of realFiles) {
  if (!hasShared(`data/${file}`)) continue;
  const bytes = new Uint8Array(readFileSync(sharedPath('data', file)));
  cases.push({ name: file, source: bytes, options: { name: file.split('/').pop() as string } });
}

describeReaderContract('edf', cases);
