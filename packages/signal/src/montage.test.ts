import { describe, expect, it } from 'vitest';
import { createRandom, createRecording, isCajalError } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { applyMontage, parseMontage } from './montage.ts';
import { doubleBananaPairs, transversePairs } from './montage-rows.ts';
import { electrodePosition, normalizeElectrodeLabel, parseChannelLabel, standard1010Labels, standard1020Labels, standardPositions } from './positions.ts';
import { cutEpochs, epochsAroundAnnotations, peakToPeak, rejectByPeakToPeak, sampleIndexAt } from './epochs.ts';
import { computePsdRecording, filterRecording, notchRecording, rereference, resampleRecording } from './recording-ops.ts';

const labels1020 = ['Fp1', 'Fp2', 'F7', 'F3', 'Fz', 'F4', 'F8', 'T7', 'C3', 'Cz', 'C4', 'T8', 'P7', 'P3', 'Pz', 'P4', 'P8', 'O1', 'O2', 'A1', 'A2'];

/** Channels with seeded noise; `value` overrides the samples of chosen labels. */
function channels(n = 256, value?: (label: string, t: number) => number): Channel[] {
  const random = createRandom(3);
  return labels1020.map((label) => {
    const samples = Float32Array.from({ length: n }, (_, t) => (value ? value(label, t) : 10 * random.normal()));
    return { label: `EEG ${label}-REF`, unit: 'uV', sampleRateHz: 128, sampleCount: n, type: 'eeg', samples };
  });
}

