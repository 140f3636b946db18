import { describe, expect, it } from 'vitest';
import { readAnalysisResult } from './analysis-result.ts';

describe('readAnalysisResult', () => {
  it('reads a per-channel PSD in linear power as dB and band powers as an array', () => {
    const { psd, bandPowers } = readAnalysisResult({
      psd: { frequenciesHz: [1, 2], channels: [{ label: 'Cz', power: [100, 1] }] },
      bandPowers: [{ label: 'Cz', bands: { alpha: 3, beta: 1 } }],
    });
    expect(psd).toEqual({ frequenciesHz: [1, 2], channels: [{ label: 'Cz', powerDb: [20, 0] }] });
    expect(bandPowers).toEqual({ bands: ['alpha', 'beta'], channels: [{ label: 'Cz', values: [3, 1] }] });
  });

  it('reads the matrix form and the map form of band powers; junk gives nothing', () => {
    const { psd, bandPowers } = readAnalysisResult({ psd: { frequenciesHz: [5], labels: ['O1'], power: [[10]] }, band_powers: { O1: { delta: 2 } } });
    expect(psd?.channels[0]).toEqual({ label: 'O1', powerDb: [10] });
    expect(bandPowers?.channels).toEqual([{ label: 'O1', values: [2] }]);
    expect(readAnalysisResult('nope')).toEqual({});
    expect(readAnalysisResult({ psd: { frequenciesHz: 'x' } }).psd).toBeUndefined();
  });

  it("reads apps/server's analyze result: per-channel absolute and relative band powers, PSD when present", () => {
    const result = {
      method: 'welch',
      channels: [
        { label: 'O1', unit: 'uV', bandPowers: { delta: 4, alpha: 9 }, relativeBandPowers: { delta: 0.3, alpha: 0.7 }, psd: { frequenciesHz: [1, 2], powerDb: [3, 4] } },
        { label: 'O2', unit: 'uV', bandPowers: { delta: 5, alpha: 8 }, relativeBandPowers: { delta: 0.4, alpha: 0.6 }, psd: { frequenciesHz: [1, 2], power: [10, 100] }, peakAlphaHz: 9.5 },
      ],
    };
    const read = readAnalysisResult(result);
    expect(read.bandPowers).toEqual({ bands: ['delta', 'alpha'], channels: [{ label: 'O1', values: [4, 9] }, { label: 'O2', values: [5, 8] }] });
    expect(read.relativeBandPowers?.channels[1]).toEqual({ label: 'O2', values: [0.4, 0.6] });
    expect(read.peakAlphaHz).toEqual([{ label: 'O2', hz: 9.5 }]);
    expect(read.psd).toEqual({ frequenciesHz: [1, 2], channels: [{ label: 'O1', powerDb: [3, 4] }, { label: 'O2', powerDb: [10, 20] }] });
    expect(readAnalysisResult({ channels: [{ label: 'x', bandPowers: { a: 1 } }] }).psd).toBeUndefined();
  });
});
