import { describe, expect, it } from 'vitest';
import { createRandom, createRecording } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { analyzeRecording } from '@cajal/signal';
import type { AnalysisJson } from '@cajal/signal';
import { jobResultOf, psdChartMaxHz, readAnalysisResult } from './analysis-result.ts';
import type { Job } from './api.ts';

/** The analyze job's result as the web receives it: signal's AnalysisJson of a 20-s, 128-Hz, 4-channel EEG, through JSON. */
async function analysisAsReceived(): Promise<AnalysisJson> {
  const random = createRandom(3);
  const channels: Channel[] = ['Fp1', 'Cz', 'O1', 'O2'].map((label) => {
    const samples = Float32Array.from({ length: 20 * 128 }, (_, t) => 5 * random.normal() + (label.startsWith('O') ? 20 * Math.sin((2 * Math.PI * 10 * t) / 128) : 0));
    return { label, unit: 'uV', sampleRateHz: 128, sampleCount: samples.length, type: 'eeg', samples };
  });
  const json = await analyzeRecording(createRecording({ channels }), { channels: 'all', previewSeconds: 0 });
  // A channel without an alpha peak (NaN) arrives as null, as JSON writes NaN.
  (json.features[1] as { peak_alpha_frequency_hz: number }).peak_alpha_frequency_hz = NaN;
  return JSON.parse(JSON.stringify(json)) as AnalysisJson;
}

describe('readAnalysisResult', () => {
  it("reads signal's AnalysisJson: per-channel absolute and relative band powers, peak alpha where there is one, PSD in dB to 45 Hz", async () => {
    const result = await analysisAsReceived();
    const read = readAnalysisResult(result);
    const labels = ['Fp1', 'Cz', 'O1', 'O2'];
    expect(read.bandPowers.bands).toEqual(['delta', 'theta', 'alpha', 'beta']);
    expect(read.bandPowers.channels).toEqual(labels.map((label, i) => ({ label, values: read.bandPowers.bands.map((b) => result.band_powers.absolute[b]![i]!) })));
    expect(read.relativeBandPowers.channels[2]).toEqual({ label: 'O1', values: read.bandPowers.bands.map((b) => result.band_powers.relative[b]![2]!) });
    expect(read.relativeBandPowers.channels[2]!.values[2]).toBeGreaterThan(0.5);
    expect(read.peakAlphaHz.map((p) => p.label)).toEqual(['Fp1', 'O1', 'O2']);
    expect(read.peakAlphaHz[1]!.hz).toBeCloseTo(10, 0);
    expect(Math.max(...result.psd.frequencies_hz)).toBe(64);
    expect(Math.max(...read.psd.frequenciesHz)).toBeLessThanOrEqual(psdChartMaxHz);
    expect(read.psd.frequenciesHz).toEqual(result.psd.frequencies_hz.filter((f) => f <= 45));
    expect(read.psd.channels.map((c) => c.label)).toEqual(labels);
    read.psd.channels.forEach((c, i) => {
      expect(c.powerDb).toHaveLength(read.psd.frequenciesHz.length);
      c.powerDb.forEach((db, k) => expect(db).toBeCloseTo(10 * Math.log10(result.psd.power[i]![k]!), 9));
    });
  });
});

describe('jobResultOf', () => {
  const job = (kind: string, status: Job['status'], result?: unknown): Job => ({ id: 'j', kind, status, progress: { done: 1, total: 1 }, attempts: 1, recordingId: null, projectId: 'p', createdAt: '', ...(result !== undefined ? { result } : {}) });
  it('gives the result of a finished job of that kind only', () => {
    expect(jobResultOf(job('checksum', 'done', { digest: 'ab', steps: 2 }), 'checksum')).toEqual({ digest: 'ab', steps: 2 });
    expect(jobResultOf(job('checksum', 'done', { digest: 'ab', steps: 2 }), 'analyze')).toBeUndefined();
    expect(jobResultOf(job('analyze', 'running'), 'analyze')).toBeUndefined();
    expect(jobResultOf(job('analyze', 'failed'), 'analyze')).toBeUndefined();
  });
});
