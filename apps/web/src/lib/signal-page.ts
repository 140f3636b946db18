/**
 * The binary signal page of `GET /api/recordings/:id/signal` (apps/server/API.md):
 * uint32 LE header length N, N bytes of UTF-8 JSON header, zero padding to a multiple of 4,
 * then float32 LE samples channel after channel, in physical units.
 *
 * @example
 *   const page = parseSignalPage(await response.arrayBuffer());
 *   page.channels[0].samples; // Float32Array, a view on the response buffer
 */
import { CajalError } from '@cajal/core';

/** One channel of a page: samples in the channel's physical unit. */
export interface SignalPageChannel {
  label: string;
  unit: string;
  sampleRateHz: number;
  samples: Float32Array;
}

/** A parsed page: `startSeconds` from the recording start, `durationSeconds` long. */
export interface SignalPage {
  startSeconds: number;
  durationSeconds: number;
  channels: SignalPageChannel[];
}

interface HeaderChannel {
  label: string;
  unit: string;
  sampleRateHz: number;
  offset: number;
  count: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function checkHeaderChannel(value: unknown, index: number): HeaderChannel {
  const field = `channels[${index}]`;
  if (!isRecord(value)) throw new CajalError('PARSE_ERROR', `signal page header ${field} is not an object`, { field });
  const { label, unit, sampleRateHz, offset, count } = value;
  if (typeof label !== 'string') throw new CajalError('PARSE_ERROR', `signal page header ${field}.label is not a string`, { field: `${field}.label` });
  const numbers: Record<string, unknown> = { sampleRateHz, offset, count };
  for (const [name, v] of Object.entries(numbers)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new CajalError('PARSE_ERROR', `signal page header ${field}.${name} is ${JSON.stringify(v)}, not a non-negative number`, { field: `${field}.${name}` });
    }
  }
  if (!Number.isInteger(offset) || !Number.isInteger(count)) {
    throw new CajalError('PARSE_ERROR', `signal page header ${field} offset ${String(offset)} / count ${String(count)} are not integers`, { field });
  }
  return { label, unit: typeof unit === 'string' ? unit : '', sampleRateHz: sampleRateHz as number, offset: offset as number, count: count as number };
}

/**
 * Parse a binary signal page. Samples are zero-copy Float32Array views when the platform is
 * little-endian (every browser we target), copies otherwise.
 * Throws CajalError PARSE_ERROR / FORMAT_TRUNCATED naming the field and byte offset.
 */
export function parseSignalPage(buffer: ArrayBuffer): SignalPage {
  if (buffer.byteLength < 4) {
    throw new CajalError('FORMAT_TRUNCATED', `signal page is ${buffer.byteLength} bytes, shorter than its 4-byte header length`, { byteOffset: 0 });
  }
  const view = new DataView(buffer);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > buffer.byteLength) {
    throw new CajalError('FORMAT_TRUNCATED', `signal page header claims ${headerLength} bytes but only ${buffer.byteLength - 4} follow`, { field: 'headerLength', byteOffset: 0 });
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength)));
  } catch (error) {
    throw new CajalError('PARSE_ERROR', `signal page header is not valid JSON: ${(error as Error).message}`, { byteOffset: 4 }, { cause: error });
  }
  if (!isRecord(header) || !Array.isArray(header['channels'])) {
    throw new CajalError('PARSE_ERROR', 'signal page header has no "channels" array', { field: 'channels', byteOffset: 4 });
  }
  const startSeconds = Number(header['startSeconds']);
  const durationSeconds = Number(header['durationSeconds']);
  if (!Number.isFinite(startSeconds) || !Number.isFinite(durationSeconds)) {
    throw new CajalError('PARSE_ERROR', `signal page header startSeconds ${String(header['startSeconds'])} / durationSeconds ${String(header['durationSeconds'])} are not numbers`, { field: 'startSeconds' });
  }
  const blockStart = Math.ceil((4 + headerLength) / 4) * 4;
  const blockElements = Math.floor(Math.max(0, buffer.byteLength - blockStart) / 4);
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const channels = (header['channels'] as unknown[]).map((raw, index): SignalPageChannel => {
    const channel = checkHeaderChannel(raw, index);
    if (channel.offset + channel.count > blockElements) {
      throw new CajalError('FORMAT_TRUNCATED', `channel "${channel.label}" needs samples ${channel.offset}..${channel.offset + channel.count} but the block holds ${blockElements}`, { field: `channels[${index}]`, byteOffset: blockStart + channel.offset * 4 });
    }
    let samples: Float32Array;
    if (littleEndian) {
      samples = new Float32Array(buffer, blockStart + channel.offset * 4, channel.count);
    } else {
      samples = new Float32Array(channel.count);
      for (let i = 0; i < channel.count; i++) samples[i] = view.getFloat32(blockStart + (channel.offset + i) * 4, true);
    }
    return { label: channel.label, unit: channel.unit, sampleRateHz: channel.sampleRateHz, samples };
  });
  return { startSeconds, durationSeconds, channels };
}

/**
 * Encode a page in the same binary layout (used by tests and the offline demo page).
 *
 * @example encodeSignalPage({ startSeconds: 0, durationSeconds: 10, channels: [...] })
 */
export function encodeSignalPage(page: SignalPage): ArrayBuffer {
  let offset = 0;
  const headerChannels = page.channels.map((c) => {
    const entry = { label: c.label, unit: c.unit, sampleRateHz: c.sampleRateHz, offset, count: c.samples.length };
    offset += c.samples.length;
    return entry;
  });
  const headerBytes = new TextEncoder().encode(JSON.stringify({ startSeconds: page.startSeconds, durationSeconds: page.durationSeconds, channels: headerChannels }));
  const blockStart = Math.ceil((4 + headerBytes.length) / 4) * 4;
  const buffer = new ArrayBuffer(blockStart + offset * 4);
  const view = new DataView(buffer);
  view.setUint32(0, headerBytes.length, true);
  new Uint8Array(buffer, 4, headerBytes.length).set(headerBytes);
  let position = blockStart;
  for (const c of page.channels) {
    for (let i = 0; i < c.samples.length; i++, position += 4) view.setFloat32(position, c.samples[i] as number, true);
  }
  return buffer;
}
