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
  const progress = throttleProgress(options.onProgress);
  const stage = options.stage ?? 'reading records';
  const runs = selectRuns(header, signals);
  const selectedBytes = runs.reduce((sum, run) => sum + run.length, 0);
  const { recordBytes, headerBytes } = header;
  const dense = selectedBytes * 4 >= recordBytes || (runs.length === 1 && runs[0]?.length === recordBytes);
  if (dense) {
    const recordsPerChunk = Math.max(1, Math.min(total, Math.floor(chunkBytes / recordBytes)));
    // One chunk buffer for the whole scan when the source can fill a buffer we own.
    const reused = source.readInto ? new Uint8Array(recordsPerChunk * recordBytes) : undefined;
    for (let r = firstRecord; r < endRecord; r += recordsPerChunk) {
      throwIfAborted(options.signal, 'reading');
      const count = Math.min(recordsPerChunk, endRecord - r);
      const bytes = reused
        ? await readIntoExactly(source, headerBytes + r * recordBytes, reused.subarray(0, count * recordBytes), `data record ${r}`)
        : await readExactly(source, headerBytes + r * recordBytes, count * recordBytes, `data record ${r}`);
      for (let i = 0; i < count; i++) {
        const base = i * recordBytes;
        for (const signal of signals) visit(r + i, signal, bytes, base + signal.offsetInRecord);
      }
      progress({ done: r + count - firstRecord, total, stage });
    }
    return;
  }
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
