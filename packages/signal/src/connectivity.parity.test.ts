import { expect, it } from 'vitest';
import { describeShared } from '@cajal/core/testing';
import { spectralConnectivity, spectralConnectivityEpochs } from './connectivity.ts';
import { bandAnalyticSignal, phaseLockingValue } from './connectivity-time.ts';
import { windowFeatures } from './features.ts';
import { maxAbsDifference, readReferenceF32, readReferenceJson, referenceFiles } from './reference.node.ts';

/**
 * Connectivity and features against ../shared/reference/signal (SciPy 1.10 / NumPy 1.24 on
 * 60 s of real scalp EEG, 19 channels at 200 Hz). Criterion: every matrix entry within 1e-9
 * absolute (values lie in [0, 1]); features within relative 1e-9.
 */
interface ConnectivityReference {
  coherence: { matrix: number[][] };
  plv: { matrix: number[][]; epoch_mean_variant: { matrix: number[][] } };
  wpli: { matrix: number[][] };
}

describeShared('connectivity and features parity with SciPy 1.10', referenceFiles, () => {
  const x = readReferenceF32('input_segment.f32', 19);
  const reference = readReferenceJson<ConnectivityReference>('connectivity_alpha.json');

  it('msc (Welch, hann, 512/256) averaged over 8 <= f <= 13 Hz equals scipy.signal.coherence for all 171 pairs (abs 1e-9)', () => {
    const { msc } = spectralConnectivity(x, 200, { fmin: 8, fmax: 13, nperseg: 512, methods: ['msc'] });
    msc!.forEach((row, i) => expect(maxAbsDifference(row, reference.coherence.matrix[i] as number[])).toBeLessThan(1e-9));
  });

  it('Hilbert PLV after butter(4, [8, 13]) + sosfiltfilt equals the reference over all 12000 samples and as a 2-s epoch mean (abs 1e-9)', () => {
    const analytic = x.map((channel) => bandAnalyticSignal(channel, 200, [8, 13]));
    for (let i = 0; i < 19; i++) {
      for (let j = i + 1; j < 19; j++) {
        expect(Math.abs(phaseLockingValue(analytic[i]!, analytic[j]!) - reference.plv.matrix[i]![j]!)).toBeLessThan(1e-9);
        let epochMean = 0;
        for (let e = 0; e < 30; e++) epochMean += phaseLockingValue(analytic[i]!, analytic[j]!, { start: e * 400, stop: (e + 1) * 400 });
        expect(Math.abs(epochMean / 30 - reference.plv.epoch_mean_variant.matrix[i]![j]!)).toBeLessThan(1e-9);
      }
    }
  });

  it('wPLI over 30 two-second epochs (periodic Hann, 8..13 Hz bins) equals the Vinck 2011 reference (abs 1e-9)', () => {
    const epochs = Array.from({ length: 30 }, (_, e) => x.map((channel) => channel.subarray(e * 400, (e + 1) * 400)));
    const { wpli } = spectralConnectivityEpochs(epochs, 200, { fmin: 8, fmax: 13, methods: ['wpli'] });
    wpli!.forEach((row, i) => expect(maxAbsDifference(row, reference.wpli.matrix[i] as number[])).toBeLessThan(1e-9));
  });

  it('line length and Hjorth parameters of 30 two-second windows of Fp1 equal the NumPy reference (rel 1e-9)', () => {
    const features = readReferenceJson<{ values: Array<{ line_length: number; hjorth_activity: number; hjorth_mobility: number; hjorth_complexity: number }> }>('features_ch0.json');
    const rows = windowFeatures(x[0]!, 400);
    expect(rows.length).toBe(30);
    rows.forEach((row, w) => {
      const expected = features.values[w]!;
      for (const key of ['line_length', 'hjorth_activity', 'hjorth_mobility', 'hjorth_complexity'] as const) {
        expect(Math.abs(row[key] - expected[key])).toBeLessThan(1e-9 * Math.abs(expected[key]));
      }
    });
  });
});
