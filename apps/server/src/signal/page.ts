/**
 * The binary signal page (API.md): uint32 LE header length N, N bytes of UTF-8 JSON header,
 * zero padding to a multiple of 4, then float32 LE samples channel after channel.
 */
import type { OpenedRecording } from '@cajal/formats';
import { CajalError } from '@cajal/core';

export interface PageChannel {
  label: string;
  unit: string;
  sampleRateHz: number;
  /** Offset in float32 elements from the start of the sample block. */
  offset: number;
  count: number;
}

export interface PageHeader {
  startSeconds: number;
  durationSeconds: number;
  channels: PageChannel[];
}

/** Largest page: samples across all channels (64 channels x 60 s x 1000 Hz is 3.84 M). */
export const maxPageSamples = 8_000_000;

/**
 * Read `durationSeconds` from `startSeconds` of the chosen channels (all when empty) and pack
 * them as a binary page.
 *
 * @example
 *   const bytes = await readSignalPage(opened, { startSeconds: 0, durationSeconds: 10, channels: [] });
 */
export async function readSignalPage(
  opened: OpenedRecording,
  request: { startSeconds: number; durationSeconds: number; channels: string[] },
): Promise<Uint8Array> {
  const { header } = opened;
  const chosen = request.channels.length === 0
    ? header.channels
    : request.channels.map((label) => {
      const channel = header.channels.find((c) => c.label === label);
      if (!channel) throw new CajalError('NOT_FOUND', `no channel "${label}" in this recording`, { field: 'channels' });
      return channel;
    });
  const expected = chosen.reduce((sum, c) => sum + Math.ceil(c.sampleRateHz * request.durationSeconds) + 1, 0);
  if (expected > maxPageSamples) {
    throw new CajalError('INVALID_ARGUMENT', `page of ${expected} samples is larger than ${maxPageSamples}: ask for fewer channels or a shorter duration`, { field: 'duration' });
  }
  const range = { startSeconds: request.startSeconds, endSeconds: request.startSeconds + request.durationSeconds };
  // One read of the time range for all chosen channels (EDF records interleave channels, so
  // per-channel reads would each fetch and decode every record again).
  const part = await opened.read({ channels: chosen.map((c) => header.channels.indexOf(c)), ...range });
  const blocks: Float32Array[] = part.channels.map((c) => c.samples);
  if (blocks.length !== chosen.length) throw new CajalError('INTERNAL', `read ${blocks.length} channels, expected ${chosen.length}`);
  let offset = 0;
  const channels: PageChannel[] = chosen.map((c, i) => {
    const count = (blocks[i] as Float32Array).length;
    const entry = { label: c.label, unit: c.unit, sampleRateHz: c.sampleRateHz, offset, count };
    offset += count;
    return entry;
  });
  return packPage({ startSeconds: request.startSeconds, durationSeconds: request.durationSeconds, channels }, blocks);
}

/** Pack a header and sample blocks into the binary page layout. */
export function packPage(header: PageHeader, blocks: Float32Array[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const sampleStart = Math.ceil((4 + json.length) / 4) * 4;
  const sampleCount = blocks.reduce((sum, b) => sum + b.length, 0);
  const bytes = new Uint8Array(sampleStart + sampleCount * 4);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  const samples = new Float32Array(bytes.buffer, sampleStart, sampleCount);
  let at = 0;
  for (const block of blocks) {
    samples.set(block, at);
    at += block.length;
  }
  return bytes;
}

/** Unpack a page (used by tests and the bench; the web app has its own copy). */
export function unpackPage(bytes: Uint8Array): { header: PageHeader; samples: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as PageHeader;
  const sampleStart = Math.ceil((4 + length) / 4) * 4;
  const copy = bytes.slice(sampleStart);
  return { header, samples: new Float32Array(copy.buffer, 0, copy.byteLength / 4) };
}
