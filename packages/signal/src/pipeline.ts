import { CajalError, throwIfAborted } from '@cajal/core';
import type { Channel, LongOperationOptions, Recording } from '@cajal/core';
import { bandPowers, defaultBands } from './bands.ts';
import type { Band, BandPowerMethod } from './bands.ts';
import { connectivityFromSpectra } from './connectivity.ts';
import type { SpectralMethod } from './connectivity.ts';
import { nextPowerOfTwo } from './fft.ts';
import { graphSummary } from './graph-measures.ts';
import type { GraphSummary } from './graph-measures.ts';
import { applyMontage } from './montage.ts';
import type { Montage } from './montage.ts';
import { mostCommonRate } from './montage-rows.ts';
import { createInlinePool } from './pool.ts';
import type { TaskPool } from './pool.ts';
import { electrodePosition } from './positions.ts';
import type { ChannelAnalysisInput, ChannelAnalysisOutput } from './channel-analysis.ts';

/**
 * Options of the default analysis ({@link runDefaultPipeline}): pick the EEG channels, apply a
 * montage, band-pass (1-40 Hz) and notch (line frequency) with MNE's FIR defaults, Welch PSD
 * (Hamming, 2-s segments, 50 % overlap, MNE conventions), band powers, per-channel spectral
 * features, and all-pairs connectivity in the alpha band (magnitude-squared coherence and wPLI
 * over the Welch segments by default) with graph measures. `cajal analyze` and the server's
 * `analyze` job both run it through `analyzeRecording` (analysis-json.ts), which chooses the
 * channels, adds PLV and returns the exported form, `AnalysisJson`.
 */
export interface PipelineOptions extends LongOperationOptions {
  montage?: Montage;
  bands?: Band[];
  /** Mains frequency in Hz (default 50); null skips the notch. */
  lineFrequency?: number | null;
  /** Band-pass edges (default [1, 40]); null skips it. */
  bandpass?: [number, number] | null;
  /** Connectivity band (default alpha, [8, 13]). */
  connectivityBand?: [number, number];
  /** Connectivity measures (default ['msc', 'wpli']). */
  connectivityMethods?: SpectralMethod[];
  /** Welch segment length in samples (default: the power of two nearest 2 s). */
  nperseg?: number;
  /** Range (Hz) relative band power refers to (default [1, 45]). */
  totalRange?: [number, number];
  /** Band power integration (default 'trapezoid'; 'sum' reproduces mne_pipeline.py). */
  bandPowerMethod?: BandPowerMethod;
  /** Channels to analyse (labels); default: EEG-typed channels of the most common rate. */
  channels?: string[];
  /** Where per-channel work runs (default in-process). */
  pool?: TaskPool;
  /** Seconds of filtered signal kept for the report preview (default 10). */
  previewSeconds?: number;
}

/** Everything the pipeline measured; field names are snake_case because they reach JSON. */
export interface AnalysisResult {
  source: string | null;
  sample_rate_hz: number;
  duration_seconds: number;
  montage: string;
  channels: Array<{ label: string; unit: string; position: { u: number; v: number } | null }>;
  parameters: { bandpass_hz: [number, number] | null; notch_hz: number[]; welch: { window: string; nperseg: number; noverlap: number; nfft: number; segments: number; average: string }; connectivity_band_hz: [number, number]; connectivity_methods: SpectralMethod[]; band_power_method: BandPowerMethod; total_range_hz: [number, number] };
  psd: { unit: string; frequencies_hz: number[]; power: number[][] };
  bands: Band[];
  band_powers: { unit: string; absolute: Record<string, number[]>; relative: Record<string, number[]>; total: number[] };
  features: Array<ChannelAnalysisOutput['features']>;
  connectivity: Partial<Record<SpectralMethod, number[][]>>;
  graph: Partial<Record<SpectralMethod, GraphSummary>>;
  preview: { seconds: number; sample_rate_hz: number; samples: number[][] };
  timings_seconds: Record<string, number>;
}

function pickChannels(recording: Recording, labels: string[] | undefined): Channel[] {
  if (labels) {
    return labels.map((label) => {
      const channel = recording.channels.find((c) => c.label === label) ?? recording.channels.find((c) => c.label.toLowerCase() === label.toLowerCase());
      if (!channel) throw new CajalError('NOT_FOUND', `no channel "${label}"`, { field: 'channels', available: recording.channels.map((c) => c.label) });
      return channel;
    });
  }
  const { pool, rateHz } = analysableChannels(recording);
  return pool.filter((c) => c.sampleRateHz === rateHz);
}

/**
 * The channels the analysis can take: the EEG-typed ones (EEG, sEEG, ECoG) with samples, else
 * every non-stimulus channel with samples; and the most common sample rate among them.
 *
 * @example
 *   const { pool, rateHz } = analysableChannels(recording); // the default analyses pool at rateHz
 */
export function analysableChannels(recording: Recording): { pool: Channel[]; rateHz: number | undefined } {
  const eeg = recording.channels.filter((c) => (c.type === 'eeg' || c.type === 'seeg' || c.type === 'ecog') && c.sampleCount > 0);
  const pool = eeg.length > 0 ? eeg : recording.channels.filter((c) => c.sampleCount > 0 && c.type !== 'stim' && c.type !== 'status');
  return { pool, rateHz: mostCommonRate(pool) };
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now()) / 1000;

/**
 * Run the default pipeline on a recording.
 *
 * @example
 *   const result = await runDefaultPipeline(recording, { lineFrequency: 50, onProgress });
 *   result.band_powers.relative.alpha; // per channel
 */
