/**
 * `readInto` for EDF/EDF+/BDF: the data records overlapping the range are read in bounded
 * chunks (into pooled buffers when the source has `readInto`) and decoded digital -> physical
 * straight into the caller's targets, with the reader's own per-record sample selection
 * (`windowFor`), so values equal `read()`'s. Runs follow the records' onsets: a record that
 * does not abut the previous one (EDF+D) starts a new run; a first record at +0.39 s puts the
 * first sample at 0.39 s.
 */
import { throwIfAborted } from '@cajal/core';
import type { RecordingHeader } from '@cajal/core';
import type { ByteSource } from '../source.ts';
import { readExactly, readIntoExactly } from '../source.ts';
import { checkRequest, clipSegments, finishRead, targetsFor } from '../page-read.ts';
import type { ChannelReadLayout, RangeRead, ReadIntoRequest, ReadLayout, SampleRun } from '../page-read.ts';
import { decodeInt24, int16Decoder } from './decode.ts';
import type { EdfHeader, EdfSignal } from './header.ts';
import { contiguityToleranceSeconds, windowFor } from './timeline.ts';
import type { RecordWindow } from './timeline.ts';

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Largest read per chunk (whole records; at least one record). */
const chunkBytes = 4 * 2 ** 20;

/**
 * Chunk buffers reused across page reads: taken for a read, given back once its samples are
 * decoded, so concurrent reads each hold their own. Up to 32 MiB are kept.
 */
const pool: Uint8Array[] = [];
const maxPooledBytes = 32 * 2 ** 20;
let pooledBytes = 0;

function takeBuffer(length: number): Uint8Array {
  for (let i = pool.length - 1; i >= 0; i--) {
    const buffer = pool[i] as Uint8Array;
    if (buffer.byteLength >= length) {
      pool.splice(i, 1);
      pooledBytes -= buffer.byteLength;
      return buffer;
    }
  }
  // Rounded up to 64 KiB so that pages of slightly different sizes share buffers.
  return new Uint8Array(Math.ceil(Math.max(1, length) / 65536) * 65536);
}

function giveBuffer(buffer: Uint8Array): void {
  if (pooledBytes + buffer.byteLength > maxPooledBytes) return;
  pool.push(buffer);
  pooledBytes += buffer.byteLength;
}

/** The layout of an EDF range read: sample counts and runs from the record onsets. */
function edfLayout(edf: EdfHeader, header: RecordingHeader, recordOnsets: Float64Array, signals: EdfSignal[], request: ReadIntoRequest, window: RecordWindow): ReadLayout {
  const channels = request.channels.map((index, i): ChannelReadLayout => {
    const signal = signals[i] as EdfSignal;
    const rate = signal.samplesPerRecord / edf.recordSeconds;
    const runs: SampleRun[] = [];
    let count = 0;
    let previousEnd = Number.NaN;
    for (let r = window.firstRecord; r < window.endRecord; r++) {
      const [first, last] = window.sampleWindow(r, signal.samplesPerRecord);
      if (last <= first) continue;
      const onset = recordOnsets[r] as number;
      const run = runs[runs.length - 1];
      // A record that starts where the last one written ended continues its run.
      if (run && first === 0 && Math.abs(onset - previousEnd) <= contiguityToleranceSeconds) run.count += last - first;
      else runs.push({ startSeconds: onset + first / rate, offset: count, count: last - first });
      count += last - first;
      previousEnd = last === signal.samplesPerRecord ? onset + edf.recordSeconds : Number.NaN;
    }
    const info = header.channels[index] as RecordingHeader['channels'][number];
    return { channel: index, sampleRateHz: rate, unit: info.unit, count, firstSampleSeconds: runs[0]?.startSeconds ?? null, runs };
  });
  return { startSeconds: request.startSeconds, endSeconds: request.endSeconds, channels, segments: clipSegments(header.segments, request.startSeconds, request.endSeconds) };
}

/** Read `request` from an EDF/BDF source into its targets. */
export async function readEdfInto(source: ByteSource, edf: EdfHeader, header: RecordingHeader, recordOnsets: Float64Array, dataSignals: EdfSignal[], request: ReadIntoRequest): Promise<RangeRead> {
  throwIfAborted(request.signal, 'reading');
  checkRequest(dataSignals.length, request);
  const signals = request.channels.map((i) => dataSignals[i] as EdfSignal);
  const window = windowFor(recordOnsets, edf.recordSeconds, request.startSeconds, request.endSeconds);
  const layout = edfLayout(edf, header, recordOnsets, signals, request, window);
  const targets = targetsFor(request, layout);
  const total = window.endRecord - window.firstRecord;
  if (total <= 0 || signals.length === 0) return finishRead(layout, targets);

  const perChunk = Math.max(1, Math.min(total, Math.floor(chunkBytes / Math.max(1, edf.recordBytes))));
  const pooled = source.readInto ? takeBuffer(perChunk * edf.recordBytes) : undefined;
  const decode = edf.isBdf ? decodeInt24 : int16Decoder();
  const filled = new Array<number>(signals.length).fill(0);
  try {
    for (let first = window.firstRecord; first < window.endRecord; first += perChunk) {
      throwIfAborted(request.signal, 'reading');
      const count = Math.min(perChunk, window.endRecord - first);
      const length = count * edf.recordBytes;
      const offset = edf.headerBytes + first * edf.recordBytes;
      const field = `data records ${first}..${first + count - 1}`;
      const bytes = pooled ? await readIntoExactly(source, offset, pooled.subarray(0, length), field) : await readExactly(source, offset, length, field);
      // EDF's 16-bit samples, aligned on a little-endian machine (the usual case): one view of
      // the chunk and the loop inline (a decoder call per record piece cost 1.8x the page read).
      const view16 = !edf.isBdf && littleEndian && (bytes.byteOffset & 1) === 0 ? new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1) : undefined;
      for (let i = 0; i < signals.length; i++) {
        const signal = signals[i] as EdfSignal;
        const out = targets[i] as Float32Array;
        const { gain, offset: zero, samplesPerRecord, offsetInRecord } = signal;
        let at = filled[i] as number;
        for (let r = 0; r < count; r++) {
          const [from, to] = window.sampleWindow(first + r, samplesPerRecord);
          if (to <= from) continue;
          const start = r * edf.recordBytes + offsetInRecord + from * edf.bytesPerSample;
          if (view16) {
            const base = start >> 1;
            for (let k = 0, n = to - from; k < n; k++) out[at + k] = (view16[base + k] as number) * gain + zero;
          } else decode(bytes, start, to - from, gain, zero, out, at);
          at += to - from;
        }
        filled[i] = at;
      }
      request.onProgress?.({ done: first + count - window.firstRecord, total, stage: 'reading records' });
    }
  } finally {
    if (pooled) giveBuffer(pooled);
  }
  return finishRead(layout, targets);
}
