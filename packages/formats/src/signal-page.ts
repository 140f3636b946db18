/**
 * The binary signal page (apps/server/API.md, `GET /api/recordings/:id/signal`), one codec for
 * the server that packs it and the web that draws it: uint32 LE header length N, N bytes of
 * UTF-8 JSON header, zero padding to a multiple of 4, then float32 LE samples channel after
 * channel, in physical units. The header gives, per channel, its label, unit, sample rate,
 * the time of its first sample and its contiguous runs, and for the page the recorded
 * segments inside it, so gaps and late first records are drawn where they are.
 *
 * @example
 *   const bytes = encodeSignalPage(page);               // server, tests
 *   const again = decodeSignalPage(bytes);              // web: samples are views on the bytes
 *   again.channels[0].firstSampleSeconds;               // 0.39 for a first record at +0.39 s
 */
import { CajalError } from '@cajal/core';
import type { Segment } from '@cajal/core';
import type { ChannelReadLayout, ReadLayout, SampleRun } from './page-read.ts';

/** One channel of a page: samples in `unit`, the first at `firstSampleSeconds`, laid out in `runs`. */
export interface SignalPageChannel {
  label: string;
  unit: string;
  sampleRateHz: number;
  /** Time of the first sample, seconds from the recording start; null when the page holds none. */
  firstSampleSeconds: number | null;
  /** Contiguous stretches of `samples` (a new run after each gap). */
  runs: SampleRun[];
  samples: Float32Array;
}

/** A page: the span asked for, the recorded segments inside it, and the channels. */
export interface SignalPage {
  startSeconds: number;
  durationSeconds: number;
  segments: Segment[];
  channels: SignalPageChannel[];
}

/** A page's header as sent: channels carry their place in the sample block. */
export interface SignalPageHeader {
  startSeconds: number;
  durationSeconds: number;
  segments: Segment[];
  channels: Array<Omit<SignalPageChannel, 'samples'> & { offset: number; count: number }>;
}

