import { expect, it } from 'vitest';
import { describeShared } from '@cajal/core/testing';
import { designFirFilter, designNotchFilter, firwin } from './fir.ts';
import { applyFirZeroPhase, filterData, notchFilter } from './filter.ts';
import { butterSos, sosfiltfilt } from './iir.ts';
import { resamplePoly, resamplePolyFilter } from './resample.ts';
import { maxAbs, maxAbsDifference, readReferenceF32, readReferenceJson, referenceFiles, summarize } from './reference.node.ts';
import type { ChannelSummary } from './reference.node.ts';

/**
 * Parity with MNE-Python 1.3 and SciPy 1.10 (../shared/reference/signal, 60 s of real scalp EEG,
 * 19 channels at 200 Hz, float32 input). Tolerances: coefficients 1e-12 absolute; filtered
 * signals relative 1e-6 of the signal's range against the float32 files (their rounding) and
 * relative 1e-9 against the float64 per-channel summaries.
 */
const input = (): Float32Array[] => readReferenceF32('input_segment.f32', 19);

function expectSummaryMatch(y: ArrayLike<number>, reference: ChannelSummary, relative: number): void {
  const s = summarize(y);
  const range = reference.max - reference.min;
  expect(maxAbsDifference(s.first16, reference.first16)).toBeLessThan(relative * range);
  expect(maxAbsDifference(s.third16, reference.third16)).toBeLessThan(relative * range);
  expect(Math.abs(s.mean - reference.mean)).toBeLessThan(relative * range);
  expect(Math.abs(s.std - reference.std)).toBeLessThan(relative * reference.std);
}

