import { describe, expect, it } from 'vitest';
import { applyMontage, deriveMontage, doubleBanana, normalizeElectrode } from './montage.ts';

const standard = ['Fp1', 'Fp2', 'F3', 'F4', 'C3', 'C4', 'P3', 'P4', 'O1', 'O2', 'F7', 'F8', 'T3', 'T4', 'T5', 'T6', 'Fz', 'Cz', 'Pz'];

describe('normalizeElectrode', () => {
  it('accepts EDF-style labels, reference suffixes, case and the old temporal names', () => {
    expect(normalizeElectrode('EEG Fp1-REF')).toBe('Fp1');
    expect(normalizeElectrode('FP1-LE')).toBe('Fp1');
    expect(normalizeElectrode('EEG T3-REF')).toBe('T7');
    expect(normalizeElectrode('t6')).toBe('P8');
    expect(normalizeElectrode('EEG CZ')).toBe('Cz');
    expect(normalizeElectrode('ECG')).toBeUndefined();
    expect(normalizeElectrode('EEG Fp1-F7')).toBeUndefined();
  });
});

describe('deriveMontage', () => {
  const channels = [...standard.map((l) => ({ label: `EEG ${l}-REF`, sampleRateHz: 256 })), { label: 'ECG', sampleRateHz: 256 }];

  it('builds all 18 double-banana derivations from a 10-20 set with T3..T6 names, in order', () => {
    const rows = deriveMontage('bipolar', channels);
    expect(rows.map((r) => r.label)).toEqual(doubleBanana.map(([a, c]) => `${a}-${c}`));
    const f7t7 = rows.find((r) => r.label === 'F7-T7')!;
    expect(f7t7.terms).toEqual([{ index: 10, weight: 1 }, { index: 12, weight: -1 }]);
  });

  it('skips bipolar pairs that use a bad channel', () => {
    const rows = deriveMontage('bipolar', channels, new Set(['EEG O1-REF']));
    expect(rows.map((r) => r.label)).not.toContain('P7-O1');
    expect(rows.map((r) => r.label)).not.toContain('P3-O1');
    expect(rows).toHaveLength(16);
  });

  it('average reference: traces of good EEG channels sum to zero; ECG stays as recorded; bad ones drop out', () => {
    const rows = deriveMontage('average', channels, new Set(['EEG Pz-REF']));
    expect(rows.map((r) => r.label)).not.toContain('Pz-AVG');
    expect(rows.at(-1)).toEqual({ label: 'ECG', terms: [{ index: 19, weight: 1 }] });
    const samples = channels.map((_, i) => new Float32Array([i * 3 + 1, -i, i * i]));
    const traces = applyMontage(rows, samples);
    const eeg = traces.slice(0, -1);
    expect(eeg).toHaveLength(18);
    for (let t = 0; t < 3; t++) {
      const sum = eeg.reduce((s, trace) => s + (trace[t] as number), 0);
      expect(Math.abs(sum)).toBeLessThan(1e-3);
    }
    expect(Array.from(traces.at(-1)!)).toEqual([58, -19, 361]);
  });

  it('recorded montage returns the samples themselves, bipolar subtracts the cathode', () => {
    const two = [{ label: 'Fp1', sampleRateHz: 100 }, { label: 'F7', sampleRateHz: 100 }];
    const samples = [new Float32Array([5, 6]), new Float32Array([1, 10])];
    expect(applyMontage(deriveMontage('recorded', two), samples)[0]).toBe(samples[0]);
    expect(Array.from(applyMontage(deriveMontage('bipolar', two), samples)[0]!)).toEqual([4, -4]);
  });
});
