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
});
