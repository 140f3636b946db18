/**
 * One Cajal measurement in a fresh process (so its peak RSS is its own). Prints one JSON line.
 *
 *   tsx bench/pipeline-child.ts stages FILE     read, band-pass + notch, Welch PSD + band powers,
 *                                               all-pairs alpha coherence (the mne_pipeline.py stages)
 *   tsx bench/pipeline-child.ts pipeline FILE   read + runDefaultPipeline (what `cajal analyze` runs)
 */
import { readRecordingFile } from '@cajal/formats/node';
import type { Recording } from '@cajal/core';
import { applyFirCascadeZeroPhaseMany, prepareFirCascade } from '../src/filter.ts';
import { designFirFilter, designNotchFilter } from '../src/fir.ts';
import { psdArrayWelch } from '../src/welch.ts';
import { bandPowers, defaultBands } from '../src/bands.ts';
import { spectralConnectivity } from '../src/connectivity.ts';
import { runDefaultPipeline } from '../src/pipeline.ts';
import type { Samples } from '../src/filter.ts';

const [mode, file] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: pipeline-child.ts stages|pipeline FILE');

const baselineRss = process.memoryUsage().rss;
const clock = (): number => performance.now() / 1000;
const cpuClock = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const seconds: Record<string, number> = {};
const cpuSeconds: Record<string, number> = {};
let c = cpuClock();
/** Close a stage: wall and CPU seconds since the last mark. */
function mark(stage: string): void {
  seconds[stage] = clock() - t;
  cpuSeconds[stage] = cpuClock() - c;
  t = clock();
  c = cpuClock();
}
const checks: Record<string, number> = {};

let t = clock();
c = cpuClock();
const recording: Recording = await readRecordingFile(file);
mark('read');
const channels = recording.channels;
const fs = channels[0]?.sampleRateHz ?? 0;
const n = channels[0]?.sampleCount ?? 0;

if (mode === 'stages') {
  // Band-pass 1-40 Hz then notch 50 Hz, MNE's FIR defaults (each stage padded the MNE way), one
  // like raw.filter; both stages in one overlap-add pass, two channels per complex FFT
  // (applyFirCascadeZeroPhaseMany), written as float32 like a Recording's channels (MNE keeps
  // float64; the PSD and coherence below still agree with MNE's to ~1e-9).
  const cascade = prepareFirCascade([designFirFilter(fs, 1, 40).coefficients, designNotchFilter(fs, [50]).coefficients], n);
  const filtered: Samples[] = applyFirCascadeZeroPhaseMany(channels.map((c) => c.samples), cascade, { output: 'float32' });
  mark('filter');

  // Welch PSD, MNE conventions (Hamming, 512/256) and band powers (sum over [lo, hi) * df, like the script).
  const powers = filtered.map((x) => {
    const spectrum = psdArrayWelch(x, fs, { nFft: 512, nOverlap: 256 });
    return bandPowers(spectrum.frequencies, spectrum.power, defaultBands.slice(0, 4), [1, 45], 'sum');
  });
  mark('psd');
  checks['alpha_power_ch0'] = powers[0]?.absolute['alpha'] ?? NaN;

  // All-pairs magnitude-squared coherence, SciPy conventions (Hann, 512/256), mean over 8 <= f < 13 Hz.
  const { msc } = spectralConnectivity(filtered, fs, { fmin: 8, fmax: 13, includeHigh: false, nperseg: 512, noverlap: 256, methods: ['msc'] });
  mark('connectivity');
  let sum = 0;
  let pairs = 0;
  msc!.forEach((row, i) => row.forEach((value, j) => { if (j > i) { sum += value; pairs++; } }));
  checks['alpha_coherence_upper_mean'] = sum / pairs;
  for (const record of [seconds, cpuSeconds]) record['total_stages'] = record['read']! + record['filter']! + record['psd']! + record['connectivity']!;
} else {
  const result = await runDefaultPipeline(recording, { lineFrequency: 50 });
  mark('pipeline_after_read');
  for (const record of [seconds, cpuSeconds]) record['pipeline'] = record['read']! + record['pipeline_after_read']!;
  for (const [key, value] of Object.entries(result.timings_seconds)) seconds[`pipeline_${key}`] = value;
  checks['alpha_relative_ch0'] = result.band_powers.relative['alpha']?.[0] ?? NaN;
}

console.log(JSON.stringify({
  mode,
  channels: channels.length,
  samples_per_channel: n,
  sample_rate_hz: fs,
  seconds,
  cpu_seconds: cpuSeconds,
  checks,
  baseline_rss_mb: baselineRss / 2 ** 20,
  peak_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
