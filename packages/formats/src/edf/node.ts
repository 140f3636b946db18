/**
 * Node-only EDF+/BDF+ writing to files, record by record, so files larger than memory can be
 * written: `createEdfFileWriter` for data produced piece by piece, `writeEdfFile` for a
 * Recording already in memory (no second copy of the file in memory).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { CajalError, throwIfAborted, throttleProgress } from '@cajal/core';
import type { Annotation, Recording } from '@cajal/core';
import { EdfRecordEncoder } from './encoder.ts';
import { encodeHeader, recordBytesOf } from './layout.ts';
import type { EdfWriteSpec } from './layout.ts';
import { planEdf } from './writer.ts';
import type { EdfWriteOptions } from './writer.ts';

/** A file being written record by record. */
export interface EdfFileWriter {
  readonly spec: EdfWriteSpec;
  /**
   * Append one data record: `samples[c]` holds exactly (or at most) the channel's samples per
   * record; `onsetSeconds` defaults to the previous record's end (continuous files).
   */
  writeRecord(samples: Float32Array[], annotations?: Annotation[], onsetSeconds?: number): Promise<void>;
  /** Write the record count into the header and close; returns what was written. */
  close(): Promise<{ recordCount: number; clippedSamples: number; bytes: number }>;
}

/** Records buffered before one write to the file. */
const bufferBytes = 4 * 1024 * 1024;

/**
 * Open `path` for writing an EDF+/BDF+ file described by `spec` (ranges and samples per record
 * must be known up front). The header's record count is written as -1 until `close()`.
 *
 * @example
 *   const writer = await createEdfFileWriter('/tmp/big.edf', spec);
 *   for (let r = 0; r < 3600; r++) await writer.writeRecord(nextSecond());
 *   await writer.close();
 */
export async function createEdfFileWriter(path: string, spec: EdfWriteSpec): Promise<EdfFileWriter> {
  const encoder = new EdfRecordEncoder(spec);
  const header = encodeHeader(spec, -1);
  const handle: FileHandle = await open(path, 'w');
  await handle.write(header, 0, header.length, 0);
  const recordBytes = recordBytesOf(spec);
  const perBuffer = Math.max(1, Math.floor(bufferBytes / recordBytes));
  let buffer = new Uint8Array(perBuffer * recordBytes);
  let buffered = 0;
  let position = header.length;
  let recordCount = 0;
  let nextOnset = 0;
  let closed = false;
  const zeros = spec.signals.map(() => 0);
  const flush = async (): Promise<void> => {
    if (buffered === 0) return;
    const length = buffered * recordBytes;
    await handle.write(buffer, 0, length, position);
    position += length;
    buffered = 0;
    buffer = new Uint8Array(perBuffer * recordBytes);
  };
  return {
    spec,
    async writeRecord(samples, annotations = [], onsetSeconds) {
      if (closed) throw new CajalError('WRITE_INVALID', 'the EDF writer is closed');
      if (samples.length !== spec.signals.length) {
        throw new CajalError('WRITE_INVALID', `a record needs ${spec.signals.length} channels of samples, got ${samples.length}`);
      }
      const onset = onsetSeconds ?? nextOnset;
      const start = buffered * recordBytes;
      encoder.encode(onset, samples, zeros, annotations, buffer.subarray(start, start + recordBytes));
      buffered++;
      recordCount++;
      nextOnset = onset + spec.recordSeconds;
      if (buffered === perBuffer) await flush();
    },
    async close() {
      if (!closed) {
        closed = true;
        try {
          await flush();
          const finalHeader = encodeHeader(spec, recordCount);
          await handle.write(finalHeader, 0, finalHeader.length, 0);
        } finally {
          await handle.close();
        }
      }
      return { recordCount, clippedSamples: encoder.clippedSamples, bytes: position };
    },
  };
}

/**
 * Write a Recording to `path` as EDF+ or BDF+ (by `format`, default from the extension),
 * record by record; same options and result figures as `writeEdf`.
 *
 * @example
 *   const result = await writeEdfFile(recording, 'out.bdf', { onProgress });
 */
export async function writeEdfFile(
  recording: Recording,
  path: string,
  options: EdfWriteOptions & { format?: 'edf' | 'bdf' } = {},
): Promise<{ clippedSamples: number; paddedSamples: number; recordCount: number; recordDurationSeconds: number; bytes: number; format: string }> {
  const format = options.format ?? (/\.bdf$/i.test(path) ? 'bdf' : 'edf');
  const plan = planEdf(recording, format, options);
  const encoder = new EdfRecordEncoder(plan.spec);
  const header = encodeHeader(plan.spec, plan.recordOnsets.length);
  const handle = await open(path, 'w');
  const progress = throttleProgress(options.onProgress);
  const samples = recording.channels.map((c) => c.samples);
  const recordBytes = encoder.recordBytes;
  const perBuffer = Math.max(1, Math.floor(bufferBytes / recordBytes));
  const buffer = new Uint8Array(perBuffer * recordBytes);
  let position = header.length;
  try {
    await handle.write(header, 0, header.length, 0);
    const total = plan.recordOnsets.length;
    for (let r = 0; r < total; r += perBuffer) {
      throwIfAborted(options.signal, 'writing');
      const count = Math.min(perBuffer, total - r);
      for (let i = 0; i < count; i++) {
        const record = r + i;
        encoder.encode(plan.recordOnsets[record] as number, samples, Array.from(plan.sampleStarts[record] ?? []), plan.annotationsPerRecord[record] ?? [], buffer.subarray(i * recordBytes, (i + 1) * recordBytes));
      }
      await handle.write(buffer, 0, count * recordBytes, position);
      position += count * recordBytes;
      progress({ done: r + count, total, stage: 'writing records' });
    }
  } finally {
    await handle.close();
  }
  return {
    clippedSamples: encoder.clippedSamples,
    paddedSamples: plan.paddedSamples,
    recordCount: plan.recordOnsets.length,
    recordDurationSeconds: plan.spec.recordSeconds,
    bytes: position,
    format: `${format}+${plan.spec.discontinuous ? 'd' : 'c'}`,
  };
}
