/**
 * The binary signal page (API.md): uint32 LE header length N, N bytes of UTF-8 JSON header,
 * zero padding to a multiple of 4, then float32 LE samples channel after channel.
 */
import { windowFor, type ByteSource, type EdfOpened, type EdfSignal, type OpenedRecording } from '@cajal/formats';
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
  const source = rawSources.get(opened);
  if (source?.readInto && isEdf(opened)) {
    const indexes = chosen.map((c) => header.channels.indexOf(c));
    return readEdfPage(opened, source as ByteSource & { readInto(offset: number, target: Uint8Array): Promise<number> }, indexes, request.startSeconds, request.durationSeconds);
  }
  return readGenericPage(opened, chosen, request);
}

/** Any format: through `OpenedRecording.read`, then packed (one copy per channel). */
async function readGenericPage(
  opened: OpenedRecording,
  chosen: OpenedRecording['header']['channels'],
  request: { startSeconds: number; durationSeconds: number },
): Promise<Uint8Array> {
  const { header } = opened;
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

/**
 * Raw byte access to the file behind an opened recording, registered by `OpenedFileCache` when it
 * opens a file; an EDF/BDF with one lets `readSignalPage` take the direct path.
 */
const rawSources = new WeakMap<OpenedRecording, ByteSource>();

/** Let `readSignalPage` read `opened`'s data records straight from `source` (the same file). */
export function registerRawSource(opened: OpenedRecording, source: ByteSource): void {
  rawSources.set(opened, source);
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Read buffers for the record range of a page, reused across requests: a buffer is taken when a
 * request starts its read and given back as soon as the samples are decoded (synchronously after
 * the read), so concurrent requests each hold their own. Up to `maxPooledBytes` are kept (50
 * concurrent 64-channel pages hold ~19 MiB of record bytes); larger buffers are not pooled.
 */
const readPool: Uint8Array[] = [];
const maxPooledBytes = 32 * 2 ** 20;
let pooledBytes = 0;

function takeReadBuffer(length: number): Uint8Array {
  for (let i = readPool.length - 1; i >= 0; i--) {
    const buffer = readPool[i] as Uint8Array;
    if (buffer.byteLength >= length) {
      readPool.splice(i, 1);
      pooledBytes -= buffer.byteLength;
      return buffer;
    }
  }
  // Rounded up to 64 KiB so that pages of slightly different sizes share buffers.
  return new Uint8Array(Math.ceil(Math.max(1, length) / 65536) * 65536);
}

function giveReadBuffer(buffer: Uint8Array): void {
  if (pooledBytes + buffer.byteLength > maxPooledBytes) return;
  readPool.push(buffer);
  pooledBytes += buffer.byteLength;
}

function isEdf(opened: OpenedRecording): opened is EdfOpened {
  const candidate = opened as Partial<EdfOpened>;
  return typeof candidate.edf === 'object' && candidate.edf !== null && candidate.recordOnsets instanceof Float64Array;
}

/**
 * The direct EDF/BDF path: one read of the data records overlapping the range into a pooled
 * buffer, decoded digital -> physical straight into the response's sample block (one
 * ArrayBuffer per response, no per-channel arrays, no copies). Sample selection per record
 * is the reader's own (`windowFor` from `@cajal/formats`), and values are computed
 * the same way (`digital * gain + offset` in double, stored as float32), so pages are identical
 * to the generic path (tested).
 */
async function readEdfPage(
  opened: EdfOpened,
  source: ByteSource & { readInto(offset: number, target: Uint8Array): Promise<number> },
  chosen: number[],
  startSeconds: number,
  durationSeconds: number,
): Promise<Uint8Array> {
  const { edf, recordOnsets, header } = opened;
  const dataSignals = edf.signals.filter((s) => !s.isAnnotation && s.samplesPerRecord > 0);
  const signals = chosen.map((i) => dataSignals[i] as EdfSignal);
  // The reader's own record and sample selection, so pages equal the generic path's.
  const { firstRecord, endRecord, sampleWindow } = windowFor(recordOnsets, edf.recordSeconds, startSeconds, startSeconds + durationSeconds);
  // Sample counts per chosen channel, then the header and the response buffer.
  let offset = 0;
  const channels: PageChannel[] = new Array<PageChannel>(signals.length);
  for (let i = 0; i < signals.length; i++) {
    const signal = signals[i] as EdfSignal;
    let count = 0;
    for (let r = firstRecord; r < endRecord; r++) {
      const [first, last] = sampleWindow(r, signal.samplesPerRecord);
      count += last - first;
    }
    const info = header.channels[chosen[i] as number] as (typeof header.channels)[number];
    channels[i] = { label: info.label, unit: info.unit, sampleRateHz: info.sampleRateHz, offset, count };
    offset += count;
  }
  const json = new TextEncoder().encode(JSON.stringify({ startSeconds, durationSeconds, channels }));
  const sampleStart = Math.ceil((4 + json.length) / 4) * 4;
  const bytes = new Uint8Array(new ArrayBuffer(sampleStart + offset * 4));
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  const out = new Float32Array(bytes.buffer, sampleStart, offset);
  if (endRecord === firstRecord) return bytes;

  const length = (endRecord - firstRecord) * edf.recordBytes;
  const buffer = takeReadBuffer(length);
  try {
    const filled = await source.readInto(edf.headerBytes + firstRecord * edf.recordBytes, buffer.subarray(0, length));
    if (filled !== length) throw new CajalError('FORMAT_TRUNCATED', `read ${filled} of ${length} bytes of data records from ${source.name}`);
    const bytesPerSample = edf.bytesPerSample;
    const view16 = bytesPerSample === 2 && littleEndian ? new Int16Array(buffer.buffer, buffer.byteOffset, length >> 1) : undefined;
    for (let i = 0; i < signals.length; i++) {
      const signal = signals[i] as EdfSignal;
      const { gain, offset: zero, samplesPerRecord } = signal;
      let at = (channels[i] as PageChannel).offset;
      for (let r = firstRecord; r < endRecord; r++) {
        const [first, last] = sampleWindow(r, samplesPerRecord);
        const base = (r - firstRecord) * edf.recordBytes + signal.offsetInRecord + first * bytesPerSample;
        const count = last - first;
        if (view16) {
          const from = base >> 1;
          for (let k = 0; k < count; k++) out[at + k] = (view16[from + k] as number) * gain + zero;
        } else if (bytesPerSample === 2) {
          for (let k = 0; k < count; k++) {
            const p = base + 2 * k;
            const value = ((buffer[p] as number) | ((buffer[p + 1] as number) << 8)) << 16 >> 16;
            out[at + k] = value * gain + zero;
          }
        } else {
          for (let k = 0; k < count; k++) {
            const p = base + 3 * k;
            const value = ((buffer[p] as number) | ((buffer[p + 1] as number) << 8) | ((buffer[p + 2] as number) << 16)) << 8 >> 8;
            out[at + k] = value * gain + zero;
          }
        }
        at += count;
      }
    }
  } finally {
    giveReadBuffer(buffer);
  }
  return bytes;
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
