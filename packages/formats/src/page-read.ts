/**
 * Reading a time range into caller-owned buffers (`OpenedRecording.readInto`): the page read
 * of a viewer or a server. Samples are physical values; each channel reports the time of its
 * first sample written and its contiguous runs (`SampleRun`), so a gap (EDF+D records absent)
 * or a first record at +0.39 s is placed where it is, not at the range start.
 *
 * @example
 *   const page = await opened.readInto({ channels: [0, 3], startSeconds: 10, endSeconds: 20 });
 *   page.channels[0].firstSampleSeconds; // 10 (or later when the range starts in a gap)
 *   page.channels[0].runs;               // [{ startSeconds, offset, count }, ...]
 */
import { CajalError, throwIfAborted } from '@cajal/core';
import type { ChannelInfo, LongOperationOptions, RecordingHeader, Segment } from '@cajal/core';

/** A stretch of consecutive samples: `count` samples from `samples[offset]`, the first at `startSeconds`. */
export interface SampleRun {
  /** Time of the run's first sample, seconds from the recording start. */
  startSeconds: number;
  /** Index of its first sample in the channel's samples. */
  offset: number;
  count: number;
}

/** Where one channel's samples of a range go: how many, from when, in which runs. */
export interface ChannelReadLayout {
  /** Index of the channel in `header.channels`. */
  channel: number;
  sampleRateHz: number;
  unit: string;
  count: number;
  /** Time of the first sample, seconds from the recording start; null when none lies in the range. */
  firstSampleSeconds: number | null;
  runs: SampleRun[];
}

/** The layout of a range read: per channel, and the recording's segments inside the range. */
export interface ReadLayout {
  startSeconds: number;
  endSeconds: number;
  channels: ChannelReadLayout[];
  /** The recorded parts of `[startSeconds, endSeconds)` (gaps are where no segment is). */
  segments: Segment[];
}

/** A channel of a finished range read: its layout plus the samples written (a view on its target). */
export interface ChannelRead extends ChannelReadLayout {
  samples: Float32Array;
}

/** A finished range read. */
export interface RangeRead extends ReadLayout {
  channels: ChannelRead[];
}

/**
 * What to read: channel indices, a time range `[startSeconds, endSeconds)` (seconds from the
 * recording start, gaps honoured) and where to put the samples.
 */
export interface ReadIntoRequest extends LongOperationOptions {
  channels: number[];
  startSeconds: number;
  endSeconds: number;
  /**
   * One Float32Array per channel, each at least as long as the channel's count; or a function
   * given the layout (counts known, nothing decoded yet) that returns them, so a caller can
   * place them in its own buffer (the server's response). Default: new arrays of exactly the
   * counts (the request bounds every allocation).
   */
  target?: Float32Array[] | ((layout: ReadLayout) => Float32Array[]);
}

/** Samples of a channel in `[start, end)` per segment, by the reader contract's time rule. */
export function layoutFromSegments(header: Pick<RecordingHeader, 'segments' | 'channels'>, request: Pick<ReadIntoRequest, 'channels' | 'startSeconds' | 'endSeconds'>): ReadLayout {
  checkRequest(header.channels.length, request);
  const { startSeconds, endSeconds } = request;
  const segments = header.segments.length > 0 ? header.segments : [{ onsetSeconds: 0, durationSeconds: Infinity }];
  const channels = request.channels.map((index): ChannelReadLayout => {
    const info = header.channels[index] as ChannelInfo;
    const rate = info.sampleRateHz;
    const tolerance = 1e-6 / rate;
    const runs: SampleRun[] = [];
    let before = 0;
    let count = 0;
    for (const segment of segments) {
      const inSegment = Math.min(info.sampleCount - before, Math.round(segment.durationSeconds * rate));
      if (inSegment <= 0) break;
      const first = firstIndexAtOrAfter(segment.onsetSeconds, rate, startSeconds - tolerance, inSegment);
      const end = firstIndexAtOrAfter(segment.onsetSeconds, rate, endSeconds - tolerance, inSegment);
      if (end > first) {
        runs.push({ startSeconds: segment.onsetSeconds + first / rate, offset: count, count: end - first });
        count += end - first;
      }
      before += inSegment;
    }
    return { channel: index, sampleRateHz: rate, unit: info.unit, count, firstSampleSeconds: runs[0]?.startSeconds ?? null, runs };
  });
  return { startSeconds, endSeconds, channels, segments: clipSegments(header.segments, startSeconds, endSeconds) };
}

