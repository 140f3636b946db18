import { throwIfAborted, throttleProgress } from '@cajal/core';
import type { LongOperationOptions } from '@cajal/core';
import { readExactly, readIntoExactly } from '../source.ts';
import type { ByteSource } from '../source.ts';
import type { EdfHeader, EdfSignal } from './header.ts';

/** Called for each selected signal of each record: its bytes are `bytes[start ...]`. */
export type RecordVisitor = (record: number, signal: EdfSignal, bytes: Uint8Array, start: number) => void;

/** Bytes per read when whole records are read in bulk. */
const chunkBytes = 4 * 1024 * 1024;
/** Reads issued at once in sparse mode (lets Node's thread pool overlap them). */
const parallelReads = 32;

interface Run {
  start: number;
  length: number;
  signals: EdfSignal[];
}

/**
 * Visit the bytes of `signals` in records `[firstRecord, endRecord)`, reading as little as
 * possible: when the selection is a small part of each record, only the selected signals'
 * bytes are read (one read per record per run of adjacent signals, runs spanning whole records
 * merged); otherwise whole records are read in chunks of about 4 MB. Memory stays flat.
 */
export async function scanRecords(
  source: ByteSource,
  header: EdfHeader,
  signals: EdfSignal[],
  firstRecord: number,
  endRecord: number,
  visit: RecordVisitor,
  options: LongOperationOptions & { stage?: string } = {},
): Promise<void> {
  const total = endRecord - firstRecord;
  if (total <= 0 || signals.length === 0) return;
  const runs = selectRuns(header, signals);
  if (isDense(header, runs)) {
    // One chunk buffer for the whole scan when the source can fill a buffer we own.
    const reused = source.readInto ? new Uint8Array(recordsPerChunk(header, total) * header.recordBytes) : undefined;
    await scanChunks(source, header, firstRecord, endRecord, (count) => reused?.subarray(0, count * header.recordBytes), (first, count, bytes) => {
      for (let i = 0; i < count; i++) {
        const base = i * header.recordBytes;
        for (const signal of signals) visit(first + i, signal, bytes, base + signal.offsetInRecord);
      }
    }, options);
    return;
  }
  const progress = throttleProgress(options.onProgress);
  const stage = options.stage ?? 'reading records';
  const { recordBytes, headerBytes } = header;
  type Pending = { record: number; run: Run; bytes: Promise<Uint8Array> };
  // With readInto, every pending read fills its own slot of one slab reused batch after batch
  // (no small buffer per read, so memory stays flat); otherwise each read brings its own.
  const slotBytes = Math.max(...runs.map((run) => run.length));
  const slots = parallelReads + runs.length;
  const slab = source.readInto && slotBytes * slots <= chunkBytes ? new Uint8Array(slotBytes * slots) : undefined;
  let pending: Pending[] = [];
  const flush = async (): Promise<void> => {
    for (const item of pending) {
      const bytes = await item.bytes;
      for (const signal of item.run.signals) visit(item.record, signal, bytes, signal.offsetInRecord - item.run.start);
    }
    const last = pending[pending.length - 1];
    if (last) progress({ done: last.record + 1 - firstRecord, total, stage });
    pending = [];
  };
  for (let r = firstRecord; r < endRecord; r++) {
    for (const run of runs) {
      const offset = headerBytes + r * recordBytes + run.start;
      const slot = pending.length * slotBytes;
      const bytes = slab
        ? readIntoExactly(source, offset, slab.subarray(slot, slot + run.length), `data record ${r}`)
        : readExactly(source, offset, run.length, `data record ${r}`);
      bytes.catch(() => undefined); // rejections surface when awaited in flush()
      pending.push({ record: r, run, bytes });
    }
    if (pending.length >= parallelReads) {
      throwIfAborted(options.signal, 'reading');
      await flush();
    }
  }
  await flush();
}

/** Whether reading `signals` is better done by whole records (`scanChunks`) than piece by piece. */
export function isDenseSelection(header: EdfHeader, signals: EdfSignal[]): boolean {
  return isDense(header, selectRuns(header, signals));
}

function isDense(header: EdfHeader, runs: Run[]): boolean {
  const selectedBytes = runs.reduce((sum, run) => sum + run.length, 0);
  return selectedBytes * 4 >= header.recordBytes || (runs.length === 1 && runs[0]?.length === header.recordBytes);
}

/** Records per chunk of about 4 MB (at least one) for a scan of `total` records. */
export function recordsPerChunk(header: EdfHeader, total: number): number {
  return Math.max(1, Math.min(total, Math.floor(chunkBytes / header.recordBytes)));
}

/**
 * Read records `[firstRecord, endRecord)` whole, in chunks of `recordsPerChunk` records, and
 * hand each chunk to `visit(firstOfChunk, count, bytes)` (record i of the chunk at
 * `bytes[i * recordBytes]`). `target(count)` may supply the buffer to read into (it must hold
 * `count * recordBytes` bytes, and is only used when the source has `readInto`); otherwise each
 * chunk brings its own. Aborts between chunks; reports progress per chunk.
 */
export async function scanChunks(
  source: ByteSource,
  header: EdfHeader,
  firstRecord: number,
  endRecord: number,
  target: (count: number) => Uint8Array | undefined,
  visit: (firstOfChunk: number, count: number, bytes: Uint8Array) => void,
  options: LongOperationOptions & { stage?: string } = {},
): Promise<void> {
  const total = endRecord - firstRecord;
  if (total <= 0) return;
  const progress = throttleProgress(options.onProgress);
  const stage = options.stage ?? 'reading records';
  const { recordBytes, headerBytes } = header;
  const perChunk = recordsPerChunk(header, total);
  for (let r = firstRecord; r < endRecord; r += perChunk) {
    throwIfAborted(options.signal, 'reading');
    const count = Math.min(perChunk, endRecord - r);
    const into = source.readInto ? target(count) : undefined;
    const bytes = into
      ? await readIntoExactly(source, headerBytes + r * recordBytes, into.subarray(0, count * recordBytes), `data record ${r}`)
      : await readExactly(source, headerBytes + r * recordBytes, count * recordBytes, `data record ${r}`);
    visit(r, count, bytes);
    progress({ done: r + count - firstRecord, total, stage });
  }
}

/** Group the selected signals into runs of adjacent bytes within a record. */
function selectRuns(header: EdfHeader, signals: EdfSignal[]): Run[] {
  const sorted = [...signals].sort((a, b) => a.offsetInRecord - b.offsetInRecord);
  const runs: Run[] = [];
  for (const signal of sorted) {
    const length = signal.samplesPerRecord * header.bytesPerSample;
    if (length === 0) continue;
    const last = runs[runs.length - 1];
    if (last && last.start + last.length === signal.offsetInRecord) {
      last.length += length;
      last.signals.push(signal);
    } else if (!last || last.start + last.length < signal.offsetInRecord) {
      runs.push({ start: signal.offsetInRecord, length, signals: [signal] });
    } else {
      last.signals.push(signal);
    }
  }
  return runs;
}
