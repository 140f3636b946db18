import type { Segment } from '@cajal/core';

/**
 * The time axis of an EDF file: each data record has an onset (from the time-keeping TALs of
 * EDF+, else record index x duration). Consecutive records that abut form one segment; a jump
 * makes a gap (EDF+D).
 */

/** Records closer than this (seconds) to abutting are treated as contiguous. */
export const contiguityToleranceSeconds = 1e-5;

/** Merge records into segments. */
export function segmentsFromOnsets(onsets: Float64Array, recordSeconds: number): Segment[] {
  const segments: Segment[] = [];
  let current: Segment | undefined;
  for (let r = 0; r < onsets.length; r++) {
    const onset = onsets[r] as number;
    if (current && Math.abs(onset - (current.onsetSeconds + current.durationSeconds)) <= contiguityToleranceSeconds) {
      current.durationSeconds += recordSeconds;
    } else {
      current = { onsetSeconds: onset, durationSeconds: recordSeconds };
      segments.push(current);
    }
  }
  for (const segment of segments) segment.durationSeconds = roundSeconds(segment.durationSeconds);
  return segments;
}

/** Round accumulated sums of record durations to 1 ns to hide float drift. */
function roundSeconds(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** Which samples of one record fall in `[start, end)` for a signal of `samplesPerRecord`. */
export interface RecordWindow {
  firstRecord: number;
  endRecord: number;
  /** True when no time bounds were given: every sample of every record is inside. */
  whole: boolean;
  /** Per record in [firstRecord, endRecord): first sample and end sample (exclusive). */
  sampleWindow(record: number, samplesPerRecord: number): [number, number];
}

/**
 * The records overlapping `[startSeconds, endSeconds)` and, per record, the samples whose time
 * (record onset + k / rate) lies inside. Undefined bounds mean the whole recording.
 */
export function windowFor(onsets: Float64Array, recordSeconds: number, startSeconds: number | undefined, endSeconds: number | undefined): RecordWindow {
  const whole = startSeconds === undefined && endSeconds === undefined;
  const start = startSeconds ?? -Infinity;
  const end = endSeconds ?? Infinity;
  let firstRecord = onsets.length;
  let endRecord = 0;
  for (let r = 0; r < onsets.length; r++) {
    const onset = onsets[r] as number;
    if (onset < end && onset + recordSeconds > start) {
      if (r < firstRecord) firstRecord = r;
      endRecord = r + 1;
    }
  }
  if (endRecord <= firstRecord) {
    firstRecord = 0;
    endRecord = 0;
  }
  return {
    firstRecord,
    endRecord,
    whole,
    sampleWindow: (record, samplesPerRecord) => {
      if (whole) return [0, samplesPerRecord];
      const onset = onsets[record] as number;
      const rate = samplesPerRecord / recordSeconds;
      const first = Math.min(samplesPerRecord, Math.max(0, Math.ceil((start - onset) * rate - 1e-9)));
      const last = Math.min(samplesPerRecord, Math.max(0, Math.ceil((end - onset) * rate - 1e-9)));
      return [first, Math.max(first, last)];
    },
  };
}

/** Segments of the part of the recording inside `[startSeconds, endSeconds)`. */
export function segmentsInRange(segments: Segment[], startSeconds: number | undefined, endSeconds: number | undefined): Segment[] {
  const start = startSeconds ?? -Infinity;
  const end = endSeconds ?? Infinity;
  const result: Segment[] = [];
  for (const segment of segments) {
    const from = Math.max(segment.onsetSeconds, start);
    const to = Math.min(segment.onsetSeconds + segment.durationSeconds, end);
    if (to > from || (segment.durationSeconds === 0 && from === segment.onsetSeconds && to >= from)) {
      result.push({ onsetSeconds: from, durationSeconds: roundSeconds(Math.max(0, to - from)) });
    }
  }
  return result;
}