describe('electrode positions (10-20 / 10-10)', () => {
  it('holds the 10-20 and 10-10 sets as unit vectors with Cz at the top and the Fpz-T7-Oz-T8 equator on the unit circle', () => {
    expect(standard1020Labels).toHaveLength(23);
    expect(standard1010Labels.length).toBeGreaterThanOrEqual(91);
    for (const p of standardPositions()) expect(Math.hypot(p.x, p.y, p.z)).toBeCloseTo(1, 12);
    const cz = electrodePosition('Cz')!;
    expect(cz.z).toBeCloseTo(1, 12);
    expect(Math.hypot(cz.u, cz.v)).toBeCloseTo(0, 12);
    for (const label of ['Fpz', 'T7', 'Oz', 'T8']) expect(Math.hypot(electrodePosition(label)!.u, electrodePosition(label)!.v)).toBeCloseTo(1, 9);
    expect(electrodePosition('Fpz')!.v).toBeGreaterThan(0.99); // front is +v
    expect(electrodePosition('T8')!.u).toBeGreaterThan(0.99); // right is +u
  });

  it('is left-right symmetric (C3 mirrors C4, F7 mirrors F8, PO3 mirrors PO4) and rows are ordered front to back', () => {
    for (const [left, right] of [['C3', 'C4'], ['F7', 'F8'], ['PO3', 'PO4'], ['FC5', 'FC6']] as const) {
      const l = electrodePosition(left)!, r = electrodePosition(right)!;
      expect(l.u).toBeCloseTo(-r.u, 12);
      expect(l.v).toBeCloseTo(r.v, 12);
      expect(l.u).toBeLessThan(0);
    }
    const v = (label: string): number => electrodePosition(label)!.v;
    expect(v('Fp1')).toBeGreaterThan(v('F3'));
    expect(v('F3')).toBeGreaterThan(v('C3'));
    expect(v('C3')).toBeGreaterThan(v('P3'));
    expect(v('P3')).toBeGreaterThan(v('O1'));
  });

  it('holds every label of MNE standard_1020 (94, T3-T6 as aliases); the inferior ring (F9, F10, P9, P10, ...) lies 18 degrees under its equator partner', () => {
    const mneStandard1020 = ['Fp1', 'Fpz', 'Fp2', 'AF9', 'AF7', 'AF5', 'AF3', 'AF1', 'AFz', 'AF2', 'AF4', 'AF6', 'AF8', 'AF10', 'F9', 'F7', 'F5', 'F3', 'F1', 'Fz', 'F2', 'F4', 'F6', 'F8', 'F10', 'FT9', 'FT7', 'FC5', 'FC3', 'FC1', 'FCz', 'FC2', 'FC4', 'FC6', 'FT8', 'FT10', 'T9', 'T7', 'C5', 'C3', 'C1', 'Cz', 'C2', 'C4', 'C6', 'T8', 'T10', 'TP9', 'TP7', 'CP5', 'CP3', 'CP1', 'CPz', 'CP2', 'CP4', 'CP6', 'TP8', 'TP10', 'P9', 'P7', 'P5', 'P3', 'P1', 'Pz', 'P2', 'P4', 'P6', 'P8', 'P10', 'PO9', 'PO7', 'PO5', 'PO3', 'PO1', 'POz', 'PO2', 'PO4', 'PO6', 'PO8', 'PO10', 'O1', 'Oz', 'O2', 'O9', 'Iz', 'O10', 'T3', 'T5', 'T4', 'T6', 'M1', 'M2', 'A1', 'A2'];
    for (const label of mneStandard1020) expect(electrodePosition(label), label).not.toBeNull();
    expect(normalizeElectrodeLabel('EEG F9-REF')).toBe('F9');
    expect(normalizeElectrodeLabel('p10')).toBe('P10');
    const angle = (a: string, b: string): number => {
      const p = electrodePosition(a)!, q = electrodePosition(b)!;
      return (Math.acos(p.x * q.x + p.y * q.y + p.z * q.z) * 180) / Math.PI;
    };
    for (const [low, equator] of [['AF9', 'AF7'], ['F9', 'F7'], ['FT9', 'FT7'], ['T9', 'T7'], ['TP9', 'TP7'], ['P9', 'P7'], ['PO9', 'PO7'], ['O9', 'O1'], ['F10', 'F8'], ['P10', 'P8'], ['O10', 'O2']] as const) {
      expect(angle(low, equator)).toBeCloseTo(18, 9);
      expect(electrodePosition(low)!.z).toBeLessThan(0);
      expect(Math.hypot(electrodePosition(low)!.u, electrodePosition(low)!.v)).toBeCloseTo(1.2, 9); // 108 / 90 degrees
    }
    const f9 = electrodePosition('F9')!, f10 = electrodePosition('F10')!, p9 = electrodePosition('P9')!;
    expect(f9.u).toBeCloseTo(-f10.u, 12);
    expect(f9.v).toBeCloseTo(f10.v, 12);
    expect(f9.u).toBeLessThan(0);
    expect(f9.v).toBeGreaterThan(0);
    expect(p9.v).toBeLessThan(0);
    expect(angle('F9', 'Cz')).toBeCloseTo(108, 9);
  });

  it('normalises labels: case, "EEG X-REF", old names T3/T4/T5/T6; bipolar labels sit between their electrodes', () => {
    expect(normalizeElectrodeLabel('EEG FP1-REF')).toBe('Fp1');
    expect(normalizeElectrodeLabel('t3')).toBe('T7');
    expect(normalizeElectrodeLabel('T6')).toBe('P8');
    expect(normalizeElectrodeLabel('ECG')).toBeNull();
    expect(parseChannelLabel('FP1-F7')).toEqual({ pair: ['Fp1', 'F7'] });
    const mid = electrodePosition('C3-P3')!;
    const c3 = electrodePosition('C3')!, p3 = electrodePosition('P3')!;
    expect(mid.v).toBeLessThan(c3.v);
    expect(mid.v).toBeGreaterThan(p3.v);
  });
});