export async function runDefaultPipeline(recording: Recording, options: PipelineOptions = {}): Promise<AnalysisResult> {
  const timings: Record<string, number> = {};
  let t = now();
  const picked = pickChannels(recording, options.channels);
  if (picked.length === 0) throw new CajalError('INVALID_ARGUMENT', 'the recording has no EEG channels to analyse', { field: 'channels' });
  const montage = options.montage ?? 'as-recorded';
  const channels = applyMontage(picked, montage);
  const first = channels[0] as Channel;
  const fs = first.sampleRateHz;
  const n = Math.min(...channels.map((c) => c.sampleCount));
  const nperseg = options.nperseg ?? Math.min(nextPowerOfTwo(Math.round(2 * fs)), n - (n % 2));
  if (nperseg < 16) throw new CajalError('INVALID_ARGUMENT', `the recording is too short to analyse (${n} samples)`, { field: 'samples' });
  const noverlap = Math.floor(nperseg / 2);
  const bandpass = options.bandpass === undefined ? ([1, Math.min(40, fs / 2 - 2)] as [number, number]) : options.bandpass;
  const lineFrequency = options.lineFrequency === undefined ? 50 : options.lineFrequency;
  const notch = lineFrequency ? [lineFrequency].filter((f) => f < fs / 2 - 1) : [];
  const connectivityBand = options.connectivityBand ?? [8, 13];
  const methods = options.connectivityMethods ?? ['msc', 'wpli'];
  const bands = options.bands ?? defaultBands;
  const totalRange = options.totalRange ?? [1, Math.min(45, fs / 2)];
  const bandPowerMethod = options.bandPowerMethod ?? 'trapezoid';
  timings['prepare'] = now() - t;

  t = now();
  const pool = options.pool ?? createInlinePool();
  const inputs: ChannelAnalysisInput[] = channels.map((c) => ({ samples: c.samples.length === n ? c.samples : c.samples.subarray(0, n), sampleRateHz: fs, bandpass, notchFrequencies: notch, nperseg, noverlap, connectivityBand }));
  // Channels in pairs: the band-pass + notch runs two channels per complex FFT (analyzeChannels).
  const groups: ChannelAnalysisInput[][] = [];
  for (let c = 0; c < inputs.length; c += 2) groups.push(inputs.slice(c, c + 2));
  const outputs = (await pool.map('analyzeChannels', groups, {
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (p) => options.onProgress?.({ done: Math.min(2 * p.done, inputs.length), total: inputs.length + 1, stage: 'filtering and spectra' }),
  })).flat();
  if (!options.pool) await pool.close();
  timings['channels'] = now() - t;
  throwIfAborted(options.signal, 'analysis');

  t = now();
  const frequencies = (outputs[0] as ChannelAnalysisOutput).frequencies;
  const powers = outputs.map((o) => bandPowers(frequencies, o.psd, bands, totalRange, bandPowerMethod));
  const absolute: Record<string, number[]> = {};
  const relative: Record<string, number[]> = {};
  for (const band of bands) {
    absolute[band.name] = powers.map((p) => p.absolute[band.name] as number);
    relative[band.name] = powers.map((p) => p.relative[band.name] as number);
  }
  timings['band_powers'] = now() - t;

  t = now();
  const matrices = connectivityFromSpectra(outputs.map((o) => o.bandSpectra), methods, options.signal ? { signal: options.signal } : {});
  const connectivity: AnalysisResult['connectivity'] = {};
  const graph: AnalysisResult['graph'] = {};
  for (const method of methods) {
    const matrix = matrices[method] as Float64Array[];
    connectivity[method] = matrix.map((row) => Array.from(row));
    graph[method] = graphSummary(matrix.map((row) => row.map(Math.abs)));
  }
  timings['connectivity'] = now() - t;
  options.onProgress?.({ done: channels.length + 1, total: channels.length + 1, stage: 'connectivity' });

  const previewSeconds = Math.min(options.previewSeconds ?? 10, n / fs);
  const previewCount = Math.round(previewSeconds * fs);
  const unit = first.unit || 'units';
  return {
    source: recording.source ?? null,
    sample_rate_hz: fs,
    duration_seconds: n / fs,
    montage: typeof montage === 'string' ? montage : JSON.stringify(montage),
    channels: channels.map((c) => {
      const p = electrodePosition(c.label);
      return { label: c.label, unit: c.unit, position: p ? { u: p.u, v: p.v } : null };
    }),
    parameters: {
      bandpass_hz: bandpass,
      notch_hz: notch,
      welch: { window: 'hamming', nperseg, noverlap, nfft: nperseg, segments: outputs[0]?.bandSpectra.segmentCount ?? 0, average: 'mean' },
      connectivity_band_hz: connectivityBand,
      connectivity_methods: methods,
      band_power_method: bandPowerMethod,
      total_range_hz: totalRange,
    },
    psd: { unit: `${unit}^2/Hz`, frequencies_hz: Array.from(frequencies), power: outputs.map((o) => Array.from(o.psd)) },
    bands,
    band_powers: { unit: `${unit}^2`, absolute, relative, total: powers.map((p) => p.total) },
    features: outputs.map((o) => o.features),
    connectivity,
    graph,
    preview: { seconds: previewSeconds, sample_rate_hz: fs, samples: outputs.map((o) => Array.from(o.filtered.subarray(0, previewCount))) },
    timings_seconds: timings,
  };
}