/** A page buffer made before its samples are read: `samples[i]` are views on `bytes`. */
export interface AllocatedSignalPage {
  bytes: Uint8Array;
  header: SignalPageHeader;
  samples: Float32Array[];
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Make the page buffer for `channels` (counts known, samples not yet read): one ArrayBuffer,
 * header written, the sample views returned for a reader to fill (`readInto`'s target).
 *
 * @example
 *   const page = allocateSignalPage({ startSeconds: 0, durationSeconds: 2, segments, channels });
 *   page.samples[0].set(samples); // then send page.bytes
 */
export function allocateSignalPage(page: Omit<SignalPageHeader, 'channels'> & { channels: Array<Omit<SignalPageChannel, 'samples'> & { count: number }> }): AllocatedSignalPage {
  let offset = 0;
  const channels = page.channels.map((c) => {
    const entry = { label: c.label, unit: c.unit, sampleRateHz: c.sampleRateHz, firstSampleSeconds: c.firstSampleSeconds, runs: c.runs, offset, count: c.count };
    offset += c.count;
    return entry;
  });
  const header: SignalPageHeader = { startSeconds: page.startSeconds, durationSeconds: page.durationSeconds, segments: page.segments, channels };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const blockStart = Math.ceil((4 + json.length) / 4) * 4;
  const bytes = new Uint8Array(new ArrayBuffer(blockStart + offset * 4));
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  // On a big-endian machine the views are filled natively and swapped by `finishSignalPage`.
  const samples = channels.map((c) => new Float32Array(bytes.buffer, blockStart + c.offset * 4, c.count));
  return { bytes, header, samples };
}

/**
 * The page header of a range read (`OpenedRecording.readInto`'s layout), with the channels'
 * labels from `labels` (by the layout's channel index).
 *
 * @example
 *   opened.readInto({ ..., target: (layout) => (page = allocateSignalPage(pageHeaderOf(layout, labels))).samples });
 */
export function pageHeaderOf(layout: ReadLayout, labels: readonly string[]): Omit<SignalPageHeader, 'channels'> & { channels: Array<Omit<SignalPageChannel, 'samples'> & { count: number }> } {
  return {
    startSeconds: layout.startSeconds,
    durationSeconds: layout.endSeconds - layout.startSeconds,
    segments: layout.segments,
    channels: layout.channels.map((c: ChannelReadLayout) => ({
      label: labels[c.channel] ?? String(c.channel),
      unit: c.unit,
      sampleRateHz: c.sampleRateHz,
      firstSampleSeconds: c.firstSampleSeconds,
      runs: c.runs,
      count: c.count,
    })),
  };
}

/** Swap the sample block of an allocated page to little-endian where the platform is not (no-op elsewhere). */
export function finishSignalPage(page: AllocatedSignalPage): Uint8Array {
  if (!littleEndian) {
    for (const samples of page.samples) {
      const view = new DataView(samples.buffer, samples.byteOffset, samples.byteLength);
      for (let i = 0; i < samples.length; i++) view.setFloat32(i * 4, samples[i] as number, true);
    }
  }
  return page.bytes;
}

/**
 * Encode a page (one copy of the samples).
 *
 * @example encodeSignalPage({ startSeconds: 0, durationSeconds: 10, segments: [...], channels: [...] })
 */
export function encodeSignalPage(page: SignalPage): Uint8Array {
  const allocated = allocateSignalPage({ ...page, channels: page.channels.map((c) => ({ ...c, count: c.samples.length })) });
  page.channels.forEach((c, i) => (allocated.samples[i] as Float32Array).set(c.samples));
  return finishSignalPage(allocated);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function fail(message: string, field: string, byteOffset?: number): never {
  throw new CajalError('PARSE_ERROR', `signal page header ${message}`, { field, ...(byteOffset === undefined ? {} : { byteOffset }) });
}

function checkNumber(value: unknown, field: string, nonNegative: boolean, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (nonNegative && value < 0) || (integer && !Number.isInteger(value))) {
    fail(`${field} is ${JSON.stringify(value)}, not a ${nonNegative ? 'non-negative ' : ''}${integer ? 'integer' : 'number'}`, field);
  }
  return value;
}

function checkRuns(value: unknown, field: string, count: number): SampleRun[] {
  if (!Array.isArray(value)) fail(`${field} is not an array`, field);
  let next = 0;
  return value.map((raw: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(raw)) fail(`${at} is not an object`, at);
    const run = { startSeconds: checkNumber(raw['startSeconds'], `${at}.startSeconds`, false), offset: checkNumber(raw['offset'], `${at}.offset`, true, true), count: checkNumber(raw['count'], `${at}.count`, true, true) };
    if (run.offset !== next || run.offset + run.count > count) fail(`${at} covers samples ${run.offset}..${run.offset + run.count}, expected to start at ${next} and end by ${count}`, at);
    next += run.count;
    return run;
  });
}

function checkChannel(value: unknown, index: number): SignalPageHeader['channels'][number] {
  const field = `channels[${index}]`;
  if (!isRecord(value)) fail(`${field} is not an object`, field);
  const { label, unit, firstSampleSeconds } = value;
  if (typeof label !== 'string') fail(`${field}.label is not a string`, `${field}.label`);
  const count = checkNumber(value['count'], `${field}.count`, true, true);
  const first = firstSampleSeconds === null || firstSampleSeconds === undefined ? null : checkNumber(firstSampleSeconds, `${field}.firstSampleSeconds`, false);
  return {
    label,
    unit: typeof unit === 'string' ? unit : '',
    sampleRateHz: checkNumber(value['sampleRateHz'], `${field}.sampleRateHz`, true),
    offset: checkNumber(value['offset'], `${field}.offset`, true, true),
    count,
    firstSampleSeconds: first,
    runs: checkRuns(value['runs'], `${field}.runs`, count),
  };
}

function checkSegments(value: unknown): Segment[] {
  if (!Array.isArray(value)) fail('has no "segments" array', 'segments');
  return value.map((raw: unknown, i) => {
    if (!isRecord(raw)) fail(`segments[${i}] is not an object`, `segments[${i}]`);
    return { onsetSeconds: checkNumber(raw['onsetSeconds'], `segments[${i}].onsetSeconds`, false), durationSeconds: checkNumber(raw['durationSeconds'], `segments[${i}].durationSeconds`, true) };
  });
}

/** Parse only the header of a page (the JSON part), checked field by field. */
export function decodeSignalPageHeader(bytes: Uint8Array): { header: SignalPageHeader; blockStart: number } {
  if (bytes.byteLength < 4) {
    throw new CajalError('FORMAT_TRUNCATED', `signal page is ${bytes.byteLength} bytes, shorter than its 4-byte header length`, { byteOffset: 0 });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) {
    throw new CajalError('FORMAT_TRUNCATED', `signal page header claims ${headerLength} bytes but only ${bytes.byteLength - 4} follow`, { field: 'headerLength', byteOffset: 0 });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
  } catch (error) {
    throw new CajalError('PARSE_ERROR', `signal page header is not valid JSON: ${(error as Error).message}`, { byteOffset: 4 }, { cause: error });
  }
  if (!isRecord(raw) || !Array.isArray(raw['channels'])) fail('has no "channels" array', 'channels', 4);
  const header: SignalPageHeader = {
    startSeconds: checkNumber(raw['startSeconds'], 'startSeconds', false),
    durationSeconds: checkNumber(raw['durationSeconds'], 'durationSeconds', true),
    segments: checkSegments(raw['segments']),
    channels: (raw['channels'] as unknown[]).map(checkChannel),
  };
  return { header, blockStart: Math.ceil((4 + headerLength) / 4) * 4 };
}

/**
 * Decode a page. Samples are zero-copy Float32Array views when the bytes are 4-byte aligned on
 * a little-endian platform (every browser we target), copies otherwise.
 * Throws CajalError PARSE_ERROR / FORMAT_TRUNCATED naming the field and the byte offset.
 *
 * @example
 *   const page = decodeSignalPage(await response.arrayBuffer());
 */
export function decodeSignalPage(input: ArrayBuffer | Uint8Array): SignalPage {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const { header, blockStart } = decodeSignalPageHeader(bytes);
  const blockElements = Math.floor(Math.max(0, bytes.byteLength - blockStart) / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const aligned = littleEndian && (bytes.byteOffset & 3) === 0;
  const channels = header.channels.map((channel, index): SignalPageChannel => {
    if (channel.offset + channel.count > blockElements) {
      throw new CajalError('FORMAT_TRUNCATED', `channel "${channel.label}" needs samples ${channel.offset}..${channel.offset + channel.count} but the block holds ${blockElements} (byte ${blockStart + channel.offset * 4})`, { field: `channels[${index}]`, byteOffset: blockStart + channel.offset * 4 });
    }
    let samples: Float32Array;
    if (aligned) samples = new Float32Array(bytes.buffer, bytes.byteOffset + blockStart + channel.offset * 4, channel.count);
    else {
      samples = new Float32Array(channel.count);
      for (let i = 0; i < channel.count; i++) samples[i] = view.getFloat32(blockStart + (channel.offset + i) * 4, true);
    }
    return { label: channel.label, unit: channel.unit, sampleRateHz: channel.sampleRateHz, firstSampleSeconds: channel.firstSampleSeconds, runs: channel.runs, samples };
  });
  return { startSeconds: header.startSeconds, durationSeconds: header.durationSeconds, segments: header.segments, channels };
}

/** Time (seconds from the recording start) of sample `index` of a page channel (its runs honoured); NaN outside. */
export function sampleTime(channel: Pick<SignalPageChannel, 'runs' | 'sampleRateHz'>, index: number): number {
  for (const run of channel.runs) {
    if (index >= run.offset && index < run.offset + run.count) return run.startSeconds + (index - run.offset) / channel.sampleRateHz;
  }
  return Number.NaN;
}
