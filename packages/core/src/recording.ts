import { CajalError } from './errors.ts';
import type { AnnotationProvenance } from './annotation.ts';
import type { ChannelStatus } from './channel-status.ts';

/**
 * The shared vocabulary for continuous recordings: EEG, iEEG, MEG, a voxel's time series,
 * a simulated population rate or an agent's prediction error all become a `Recording`.
 * Samples are `Float32Array`s in physical units, one per channel; each channel has its own
 * rate. Times are seconds from `startTime` (the file's stated start).
 */
export type ChannelType =
  | 'eeg' | 'seeg' | 'ecog' | 'meg' | 'ecg' | 'emg' | 'eog' | 'resp' | 'stim' | 'status'
  | 'bio' | 'fmri' | 'model' | 'misc';

/** Everything known about a channel except its samples (what a header-only read returns). */
export interface ChannelInfo {
  label: string;
  /** Physical unit of `samples`, e.g. "uV", "mV", "degC", "" when unknown. */
  unit: string;
  sampleRateHz: number;
  /** Number of samples this channel has in the whole recording. */
  sampleCount: number;
  type: ChannelType;
  physicalMin?: number;
  physicalMax?: number;
  digitalMin?: number;
  digitalMax?: number;
  /** Prefiltering as stated by the file, e.g. "HP:0.1Hz LP:75Hz". */
  prefiltering?: string;
  transducer?: string;
  /** Good, or bad with a reason; absent means good (see `channelStatusOf`). */
  status?: ChannelStatus;
}

export interface Channel extends ChannelInfo {
  samples: Float32Array;
}

/**
 * A stretch of time that the samples cover without interruption. Continuous recordings have
 * one segment; discontinuous ones (EDF+D) have several with gaps between them. Samples of all
 * segments are stored end to end in each channel's array.
 */
export interface Segment {
  /** Onset in seconds from `startTime`. */
  onsetSeconds: number;
  durationSeconds: number;
}

/** A missing stretch between two segments. */
export interface Gap {
  onsetSeconds: number;
  durationSeconds: number;
}

/**
 * An event or labelled interval. Onsets are seconds from the recording's `startTime`. Its
 * `source`, `confidence` and `review` (from `AnnotationProvenance`) are optional: formats'
 * readers set `source: { kind: 'file', file }`; absent, the review state defaults as
 * `reviewStateOf` says.
 *
 * @example
 *   const event: Annotation = { onsetSeconds: 12.5, durationSeconds: 3, text: 'seizure', source: { kind: 'model', name: 'detector', version: '1.0.0' }, confidence: 0.82, review: { state: 'proposed' } };
 */
export interface Annotation extends AnnotationProvenance {
  onsetSeconds: number;
  /** 0 for an instantaneous event. */
  durationSeconds: number;
  text: string;
  /** Channels the annotation applies to; absent means all. */
  channels?: string[];
}

/** Who was recorded: kept apart from the recording so it can be de-identified. */
export interface SubjectInfo {
  id?: string;
  name?: string;
  sex?: 'female' | 'male' | 'unknown';
  birthDate?: string;
  /** The original field as written in the file, when the format has one. */
  raw?: string;
  [key: string]: unknown;
}

/** How the recording was made (equipment, technician, site codes). */
export interface RecordingInfo {
  id?: string;
  equipment?: string;
  technician?: string;
  raw?: string;
  [key: string]: unknown;
}

/** Something a lenient reader fixed or tolerated, with where it found it. */
export interface ComplianceWarning {
  code: string;
  message: string;
  field?: string;
  byteOffset?: number;
  file?: string;
}

export interface RecordingHeader {
  /** Format that produced it: "edf", "edf+c", "edf+d", "bdf", "bdf+", "brainvision", "nifti", "sim", ... */
  format: string;
  /** The file's stated start (UTC, no time-zone conversion), or null when the file gives none. */
  startTime: Date | null;
  channels: ChannelInfo[];
  segments: Segment[];
  annotations: Annotation[];
  subject: SubjectInfo;
  recordingInfo: RecordingInfo;
  warnings: ComplianceWarning[];
  /** Where it came from (a file name), for messages only. */
  source?: string;
}

export interface Recording extends Omit<RecordingHeader, 'channels'> {
  channels: Channel[];
}

/** Options for `createRecording`; anything left out gets an empty default. */
export type RecordingInit = Partial<Omit<Recording, 'channels'>> & { channels: Channel[] };

