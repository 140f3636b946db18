import { CajalError, throwIfAborted, throttleProgress } from '@cajal/core';
import type { Annotation, Channel, LongOperationOptions, Recording, Segment } from '@cajal/core';
import { EdfRecordEncoder, annotationBytesNeeded } from './encoder.ts';
import { digitalLimits, encodeHeader, formatNumberField } from './layout.ts';
import type { EdfWriteSignal, EdfWriteSpec } from './layout.ts';

/** Options of `writeEdf` / `writeBdf`. */
export interface EdfWriteOptions extends LongOperationOptions {
  /** Seconds per data record; default: the first of 1, 0.5, 2, 0.25, ... s that makes every
   * channel's samples per record whole and a record at most 61,440 bytes. */
  recordDurationSeconds?: number;
  /** "keep" (default) reuses a channel's physical/digital ranges when it has them and they fit
   * the format (exact round trip of files read from disk); "data" fits each range to the data. */
  ranges?: 'keep' | 'data';
}

/** What a writer produced. */
export interface EdfWriteResult {
  bytes: Uint8Array;
  /** Samples outside their channel's physical range, written as the digital min or max. */
  clippedSamples: number;
  /** Samples added after a channel's end to fill the last record of a segment. */
  paddedSamples: number;
  recordDurationSeconds: number;
  recordCount: number;
  /** "edf+c", "edf+d", "bdf+c" or "bdf+d". */
  format: string;
}

/**
 * Everything the writers derive from a recording before encoding: the spec (signals, ranges,
 * record duration), each record's onset and sample offsets, and the annotations per record.
 */
export interface EdfWritePlan {
  spec: EdfWriteSpec;
  recordOnsets: Float64Array;
  /** Per record, per channel: index of the record's first sample in the channel's samples. */
  sampleStarts: Int32Array[];
  annotationsPerRecord: Annotation[][];
  paddedSamples: number;
}

const candidateDurations = [1, 0.5, 2, 0.25, 0.2, 4, 5, 0.1, 10, 0.05, 20, 0.04, 25, 0.02, 50, 0.01, 100, 0.005, 0.001, 200, 500, 1000];
const preferredRecordBytes = 61440;

/** Pick a record duration making every rate x duration whole (see EdfWriteOptions). */
export function chooseRecordDuration(rates: number[], segmentDurations: number[], bytesPerSample: number): number {
  const whole = (x: number): boolean => Math.abs(x - Math.round(x)) < 1e-6 && Math.round(x) >= 1;
  const fits = (d: number): boolean => rates.every((r) => whole(r * d));
  const size = (d: number): number => rates.reduce((sum, r) => sum + Math.round(r * d) * bytesPerSample, 0);
  const divides = (d: number): boolean => segmentDurations.every((s) => Math.abs(s / d - Math.round(s / d)) < 1e-6);
  const passes = [(d: number) => fits(d) && size(d) <= preferredRecordBytes && divides(d), (d: number) => fits(d) && size(d) <= preferredRecordBytes, fits];
  for (const pass of passes) {
    const found = candidateDurations.find(pass);
    if (found !== undefined) return found;
  }
  throw new CajalError('WRITE_INVALID', `no record duration makes whole samples per record for the rates ${rates.join(', ')} Hz; resample or pass recordDurationSeconds`, { field: 'duration_of_data_record' });
}

