import { expect, it } from 'vitest';
import { describeShared } from '@cajal/core/testing';
import { psdArrayWelch, welch } from './welch.ts';
import { bandPowers } from './bands.ts';
import { readReferenceF32, readReferenceJson, referenceFiles } from './reference.node.ts';

/**
 * Welch PSD and band powers against SciPy 1.10 and MNE 1.3 (../shared/reference/signal).
 * Criterion: every bin of every channel within relative 1e-9 (PSD is a linear-quadratic
 * operation on the same float64 input; we allow rounding only).
 */
interface WelchReference {
  scipy: { freqs: number[]; psd: number[][] };
  mne: { freqs: number[]; psd: number[][] };
}
interface BandReference {
  total_uV2: number[];
  bands: Record<string, { range_hz: [number, number]; absolute_uV2: number[]; relative: number[] }>;
}

function expectRelative(actual: ArrayLike<number>, expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    expect(Math.abs(actual[k] - (expected[k] as number))).toBeLessThanOrEqual(tolerance * Math.abs(expected[k] as number) + 1e-300);
  }
}

describeShared('Welch PSD and band powers parity with SciPy 1.10 / MNE 1.3', referenceFiles, () => {
  const x = readReferenceF32('input_segment.f32', 19);
  const reference = readReferenceJson<WelchReference>('welch_psd.json');

  it('welch (SciPy conventions: hann, 512/256, constant detrend, density) matches scipy.signal.welch on 19 channels x 257 bins (rel 1e-9)', () => {
    x.forEach((channel, c) => {
      const spectrum = welch(channel, 200, { window: 'hann', nperseg: 512, noverlap: 256 });
      expect(spectrum.segmentCount).toBe(45);
      expectRelative(spectrum.frequencies, reference.scipy.freqs, 1e-15);
      expectRelative(spectrum.power, reference.scipy.psd[c] as number[], 1e-9);
    });
  });

  it('psdArrayWelch (MNE conventions: hamming) matches mne.time_frequency.psd_array_welch(n_fft=512, n_overlap=256) (rel 1e-9)', () => {
    x.forEach((channel, c) => {
      const spectrum = psdArrayWelch(channel, 200, { nFft: 512, nOverlap: 256 });
      expectRelative(spectrum.frequencies, reference.mne.freqs, 1e-15);
      expectRelative(spectrum.power, reference.mne.psd[c] as number[], 1e-9);
    });
  });

  it('bandPowers (trapezoid, inclusive edges) match numpy.trapz band powers: absolute and relative to 1-45 Hz (rel 1e-9)', () => {
    const bands = readReferenceJson<BandReference>('band_powers.json');
    x.forEach((channel, c) => {
      const spectrum = welch(channel, 200, { nperseg: 512, noverlap: 256 });
      const names = Object.keys(bands.bands);
      const result = bandPowers(spectrum.frequencies, spectrum.power, names.map((name) => ({ name, low: bands.bands[name]!.range_hz[0], high: bands.bands[name]!.range_hz[1] })), [1, 45]);
      expectRelative([result.total], [bands.total_uV2[c] as number], 1e-9);
      for (const name of names) {
        expectRelative([result.absolute[name] as number], [bands.bands[name]!.absolute_uV2[c] as number], 1e-9);
        expectRelative([result.relative[name] as number], [bands.bands[name]!.relative[c] as number], 1e-9);
      }
    });
  });
});
