import { describe, expect, it } from 'vitest';
import type { Channel } from '@cajal/core';
import { applyMontageRows, deriveMontageRows, doubleBananaPairs } from './montage-rows.ts';
import { applyMontage } from './montage.ts';
import { normalizeElectrodeLabel } from './positions.ts';

const standard = ['Fp1', 'Fp2', 'F3', 'F4', 'C3', 'C4', 'P3', 'P4', 'O1', 'O2', 'F7', 'F8', 'T3', 'T4', 'T5', 'T6', 'Fz', 'Cz', 'Pz'];

describe('normalizeElectrodeLabel (the labels a viewer meets)', () => {
  it('accepts EDF-style labels, reference suffixes, case and the old temporal names', () => {
    expect(normalizeElectrodeLabel('EEG Fp1-REF')).toBe('Fp1');
    expect(normalizeElectrodeLabel('FP1-LE')).toBe('Fp1');
    expect(normalizeElectrodeLabel('EEG T3-REF')).toBe('T7');
    expect(normalizeElectrodeLabel('t6')).toBe('P8');
    expect(normalizeElectrodeLabel('EEG CZ')).toBe('Cz');
    expect(normalizeElectrodeLabel('ECG')).toBeNull();
    expect(normalizeElectrodeLabel('EEG Fp1-F7')).toBeNull();
  });
});

describe('deriveMontageRows', () => {
  const channels = [...standard.map((l) => ({ label: `EEG ${l}-REF`, sampleRateHz: 256 })), { label: 'ECG', sampleRateHz: 256 }];

  it('builds all 18 double-banana derivations from a 10-20 set with T3..T6 names, in order', () => {
    const rows = deriveMontageRows('double-banana', channels);
    expect(rows.map((r) => r.label)).toEqual(doubleBananaPairs.map(([a, c]) => `${a}-${c}`));
    const f7t7 = rows.find((r) => r.label === 'F7-T7')!;
    expect(f7t7.terms).toEqual([{ index: 10, weight: 1 }, { index: 12, weight: -1 }]);
  });

  it('skips bipolar pairs that use a bad channel', () => {
    const rows = deriveMontageRows('double-banana', channels, { bad: new Set(['EEG O1-REF']) });
    expect(rows.map((r) => r.label)).not.toContain('P7-O1');
    expect(rows.map((r) => r.label)).not.toContain('P3-O1');
    expect(rows).toHaveLength(16);
  });

  it('average reference: traces of good EEG channels sum to zero; ECG stays as recorded; bad ones drop out', () => {
    const rows = deriveMontageRows('average', channels, { bad: new Set(['EEG Pz-REF']) });
    expect(rows.map((r) => r.label)).not.toContain('Pz-AVG');
    expect(rows.at(-1)).toEqual({ label: 'ECG', terms: [{ index: 19, weight: 1 }] });
    const samples = channels.map((_, i) => new Float32Array([i * 3 + 1, -i, i * i]));
    const traces = applyMontageRows(rows, samples);
    const eeg = traces.slice(0, -1);
    expect(eeg).toHaveLength(18);
    for (let t = 0; t < 3; t++) {
      const sum = eeg.reduce((s, trace) => s + (trace[t] as number), 0);
      expect(Math.abs(sum)).toBeLessThan(1e-3);
    }
    expect(Array.from(traces.at(-1)!)).toEqual([58, -19, 361]);
  });

  it('as-recorded returns the samples themselves, bipolar subtracts the cathode', () => {
    const two = [{ label: 'Fp1', sampleRateHz: 100 }, { label: 'F7', sampleRateHz: 100 }];
    const samples = [new Float32Array([5, 6]), new Float32Array([1, 10])];
    expect(applyMontageRows(deriveMontageRows('as-recorded', two), samples)[0]).toBe(samples[0]);
    expect(Array.from(applyMontageRows(deriveMontageRows('double-banana', two), samples)[0]!)).toEqual([4, -4]);
  });

  it('gives the samples of applyMontage on channels of one rate (double banana exactly, average within float32 rounding)', () => {
    const recorded: Channel[] = standard.map((l, c) => {
      const samples = Float32Array.from({ length: 64 }, (_, i) => 40 * Math.sin(i / (2 + c)) + c);
      return { label: `EEG ${l}-REF`, unit: 'uV', sampleRateHz: 256, sampleCount: 64, type: 'eeg', samples };
    });
    const samples = recorded.map((c) => c.samples);
    const banana = applyMontage(recorded, 'double-banana');
    const rows = applyMontageRows(deriveMontageRows('double-banana', recorded), samples);
    expect(rows.map((r) => Array.from(r))).toEqual(banana.map((c) => Array.from(c.samples)));
    const average = applyMontage(recorded, 'average');
    applyMontageRows(deriveMontageRows('average', recorded), samples).forEach((row, i) => {
      row.forEach((v, t) => expect(Math.abs(v - (average[i]!.samples[t] as number))).toBeLessThan(1e-4));
    });
  });

  it('linked ears and the Laplacian: weights of each row sum to zero; a missing reference is NOT_FOUND', () => {
    const withEars = [...channels, { label: 'A1', sampleRateHz: 256 }, { label: 'A2', sampleRateHz: 256 }];
    const linked = deriveMontageRows('linked-ears', withEars);
    expect(linked).toHaveLength(20);
    expect(linked[0]!.terms.reduce((s, t) => s + t.weight, 0)).toBe(0);
    const laplacian = deriveMontageRows('laplacian', channels);
    expect(laplacian.length).toBe(19);
    for (const row of laplacian) expect(Math.abs(row.terms.reduce((s, t) => s + t.weight, 0))).toBeLessThan(1e-12);
    expect(() => deriveMontageRows('linked-mastoids', channels)).toThrow(/M1 and M2/);
  });
});