/** Build the write plan for a recording (ranges, records, annotation placement). */
export function planEdf(recording: Recording, format: 'edf' | 'bdf', options: EdfWriteOptions = {}): EdfWritePlan {
  const bytesPerSample = format === 'bdf' ? 3 : 2;
  const channels = recording.channels;
  const startFraction = recording.startTime ? (recording.startTime.getTime() % 1000) / 1000 : 0;
  const startTime = recording.startTime ? new Date(recording.startTime.getTime() - startFraction * 1000) : null;
  const segments: Segment[] = channels.length === 0 ? [] : recording.segments.length > 0 ? recording.segments : [{ onsetSeconds: 0, durationSeconds: Math.max(...channels.map((c) => c.sampleCount / c.sampleRateHz)) }];
  const recordSeconds = channels.length === 0 ? 0 : options.recordDurationSeconds ?? chooseRecordDuration(channels.map((c) => c.sampleRateHz), segments.map((s) => s.durationSeconds), bytesPerSample);
  if (channels.length > 0 && !(recordSeconds > 0)) throw new CajalError('WRITE_INVALID', `record duration ${recordSeconds} s must be positive`, { field: 'duration_of_data_record' });
  const signals = channels.map((channel, i) => writeSignal(channel, i, format, recordSeconds, options.ranges ?? 'keep'));

  const onsets: number[] = [];
  const sampleStarts: Int32Array[] = [];
  const channelOffsets = new Array<number>(channels.length).fill(0);
  let paddedSamples = 0;
  for (const segment of segments) {
    const records = Math.max(1, Math.ceil(segment.durationSeconds / recordSeconds - 1e-6));
    for (let k = 0; k < records; k++) {
      onsets.push(segment.onsetSeconds + k * recordSeconds + startFraction);
      sampleStarts.push(Int32Array.from(signals, (s, c) => (channelOffsets[c] as number) + k * s.samplesPerRecord));
    }
    signals.forEach((s, c) => {
      const stored = Math.round(segment.durationSeconds * (channels[c] as Channel).sampleRateHz);
      paddedSamples += records * s.samplesPerRecord - Math.min(stored, records * s.samplesPerRecord);
      channelOffsets[c] = (channelOffsets[c] as number) + stored;
    });
  }
  if (channels.length === 0) onsets.push(startFraction);
  const recordOnsets = Float64Array.from(onsets);

  // Each annotation goes into the record that covers its onset (the last one starting before).
  const statusLabels = new Set(format === 'bdf' ? channels.filter((c) => c.type === 'status').map((c) => c.label) : []);
  const annotationsPerRecord: Annotation[][] = onsets.map(() => []);
  for (const annotation of recording.annotations) {
    if (annotation.channels?.length === 1 && statusLabels.has(annotation.channels[0] as string)) continue; // re-derived from Status
    const onset = annotation.onsetSeconds + startFraction;
    let record = 0;
    let low = 0;
    let high = recordOnsets.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((recordOnsets[middle] as number) <= onset + 1e-9) {
        record = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    annotationsPerRecord[record]?.push({ ...annotation, onsetSeconds: onset });
  }
  const spec: EdfWriteSpec = {
    format,
    recordSeconds,
    signals,
    annotationBytesPerRecord: annotationBytesNeeded(recordOnsets, annotationsPerRecord, bytesPerSample),
    startTime,
    subject: recording.subject,
    recordingInfo: recording.recordingInfo,
    discontinuous: segments.length > 1,
  };
  return { spec, recordOnsets, sampleStarts, annotationsPerRecord, paddedSamples };
}

function writeSignal(channel: Channel, index: number, format: 'edf' | 'bdf', recordSeconds: number, ranges: 'keep' | 'data'): EdfWriteSignal {
  const [low, high] = digitalLimits[format];
  const samplesPerRecord = Math.round(channel.sampleRateHz * recordSeconds);
  if (Math.abs(samplesPerRecord - channel.sampleRateHz * recordSeconds) > 1e-6 || samplesPerRecord < 1) {
    throw new CajalError('WRITE_INVALID', `channel "${channel.label}" at ${channel.sampleRateHz} Hz does not give whole samples in a ${recordSeconds}-s record`, { field: `samples_per_record[${index}]` });
  }
  const base = { label: channel.label, unit: channel.unit, samplesPerRecord, prefiltering: channel.prefiltering ?? '', transducer: channel.transducer ?? '' };
  const { physicalMin, physicalMax, digitalMin, digitalMax } = channel;
  if (
    ranges === 'keep' && physicalMin !== undefined && physicalMax !== undefined && digitalMin !== undefined && digitalMax !== undefined &&
    physicalMin !== physicalMax && digitalMin < digitalMax && digitalMin >= low && digitalMax <= high &&
    String(physicalMin).length <= 8 && String(physicalMax).length <= 8
  ) {
    return { ...base, physicalMin, physicalMax, digitalMin, digitalMax };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const value of channel.samples) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = -1;
    max = 1;
  }
  if (min === max) {
    const pad = Math.max(1, Math.abs(min) * 0.01);
    min -= pad;
    max += pad;
  }
  const lowText = formatNumberField(min, 8, 'down', `physical_minimum[${index}]`);
  const highText = formatNumberField(max, 8, 'up', `physical_maximum[${index}]`);
  return { ...base, physicalMin: Number(lowText), physicalMax: Number(highText), digitalMin: low, digitalMax: high };
}

/** Encode a planned recording into one Uint8Array. */
function writePlanned(recording: Recording, plan: EdfWritePlan, options: LongOperationOptions): EdfWriteResult {
  const encoder = new EdfRecordEncoder(plan.spec);
  const recordCount = plan.recordOnsets.length;
  const header = encodeHeader(plan.spec, recordCount);
  const total = header.length + recordCount * encoder.recordBytes;
  const bytes = new Uint8Array(total);
  bytes.set(header, 0);
  const progress = throttleProgress(options.onProgress);
  const samples = recording.channels.map((c) => c.samples);
  for (let r = 0; r < recordCount; r++) {
    if ((r & 255) === 0) throwIfAborted(options.signal, 'writing');
    const start = header.length + r * encoder.recordBytes;
    encoder.encode(plan.recordOnsets[r] as number, samples, Array.from(plan.sampleStarts[r] ?? []), plan.annotationsPerRecord[r] ?? [], bytes.subarray(start, start + encoder.recordBytes));
    progress({ done: r + 1, total: recordCount, stage: 'writing records' });
  }
  return {
    bytes,
    clippedSamples: encoder.clippedSamples,
    paddedSamples: plan.paddedSamples,
    recordDurationSeconds: plan.spec.recordSeconds,
    recordCount,
    format: `${plan.spec.format}+${plan.spec.discontinuous ? 'd' : 'c'}`,
  };
}

/**
 * Write a recording as EDF+ (16-bit): EDF+C, or EDF+D when it has several segments. Samples are
 * scaled to the digital range and clipped (counted in `clippedSamples`); annotations go into an
 * "EDF Annotations" signal. Labels longer than 16 characters are refused (WRITE_INVALID).
 *
 * @example
 *   const { bytes, clippedSamples } = writeEdf(recording);
 *   await writeFile('out.edf', bytes);
 */
export function writeEdf(recording: Recording, options: EdfWriteOptions = {}): EdfWriteResult {
  return writePlanned(recording, planEdf(recording, 'edf', options), options);
}

/**
 * Write a recording as BDF+ (24-bit): as `writeEdf`, with 24-bit samples. A BioSemi Status
 * channel is written as a signal; its trigger annotations are not duplicated in the TALs.
 *
 * @example
 *   const { bytes } = writeBdf(recording, { recordDurationSeconds: 1 });
 */
export function writeBdf(recording: Recording, options: EdfWriteOptions = {}): EdfWriteResult {
  return writePlanned(recording, planEdf(recording, 'bdf', options), options);
}