/** Smallest k in [0, count] with onset + k / rate >= bound. */
function firstIndexAtOrAfter(onset: number, rate: number, bound: number, count: number): number {
  let k = Math.max(0, Math.min(count, Math.ceil((bound - onset) * rate)));
  while (k > 0 && onset + (k - 1) / rate >= bound) k--;
  while (k < count && onset + k / rate < bound) k++;
  return k;
}

/** The parts of `segments` inside `[start, end)`. */
export function clipSegments(segments: readonly Segment[], start: number, end: number): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    const from = Math.max(segment.onsetSeconds, start);
    const to = Math.min(segment.onsetSeconds + segment.durationSeconds, end);
    if (to > from) out.push({ onsetSeconds: from, durationSeconds: Math.round((to - from) * 1e9) / 1e9 });
  }
  return out;
}

/** Refuse channel indices outside the header and a range that is not finite and ordered. */
export function checkRequest(channelCount: number, request: Pick<ReadIntoRequest, 'channels' | 'startSeconds' | 'endSeconds'>): void {
  for (const index of request.channels) {
    if (!Number.isInteger(index) || index < 0 || index >= channelCount) {
      throw new CajalError('NOT_FOUND', `no channel ${index}: the recording has ${channelCount} channels`, { field: 'channels' });
    }
  }
  if (!Number.isFinite(request.startSeconds) || !Number.isFinite(request.endSeconds) || request.endSeconds < request.startSeconds) {
    throw new CajalError('INVALID_ARGUMENT', `range [${request.startSeconds}, ${request.endSeconds}) is not a finite, ordered time range`, { field: 'startSeconds' });
  }
}

/** The targets of `request` for `layout`, checked to be long enough. */
export function targetsFor(request: ReadIntoRequest, layout: ReadLayout): Float32Array[] {
  const given = typeof request.target === 'function' ? request.target(layout) : request.target;
  if (!given) return layout.channels.map((c) => new Float32Array(c.count));
  if (given.length !== layout.channels.length) {
    throw new CajalError('INVALID_ARGUMENT', `${given.length} target arrays for ${layout.channels.length} channels`, { field: 'target' });
  }
  layout.channels.forEach((c, i) => {
    const target = given[i] as Float32Array;
    if (target.length < c.count) throw new CajalError('INVALID_ARGUMENT', `target ${i} holds ${target.length} samples, channel ${c.channel} needs ${c.count}`, { field: `target[${i}]` });
  });
  return given;
}

/** Attach each channel's samples (views on its target) to the layout. */
export function finishRead(layout: ReadLayout, targets: Float32Array[]): RangeRead {
  return { ...layout, channels: layout.channels.map((c, i) => ({ ...c, samples: (targets[i] as Float32Array).subarray(0, c.count) })) };
}

/**
 * `readInto` for readers without a direct path: one `read()` of the range, copied into the
 * targets (one copy per channel); the layout comes from the header's segments.
 */
export async function readIntoThroughRead(
  opened: { header: RecordingHeader; read(options: { channels: number[]; startSeconds: number; endSeconds: number } & LongOperationOptions): Promise<{ channels: Array<{ samples: Float32Array }> }> },
  request: ReadIntoRequest,
): Promise<RangeRead> {
  throwIfAborted(request.signal, 'reading');
  const layout = layoutFromSegments(opened.header, request);
  const targets = targetsFor(request, layout);
  const part = await opened.read({
    channels: request.channels,
    startSeconds: request.startSeconds,
    endSeconds: request.endSeconds,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  layout.channels.forEach((c, i) => {
    const samples = (part.channels[i] as { samples: Float32Array }).samples;
    if (samples.length !== c.count) throw new CajalError('INTERNAL', `channel ${c.channel}: read ${samples.length} samples, the layout says ${c.count}`);
    (targets[i] as Float32Array).set(samples);
  });
  return finishRead(layout, targets);
}