/**
 * Build a Recording with defaults (one segment covering the longest channel, no annotations),
 * checking that each channel's sample count matches its samples.
 *
 * @example
 *   const rec = createRecording({ channels: [{ label: 'Cz', unit: 'uV', sampleRateHz: 256, sampleCount: 256, type: 'eeg', samples }] });
 */
export function createRecording(init: RecordingInit): Recording {
  for (const channel of init.channels) {
    if (!(channel.sampleRateHz > 0) || !Number.isFinite(channel.sampleRateHz)) {
      throw new CajalError('INVALID_ARGUMENT', `channel "${channel.label}" has sample rate ${channel.sampleRateHz}`);
    }
    if (channel.samples.length !== channel.sampleCount) {
      throw new CajalError(
        'INVALID_ARGUMENT',
        `channel "${channel.label}" says ${channel.sampleCount} samples but holds ${channel.samples.length}`,
      );
    }
  }
  const duration = init.channels.reduce((max, c) => Math.max(max, c.sampleCount / c.sampleRateHz), 0);
  return {
    format: init.format ?? 'memory',
    startTime: init.startTime ?? null,
    channels: init.channels,
    segments: init.segments ?? [{ onsetSeconds: 0, durationSeconds: duration }],
    annotations: init.annotations ?? [],
    subject: init.subject ?? {},
    recordingInfo: init.recordingInfo ?? {},
    warnings: init.warnings ?? [],
    ...(init.source !== undefined ? { source: init.source } : {}),
  };
}

/** Seconds of data actually recorded (gaps excluded). */
export function recordedSeconds(header: Pick<RecordingHeader, 'segments'>): number {
  return header.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
}

/** Seconds from the start to the end of the last segment (gaps included). */
export function spanSeconds(header: Pick<RecordingHeader, 'segments'>): number {
  const last = header.segments[header.segments.length - 1];
  return last ? last.onsetSeconds + last.durationSeconds : 0;
}

/** The gaps between consecutive segments (those longer than `toleranceSeconds`). */
export function findGaps(segments: Segment[], toleranceSeconds = 1e-6): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < segments.length; i++) {
    const previous = segments[i - 1] as Segment;
    const current = segments[i] as Segment;
    const end = previous.onsetSeconds + previous.durationSeconds;
    const gap = current.onsetSeconds - end;
    if (gap > toleranceSeconds) gaps.push({ onsetSeconds: end, durationSeconds: gap });
  }
  return gaps;
}

/**
 * The time (seconds from start) of sample `index` of a channel at `sampleRateHz`, honouring
 * gaps: samples are laid end to end across segments.
 */
export function sampleTimeSeconds(segments: Segment[], sampleRateHz: number, index: number): number {
  let dataTime = index / sampleRateHz;
  for (const segment of segments) {
    if (dataTime < segment.durationSeconds - 1e-12) return segment.onsetSeconds + dataTime;
    dataTime -= segment.durationSeconds;
  }
  const last = segments[segments.length - 1];
  return last ? last.onsetSeconds + last.durationSeconds + dataTime : index / sampleRateHz;
}

/** Sample times of a whole channel as a Float64Array (seconds from start, gaps honoured). */
export function channelTimes(segments: Segment[], channel: Pick<ChannelInfo, 'sampleRateHz' | 'sampleCount'>): Float64Array {
  const times = new Float64Array(channel.sampleCount);
  let index = 0;
  for (const segment of segments.length > 0 ? segments : [{ onsetSeconds: 0, durationSeconds: Infinity }]) {
    const count = Math.min(channel.sampleCount - index, Math.round(segment.durationSeconds * channel.sampleRateHz));
    for (let k = 0; k < count; k++) times[index + k] = segment.onsetSeconds + k / channel.sampleRateHz;
    index += count;
    if (index >= channel.sampleCount) break;
  }
  for (; index < channel.sampleCount; index++) times[index] = index / channel.sampleRateHz;
  return times;
}

/** Find a channel by label (exact, then case-insensitive); throws NOT_FOUND. */
export function findChannel<C extends ChannelInfo>(channels: C[], label: string): C {
  const exact = channels.find((c) => c.label === label);
  if (exact) return exact;
  const lower = label.toLowerCase();
  const loose = channels.find((c) => c.label.toLowerCase() === lower);
  if (loose) return loose;
  throw new CajalError('NOT_FOUND', `no channel "${label}"`, { available: channels.map((c) => c.label) });
}
