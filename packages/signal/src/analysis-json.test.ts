import { describe, expect, it } from 'vitest';
import { createRecording, createRandom } from '@cajal/core';
import type { Channel, Recording } from '@cajal/core';
import { analysisConnectivityMethods, analyzeRecording, chooseAnalysisChannels, toAnalysisJson } from './analysis-json.ts';
import { runDefaultPipeline } from './pipeline.ts';

/** 20 s at 128 Hz: six positioned EEG channels (alpha on O1/O2), two unpositioned EEG ones, an ECG and a 64-Hz EEG channel. */
function recordingWithExtras(): Recording {
  const random = createRandom(7);
  const fs = 128;
  const n = 20 * fs;
  const make = (label: string, type: Channel['type'], rate = fs): Channel => {
    const count = (n * rate) / fs;
    const samples = Float32Array.from({ length: count }, (_, t) => 5 * random.normal() + (label.startsWith('O') ? 20 * Math.sin((2 * Math.PI * 10 * t) / rate) : 0));
    return { label, unit: 'uV', sampleRateHz: rate, sampleCount: count, type, samples };
  };
  const channels = [...['Fp1', 'Fp2', 'C3', 'C4', 'O1', 'O2'].map((l) => make(l, 'eeg')), make('POL X9', 'eeg'), make('POL DC01', 'eeg'), make('ECG', 'ecg'), make('Pz', 'eeg', 64)];
  return createRecording({ channels, source: 'synthetic', startTime: new Date('2020-01-02T03:04:05Z') });
}

describe('the exported analysis (analyzeRecording, toAnalysisJson)', () => {
  const recording = recordingWithExtras();

  it('chooses the positioned EEG channels of the common rate by default, every EEG one with "all", or by label; says why others are left out', () => {
    const chosen = chooseAnalysisChannels(recording, undefined);
    expect(chosen.labels).toEqual(['Fp1', 'Fp2', 'C3', 'C4', 'O1', 'O2']);
    expect(chosen.skipped).toEqual([
      { label: 'POL X9', reason: 'no 10-20 / 10-10 position (--channels all includes it)' },
      { label: 'POL DC01', reason: 'no 10-20 / 10-10 position (--channels all includes it)' },
      { label: 'ECG', reason: 'channel type ecg' },
      { label: 'Pz', reason: 'sample rate 64 Hz (analysed: 128 Hz)' },
    ]);
    expect(chooseAnalysisChannels(recording, 'all').labels).toEqual([...chosen.labels, 'POL X9', 'POL DC01']);
    expect(chooseAnalysisChannels(recording, ['all'])).toEqual(chooseAnalysisChannels(recording, 'all'));
    expect(chooseAnalysisChannels(recording, ['o1', 'C4']).labels).toEqual(['O1', 'C4']);
    expect(() => chooseAnalysisChannels(recording, ['T9'])).toThrow(/no channel "T9" in the recording/);
  });

  it('is the pipeline result on the chosen channels (PLV beside coherence and wPLI) plus where it came from, in snake_case', async () => {
    const json = await analyzeRecording(recording, { lineFrequency: 60 });
    const chosen = chooseAnalysisChannels(recording, undefined);
    const direct = toAnalysisJson(recording, await runDefaultPipeline(recording, { lineFrequency: 60, connectivityMethods: analysisConnectivityMethods, channels: chosen.labels }), { lineFrequencyHz: 60, channelsSkipped: chosen.skipped });
    expect({ ...json, timings_seconds: {} }).toEqual({ ...direct, timings_seconds: {} });
    expect(json).toMatchObject({ format: 'memory', start_time: '2020-01-02T03:04:05.000Z', recording_duration_seconds: 20, annotation_count: 0, simulated: false, line_frequency_hz: 60, channels_without_position: [] });
    expect(json.parameters.notch_hz).toEqual([60]);
    expect(Object.keys(json.connectivity)).toEqual(['msc', 'wpli', 'plv']);
    const o1 = json.channels.findIndex((c) => c.label === 'O1');
    expect(json.features[o1]!.peak_alpha_frequency_hz).toBeCloseTo(10, 0);
    for (const key of Object.keys(json)) expect(key).toMatch(/^[a-z0-9_]+$/);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('passes progress and cancellation through to the pipeline', async () => {
    const stages: string[] = [];
    const json = await analyzeRecording(recording, { channels: 'all', previewSeconds: 0, onProgress: (p) => stages.push(p.stage ?? '') });
    expect(json.channels_without_position).toEqual(['POL X9', 'POL DC01']);
    expect(json.preview.samples.every((row) => row.length === 0)).toBe(true);
    expect(stages).toContain('connectivity');
    const controller = new AbortController();
    controller.abort();
    await expect(analyzeRecording(recording, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