describeShared('FIR, notch, IIR and resampling parity with MNE 1.3 / SciPy 1.10', referenceFiles, () => {
  it('designFirFilter(200, 1, 40) equals mne.filter.create_filter coefficients (661 taps) to 1e-12', () => {
    const reference = readReferenceJson<{ filter: { coefficients: number[]; length: number } }>('fir_bandpass_1_40.json');
    const filter = designFirFilter(200, 1, 40);
    expect(filter.coefficients.length).toBe(661);
    expect(filter.lTransBandwidth).toBe(1);
    expect(filter.hTransBandwidth).toBe(10);
    expect(maxAbsDifference(filter.coefficients, reference.filter.coefficients)).toBeLessThan(1e-12);
  });

  it('firwin(67, 45, fs=200) is the scipy.signal.firwin low-pass inside MNE design (sum = 1)', () => {
    const h = firwin(67, 45, { fs: 200 });
    expect(Math.abs(h.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-14);
  });

  it('filterData 1-40 Hz equals mne.filter.filter_data on all 19 channels (float64 summaries, rel 1e-9; float32 file, rel 1e-6)', () => {
    const reference = readReferenceJson<{ channels: ChannelSummary[] }>('fir_bandpass_1_40.json');
    const expected = readReferenceF32('fir_bandpass_1_40_first3.f32', 3);
    const x = input();
    const h = designFirFilter(200, 1, 40).coefficients;
    x.forEach((channel, c) => {
      const y = applyFirZeroPhase(channel, h);
      expectSummaryMatch(y, reference.channels[c] as ChannelSummary, 1e-9);
      if (c < 3) expect(maxAbsDifference(y, expected[c] as Float32Array)).toBeLessThan(1e-6 * maxAbs(expected[c] as Float32Array));
    });
    expect(maxAbsDifference(filterData(x[0] as Float32Array, 200, 1, 40), applyFirZeroPhase(x[0] as Float32Array, h))).toBe(0);
  });

  it('notchFilter(50) equals mne.filter.notch_filter (1321 taps; coefficients 1e-12, signals rel 1e-9 / 1e-6)', () => {
    const reference = readReferenceJson<{ filter: { coefficients: number[] }; channels: ChannelSummary[] }>('notch_50.json');
    const expected = readReferenceF32('notch_50_first3.f32', 3);
    const filter = designNotchFilter(200, [50]);
    expect(filter.coefficients.length).toBe(1321);
    expect(maxAbsDifference(filter.coefficients, reference.filter.coefficients)).toBeLessThan(1e-12);
    input().forEach((channel, c) => {
      const y = notchFilter(channel, 200, [50]);
      expectSummaryMatch(y, reference.channels[c] as ChannelSummary, 1e-9);
      if (c < 3) expect(maxAbsDifference(y, expected[c] as Float32Array)).toBeLessThan(1e-6 * maxAbs(expected[c] as Float32Array));
    });
  });

  it('the MNE designs equal their stated firwin constructions (1e-12) ; notch gains at the listed frequencies (abs 1e-9), band-pass nominal -6 dB points (0.5 +- 0.01)', () => {
    const fir = readReferenceJson<{ filter: { coefficients: number[]; minus6db_cutoffs_hz: number[] } }>('fir_bandpass_1_40.json');
    const notch = readReferenceJson<{ filter: { coefficients: number[]; gain_at_hz: Record<string, number> } }>('notch_50.json');
    // fir_bandpass_1_40.json: h = pad_centre(firwin(67, 45, fs=200), 661) - firwin(661, 0.5, fs=200).
    const low = firwin(67, 45, { fs: 200 });
    const high = firwin(661, 0.5, { fs: 200 });
    const bandpass = Float64Array.from(high, (v, i) => -v + (i >= 297 && i < 364 ? (low[i - 297] as number) : 0));
    expect(maxAbsDifference(bandpass, fir.filter.coefficients)).toBeLessThan(1e-12);
    // notch_50.json: h = delta_centre(1321) - firwin(1321, 50.375) + firwin(1321, 49.625).
    const a = firwin(1321, 50.375, { fs: 200 });
    const b = firwin(1321, 49.625, { fs: 200 });
    const bandstop = Float64Array.from(a, (v, i) => (i === 660 ? 1 : 0) - v + (b[i] as number));
    expect(maxAbsDifference(bandstop, notch.filter.coefficients)).toBeLessThan(1e-12);
    const gain = (h: ArrayLike<number>, hz: number): number => {
      let re = 0, im = 0;
      for (let k = 0; k < h.length; k++) {
        re += h[k] * Math.cos((2 * Math.PI * hz * k) / 200);
        im -= h[k] * Math.sin((2 * Math.PI * hz * k) / 200);
      }
      return Math.hypot(re, im);
    };
    const ours = designNotchFilter(200, [50]).coefficients;
    for (const [hz, expected] of Object.entries(notch.filter.gain_at_hz)) expect(Math.abs(gain(ours, Number(hz)) - expected)).toBeLessThan(1e-9);
    for (const hz of fir.filter.minus6db_cutoffs_hz) expect(Math.abs(gain(designFirFilter(200, 1, 40).coefficients, hz) - 0.5)).toBeLessThan(0.01); // nominal -6 dB points
  });

  it('butterSos(4, [1, 40], bandpass, 200) equals scipy.signal.butter(output="sos") to 1e-12, sosfiltfilt equals SciPy (rel 1e-9 / 1e-6)', () => {
    const reference = readReferenceJson<{ sos: number[][]; channels: ChannelSummary[] }>('iir_butter4_1_40.json');
    const expected = readReferenceF32('iir_butter4_1_40_first3.f32', 3);
    const sos = butterSos(4, [1, 40], 'bandpass', 200);
    expect(sos.length).toBe(4);
    sos.forEach((row, i) => expect(maxAbsDifference(row, reference.sos[i] as number[])).toBeLessThan(1e-12));
    input().forEach((channel, c) => {
      const y = sosfiltfilt(sos, channel);
      expectSummaryMatch(y, reference.channels[c] as ChannelSummary, 1e-9);
      if (c < 3) expect(maxAbsDifference(y, expected[c] as Float32Array)).toBeLessThan(1e-6 * maxAbs(expected[c] as Float32Array));
    });
  });

  it('butterSos(4, [8, 13]) equals the alpha SOS used for the PLV reference (scipy.signal.butter) to 1e-12', () => {
    const reference = readReferenceJson<{ plv: { sos_alpha: number[][] } }>('connectivity_alpha.json');
    butterSos(4, [8, 13], 'bandpass', 200).forEach((row, i) => expect(maxAbsDifference(row, reference.plv.sos_alpha[i] as number[])).toBeLessThan(1e-12));
  });

  it('resamplePoly(x, 1, 2) equals scipy.signal.resample_poly (41-tap Kaiser filter 1e-12; signals rel 1e-9 / 1e-6)', () => {
    const reference = readReferenceJson<{ filter: { coefficients: number[] }; channels: ChannelSummary[] }>('resample_poly_100hz.json');
    const expected = readReferenceF32('resample_poly_100hz_first3.f32', 3);
    expect(maxAbsDifference(resamplePolyFilter(1, 2), reference.filter.coefficients)).toBeLessThan(1e-12);
    input().slice(0, 3).forEach((channel, c) => {
      const y = resamplePoly(channel, 1, 2);
      expect(y.length).toBe(6000);
      expectSummaryMatch(y, reference.channels[c] as ChannelSummary, 1e-9);
      expect(maxAbsDifference(y, expected[c] as Float32Array)).toBeLessThan(1e-6 * maxAbs(expected[c] as Float32Array));
    });
  });
});