describe('montages', () => {
  it('parses CLI names and rejects unknown ones with INVALID_ARGUMENT', () => {
    expect(parseMontage('Double Banana')).toBe('double-banana');
    expect(parseMontage('car')).toBe('average');
    expect(parseMontage('bipolar')).toBe('double-banana');
    try {
      parseMontage('spiral');
      expect.unreachable();
    } catch (error) {
      expect(isCajalError(error) && error.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('as recorded returns the channels; average reference makes the channel sum zero at every sample', () => {
    const input = channels();
    expect(applyMontage(input, 'as-recorded')).toBe(input);
    const car = applyMontage(input, 'average');
    expect(car).toHaveLength(input.length);
    for (let t = 0; t < 256; t++) expect(Math.abs(car.reduce((s, c) => s + c.samples[t]!, 0))).toBeLessThan(1e-3);
  });

  it('linked ears subtracts (A1 + A2) / 2 and drops A1, A2; a missing reference is NOT_FOUND', () => {
    const input = channels();
    const linked = applyMontage(input, 'linked-ears');
    expect(linked).toHaveLength(input.length - 2);
    const a1 = input[19]!.samples, a2 = input[20]!.samples;
    expect(linked[0]!.samples[5]).toBeCloseTo(input[0]!.samples[5]! - 0.5 * (a1[5]! + a2[5]!), 4);
    try {
      applyMontage(input, 'linked-mastoids');
      expect.unreachable();
    } catch (error) {
      expect(isCajalError(error) && error.code).toBe('NOT_FOUND');
    }
  });

  it('double banana gives the 18 ACNS pairs (e.g. Fp1-F7 = Fp1 - F7), transverse its 14 pairs, custom pairs work', () => {
    const input = channels();
    const banana = applyMontage(input, 'double-banana');
    expect(banana.map((c) => c.label)).toEqual(doubleBananaPairs.map(([a, b]) => `${a}-${b}`));
    expect(banana[0]!.samples[7]).toBeCloseTo(input[0]!.samples[7]! - input[2]!.samples[7]!, 4);
    expect(applyMontage(input, 'transverse')).toHaveLength(transversePairs.length);
    const custom = applyMontage(input, { bipolar: [['Cz', 'Pz']] });
    expect(custom[0]!.samples[3]).toBeCloseTo(input[9]!.samples[3]! - input[14]!.samples[3]!, 4);
  });

  it('Laplacian: a field that is the same on every electrode vanishes; a focal spike stays focal', () => {
    const flat = applyMontage(channels(64, (_, t) => Math.sin(t)), 'laplacian');
    for (const c of flat) for (const v of c.samples) expect(Math.abs(v)).toBeLessThan(1e-6);
    const focal = applyMontage(channels(64, (label, t) => (label === 'Cz' && t === 10 ? 100 : 0)), 'laplacian');
    const cz = focal.find((c) => c.label === 'EEG Cz-REF')!;
    expect(cz.samples[10]).toBe(100);
    const o1 = focal.find((c) => c.label === 'EEG O1-REF')!;
    expect(o1.samples[10]).toBe(0);
  });

  it('rejects channels of different rates', () => {
    const input = channels();
    input[1] = { ...input[1]!, sampleRateHz: 256 };
    expect(() => applyMontage(input, 'average')).toThrow(/one rate/);
  });
});

describe('epochs', () => {
  it('cutEpochs takes [event + tmin, event + tmax) and skips windows that leave the signal', () => {
    const x = Float32Array.from({ length: 1000 }, (_, t) => t);
    const { epochs, kept, skipped } = cutEpochs(x, 100, [10, 500, 990], -0.2, 0.3);
    expect(kept).toEqual([1]);
    expect(skipped).toEqual([0, 2]);
    expect(epochs[0]!.length).toBe(50);
    expect(epochs[0]![0]).toBe(480);
  });

  it('epochsAroundAnnotations finds matching annotations (string or RegExp) and honours gaps between segments', () => {
    const n = 2000;
    const recording = createRecording({
      channels: ['Cz', 'Pz'].map((label, c) => ({ label, unit: 'uV', sampleRateHz: 100, sampleCount: n, type: 'eeg' as const, samples: Float32Array.from({ length: n }, (_, t) => t + c * 1e4) })),
      segments: [{ onsetSeconds: 0, durationSeconds: 10 }, { onsetSeconds: 15, durationSeconds: 10 }],
      annotations: [
        { onsetSeconds: 2, durationSeconds: 0, text: 'Stim' },
        { onsetSeconds: 17, durationSeconds: 0, text: 'stim' },
        { onsetSeconds: 12, durationSeconds: 0, text: 'stim' }, // inside the gap
        { onsetSeconds: 5, durationSeconds: 0, text: 'other' },
      ],
    });
    expect(sampleIndexAt(recording.segments, 100, 17)).toBe(1200);
    expect(sampleIndexAt(recording.segments, 100, 12)).toBeNull();
    const set = epochsAroundAnnotations(recording, 'stim', -0.5, 1);
    expect(set.data).toHaveLength(2);
    expect(set.data[0]![0]![0]).toBe(150);
    expect(set.data[1]![1]![0]).toBe(1e4 + 1150);
    expect(epochsAroundAnnotations(recording, /^oth/, 0, 1).data).toHaveLength(1);
  });

  it('rejectByPeakToPeak drops epochs where any channel exceeds the threshold', () => {
    const quiet = [Float32Array.from([0, 10, -10]), Float32Array.from([5, 0, 5])];
    const loud = [Float32Array.from([0, 10, -10]), Float32Array.from([-100, 100, 0])];
    expect(peakToPeak(loud)).toBe(200);
    const { kept, rejected } = rejectByPeakToPeak([quiet, loud, quiet], 150);
    expect(kept).toHaveLength(2);
    expect(rejected).toEqual([1]);
  });
});

describe('Recording wrappers', () => {
  const random = createRandom(11);
  const n = 2560;
  const recording = createRecording({
    channels: [
      { label: 'C3', unit: 'uV', sampleRateHz: 256, sampleCount: n, type: 'eeg', samples: Float32Array.from({ length: n }, (_, t) => 10 * Math.sin((2 * Math.PI * 10 * t) / 256) + 5 * Math.sin((2 * Math.PI * 50 * t) / 256) + random.normal()) },
      { label: 'C4', unit: 'uV', sampleRateHz: 256, sampleCount: n, type: 'eeg', samples: Float32Array.from({ length: n }, () => random.normal()) },
      { label: 'ECG', unit: 'mV', sampleRateHz: 256, sampleCount: n, type: 'ecg', samples: Float32Array.from({ length: n }, (_, t) => t) },
    ],
  });

  it('filter, notch and resample touch EEG channels only and never modify the input', () => {
    const before = Float32Array.from(recording.channels[0]!.samples);
    const notched = notchRecording(filterRecording(recording, 1, 40), [50]);
    expect(recording.channels[0]!.samples).toEqual(before);
    expect(notched.channels[2]!.samples).toBe(recording.channels[2]!.samples);
    const psd = computePsdRecording(notched, { convention: 'scipy', nperseg: 256 });
    const spectrum = psd.spectra[0]!;
    const at = (hz: number): number => spectrum.power[Math.round(hz)]!;
    expect(at(50)).toBeLessThan(1e-3 * at(10));
    const half = resampleRecording(recording, 1, 2);
    expect(half.channels[0]!.sampleRateHz).toBe(128);
    expect(half.channels[0]!.sampleCount).toBe(n / 2);
  });

  it('rereference applies a montage to the EEG channels', () => {
    const car = rereference(recording, 'average');
    const eeg = car.channels.filter((c) => c.type === 'eeg');
    for (let t = 0; t < 10; t++) expect(Math.abs(eeg[0]!.samples[t]! + eeg[1]!.samples[t]!)).toBeLessThan(1e-4);
  });
});
