import { describe, expect, it } from 'vitest';
import { createRecording, createRandom, isCajalError } from '@cajal/core';
import type { Channel, Recording } from '@cajal/core';
import { runDefaultPipeline } from './pipeline.ts';
import { createNodePool } from './pool.node.ts';
import { createInlinePool } from './pool.ts';
import { analyzeChannel } from './channel-analysis.ts';
import { psdArrayWelch, welch } from './welch.ts';
import { applyFirZeroPhase } from './filter.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';
import { connectivityFromSpectra, spectralConnectivity } from './connectivity.ts';

/** A 60-s, 8-channel, 128 Hz synthetic EEG: noise, a shared 10 Hz rhythm on the posterior channels, 50 Hz mains. */
function syntheticRecording(seconds = 60, fs = 128): Recording {
  const random = createRandom(42);
  const labels = ['EEG Fp1-REF', 'EEG Fp2-REF', 'EEG C3-REF', 'EEG C4-REF', 'EEG P3-REF', 'EEG P4-REF', 'EEG O1-REF', 'EEG O2-REF'];
  const n = seconds * fs;
  const alpha = Float64Array.from({ length: n }, (_, t) => 20 * Math.sin((2 * Math.PI * 10 * t) / fs));
  const channels: Channel[] = labels.map((label, c) => {
    const samples = new Float32Array(n);
    for (let t = 0; t < n; t++) samples[t] = 5 * random.normal() + (c >= 4 ? alpha[t]! : 0) + 3 * Math.sin((2 * Math.PI * 50 * t) / fs);
    return { label, unit: 'uV', sampleRateHz: fs, sampleCount: n, type: 'eeg', samples };
  });
  return createRecording({ channels, source: 'synthetic' });
}

describe('default pipeline', () => {
  it('analyzeChannel: its one-FFT Hamming PSD equals psdArrayWelch of the filtered signal, and its Hann band spectra give scipy-style coherence (rel 1e-9)', () => {
    const recording = syntheticRecording(30);
    const x = recording.channels[4]!.samples;
    const out = analyzeChannel({ samples: x, sampleRateHz: 128, bandpass: [1, 40], notchFrequencies: [50], nperseg: 256, noverlap: 128, connectivityBand: [8, 13] });
    const filtered = applyFirZeroPhase(applyFirZeroPhase(x, designFirFilter(128, 1, 40).coefficients), designNotchFilter(128, [50]).coefficients);
    const reference = psdArrayWelch(filtered, 128, { nFft: 256, nOverlap: 128 });
    for (let k = 0; k < reference.power.length; k++) expect(Math.abs(out.psd[k]! - reference.power[k]!)).toBeLessThanOrEqual(1e-9 * reference.power[k]! + 1e-12);
    const y = analyzeChannel({ samples: recording.channels[5]!.samples, sampleRateHz: 128, bandpass: [1, 40], notchFrequencies: [50], nperseg: 256, noverlap: 128, connectivityBand: [8, 13] });
    const direct = spectralConnectivity([out.filtered, y.filtered], 128, { fmin: 8, fmax: 13, nperseg: 256, methods: ['msc'] });
    // direct uses the float32 output; analyzeChannel's spectra come from the float64 filtered signal.
    expect(Math.abs(connectivityFromSpectra([out.bandSpectra, y.bandSpectra], ['msc']).msc![0]![1]! - direct.msc![0]![1]!)).toBeLessThan(1e-6);
  });

  it('finds the posterior alpha: higher relative alpha and coherence among P3/P4/O1/O2 than frontal pairs; 50 Hz removed; progress reaches the total', async () => {
    const recording = syntheticRecording();
    const seen: number[] = [];
    const result = await runDefaultPipeline(recording, { onProgress: (p) => seen.push(p.done / p.total) });
    expect(result.channels.map((c) => c.label)).toHaveLength(8);
    expect(result.channels[0]!.position).not.toBeNull();
    const alpha = result.band_powers.relative['alpha']!;
    expect(Math.min(...alpha.slice(4))).toBeGreaterThan(2 * Math.max(...alpha.slice(0, 4)));
    const msc = result.connectivity.msc!;
    // The shared rhythm fills ~2 of the 11 alpha bins, so band-mean coherence is diluted: compare pairs.
    expect(msc[4]![6]!).toBeGreaterThan(5 * msc[0]![1]!);
    expect(msc[4]![6]!).toBeGreaterThan(0.15);
    const f50 = result.psd.frequencies_hz.indexOf(50);
    const raw = welch(recording.channels[0]!.samples, 128, { nperseg: 256, window: 'hamming' });
    expect(result.psd.power[0]![f50]!).toBeLessThan(1e-3 * raw.power[f50]!);
    expect(result.graph.msc!.strength).toHaveLength(8);
    expect(seen[seen.length - 1]).toBe(1);
    expect(result.features[4]!.peak_alpha_frequency_hz).toBeCloseTo(10, 0);
    expect(JSON.parse(JSON.stringify(result)).band_powers.absolute.alpha).toHaveLength(8);
  });

  it('filters channels in pairs (analyzeChannels, two per complex FFT) with the numbers of per-channel analyzeChannel (rel 1e-12; odd count)', async () => {
    const recording = syntheticRecording(60); // long enough for the paired cascade (n >= 2 * (423 + 845) taps)
    const picked = { ...recording, channels: recording.channels.slice(0, 7) };
    const result = await runDefaultPipeline(picked, { lineFrequency: 50 });
    const single = picked.channels.map((c) => analyzeChannel({ samples: c.samples, sampleRateHz: 128, bandpass: [1, 40], notchFrequencies: [50], nperseg: 256, noverlap: 128, connectivityBand: [8, 13] }));
    const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-300);
    single.forEach((s, c) => {
      s.psd.forEach((v, k) => expect(close(result.psd.power[c]![k]!, v, 1e-12)).toBe(true));
      for (const [name, value] of Object.entries(s.features)) expect(close(result.features[c]![name as keyof typeof s.features], value, 1e-9)).toBe(true);
      result.preview.samples[c]!.forEach((v, t) => expect(Math.abs(v - s.filtered[t]!)).toBeLessThanOrEqual(1e-6 * Math.abs(s.filtered[t]!) + 1e-9));
    });
    const msc = connectivityFromSpectra(single.map((s) => s.bandSpectra), ['msc', 'wpli']);
    msc.msc!.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(result.connectivity.msc![i]![j]! - v)).toBeLessThan(1e-12)));
    msc.wpli!.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(result.connectivity.wpli![i]![j]! - v)).toBeLessThan(1e-12)));
  });

  it('an aborted signal stops the pipeline with CajalError ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runDefaultPipeline(syntheticRecording(10), { signal: controller.signal })).rejects.toSatisfy((e: unknown) => isCajalError(e, 'ABORTED'));
  });

  it('the worker_threads pool gives the same numbers as the inline pool, in input order', async () => {
    const recording = syntheticRecording(20);
    const pool = createNodePool({ size: 2 });
    try {
      const inWorkers = await runDefaultPipeline(recording, { pool });
      const inline = await runDefaultPipeline(recording, { pool: createInlinePool() });
      expect(inWorkers.band_powers).toEqual(inline.band_powers);
      expect(inWorkers.connectivity).toEqual(inline.connectivity);
    } finally {
      await pool.close();
    }
  });
});
