/**
 * The exported (JSON) form of the default analysis: what `cajal analyze --json` writes and what
 * the server's `analyze` job stores as its result. One function, {@link analyzeRecording},
 * chooses the channels, runs {@link runDefaultPipeline} (with PLV beside coherence and wPLI)
 * and turns its result into this form,
 * so the command line and the server give the same numbers for the same options.
 */
import { CajalError } from '@cajal/core';
import type { Recording } from '@cajal/core';
import { analysableChannels, runDefaultPipeline } from './pipeline.ts';
import type { AnalysisResult, PipelineOptions } from './pipeline.ts';
import type { SpectralMethod } from './connectivity.ts';
import { electrodePosition, normalizeElectrodeLabel } from './positions.ts';

/** A channel of the recording the analysis left out, and why. */
export interface SkippedChannel {
  label: string;
  reason: string;
}

/**
 * The analysis as exported data (snake_case, DESIGN convention 5): the pipeline's result plus
 * where it came from.
 */
export interface AnalysisJson extends AnalysisResult {
  format: string;
  /** ISO 8601 start of the recording, null when the file has none. */
  start_time: string | null;
  /** Length of the whole recording (the analysis covers `duration_seconds` of it). */
  recording_duration_seconds: number;
  annotation_count: number;
  /** True when the file says it is SIMULATED (e.g. `cajal demo`), so a report can say so. */
  simulated: boolean;
  /** Mains frequency notched, Hz; null when no notch was asked for. */
  line_frequency_hz: number | null;
  /** Analysed channels that have no 10-20/10-10 position (left out of head maps and graphs). */
  channels_without_position: string[];
  /** Channels of the recording not analysed, and why. */
  channels_skipped: SkippedChannel[];
}

/** Fewest positioned channels for which the default analyses the positioned channels only. */
const minimumPositioned = 4;

/**
 * The default channel choice: the signal-carrying channels the pipeline would take (EEG-typed
 * ones of the most common rate, else any non-stimulus channel of that rate), narrowed to those
 * with a 10-20 / 10-10 position when at least four have one, so polygraphic, DC and photic
 * channels recorded as "EEG" stay out of the scalp analysis. `'all'` (or `['all']`) keeps them
 * all; a list of labels picks by label (exact, case-insensitive, or the same electrode name).
 *
 * @example
 *   const { labels, skipped } = chooseAnalysisChannels(recording, undefined);
 */
export function chooseAnalysisChannels(recording: Recording, requested: string[] | 'all' | undefined): { labels: string[]; skipped: SkippedChannel[] } {
  const candidates = recording.channels.filter((c) => c.sampleCount > 0);
  const all = requested === 'all' || (requested?.length === 1 && requested[0]?.toLowerCase() === 'all');
  if (requested && requested !== 'all' && !all) {
    const labels = requested.map((label) => {
      const channel = candidates.find((c) => c.label === label) ?? candidates.find((c) => c.label.toLowerCase() === label.toLowerCase()) ?? candidates.find((c) => normalizeElectrodeLabel(c.label) !== null && normalizeElectrodeLabel(c.label) === normalizeElectrodeLabel(label));
      if (!channel) throw new CajalError('NOT_FOUND', `no channel "${label}" in the recording (channels: ${candidates.map((c) => c.label).join(', ')})`, { field: 'channels' });
      return channel.label;
    });
    return { labels, skipped: recording.channels.filter((c) => !labels.includes(c.label)).map((c) => ({ label: c.label, reason: 'not in --channels' })) };
  }
  const { pool, rateHz: rate } = analysableChannels(recording);
  const sameRate = pool.filter((c) => c.sampleRateHz === rate);
  const positioned = sameRate.filter((c) => electrodePosition(c.label) !== null);
  const chosen = requested === undefined && positioned.length >= minimumPositioned ? positioned : sameRate;
  const skipped = recording.channels
    .filter((c) => !chosen.includes(c))
    .map((c) => ({
      label: c.label,
      reason: c.sampleCount === 0 ? 'no samples' : !pool.includes(c) ? `channel type ${c.type}` : c.sampleRateHz !== rate ? `sample rate ${c.sampleRateHz} Hz (analysed: ${rate} Hz)` : 'no 10-20 / 10-10 position (--channels all includes it)',
    }));
  return { labels: chosen.map((c) => c.label), skipped };
}

function isSimulated(recording: Recording): boolean {
  const text = [recording.subject.id, recording.subject.name, recording.subject.raw, recording.recordingInfo.id, recording.recordingInfo.equipment, recording.recordingInfo.raw].join(' ');
  return /\bSIMULATED\b/.test(text);
}

/**
 * Turn the pipeline's result on `recording` into its exported form.
 *
 * @example
 *   const json = toAnalysisJson(recording, await runDefaultPipeline(recording), { lineFrequencyHz: 50, channelsSkipped: [] });
 */
export function toAnalysisJson(recording: Recording, result: AnalysisResult, context: { lineFrequencyHz: number | null; channelsSkipped: SkippedChannel[] }): AnalysisJson {
  return {
    format: recording.format,
    start_time: recording.startTime ? recording.startTime.toISOString() : null,
    recording_duration_seconds: recording.channels.reduce((max, c) => Math.max(max, c.sampleCount / c.sampleRateHz), 0),
    annotation_count: recording.annotations.length,
    simulated: isSimulated(recording),
    line_frequency_hz: context.lineFrequencyHz,
    channels_without_position: result.channels.filter((c) => c.position === null).map((c) => c.label),
    channels_skipped: context.channelsSkipped,
    ...result,
  };
}

/** The connectivity measures {@link analyzeRecording} computes by default: magnitude-squared coherence, wPLI, PLV. */
export const analysisConnectivityMethods: SpectralMethod[] = ['msc', 'wpli', 'plv'];

/** Options of {@link analyzeRecording}: the pipeline's, with the channel choice of {@link chooseAnalysisChannels}. */
export interface AnalyzeRecordingOptions extends Omit<PipelineOptions, 'channels'> {
  /** Connectivity measures (default {@link analysisConnectivityMethods}). */
  connectivityMethods?: SpectralMethod[];
  /** Labels, `'all'` (every EEG channel of the most common rate), or undefined (the positioned ones when four or more have a position). */
  channels?: string[] | 'all';
}

/**
 * The default analysis of a recording in its exported form: choose the channels, run the
 * pipeline (progress and cancellation passed through), add where it came from. The function
 * behind `cajal analyze` and the server's `analyze` job.
 *
 * @example
 *   const json = await analyzeRecording(recording, { lineFrequency: 60, channels: 'all', onProgress });
 *   json.band_powers.relative.alpha; // one value per json.channels
 */
export async function analyzeRecording(recording: Recording, options: AnalyzeRecordingOptions = {}): Promise<AnalysisJson> {
  const { channels, ...pipelineOptions } = options;
  const chosen = chooseAnalysisChannels(recording, channels);
  const result = await runDefaultPipeline(recording, { ...pipelineOptions, connectivityMethods: options.connectivityMethods ?? analysisConnectivityMethods, channels: chosen.labels });
  const lineFrequencyHz = options.lineFrequency === undefined ? 50 : options.lineFrequency;
  return toAnalysisJson(recording, result, { lineFrequencyHz, channelsSkipped: chosen.skipped });
}
