import { CajalError, throwIfAborted } from '@cajal/core';
import type { LongOperationOptions, Recording, RecordingHeader } from '@cajal/core';
import { readers } from './registry.ts';
import { toByteSource } from './source.ts';
import type { RangeRead, ReadIntoRequest } from './page-read.ts';
import type { ByteSource, SourceInput } from './source.ts';

/** Options every reader understands. */
export interface ReadOptions extends LongOperationOptions {
  /** Skip detection and use this format ("edf", "bdf", "brainvision", "nifti", ...). */
  format?: string;
  /** Read only these channels (labels or 0-based indices). */
  channels?: Array<string | number>;
  /** Start of the time range, seconds from the recording's start (gaps honoured). */
  startSeconds?: number;
  /** End of the time range (exclusive). */
  endSeconds?: number;
  /** Treat compliance warnings as errors. */
  strict?: boolean;
  /** Name for messages when the source has none. */
  name?: string;
  /** Companion files for in-memory sources (BrainVision .vmrk/.eeg), by file name. */
  siblings?: Record<string, SourceInput>;
}

export interface TimeRange {
  startSeconds?: number;
  endSeconds?: number;
}

/** A recording opened for lazy reading: the header is parsed, samples are read on demand. */
export interface OpenedRecording {
  readonly header: RecordingHeader;
  /** Samples of one channel (label or index), optionally restricted to a time range. */
  readChannel(channel: string | number, range?: TimeRange, options?: LongOperationOptions): Promise<Float32Array>;
  /** A Recording with the selected channels and time range (all by default). */
  read(options?: Pick<ReadOptions, 'channels' | 'startSeconds' | 'endSeconds' | 'onProgress' | 'signal'>): Promise<Recording>;
  /**
   * Decode the channels (indices) of `[startSeconds, endSeconds)` in physical units into the
   * request's targets (or new arrays), reporting per channel the time of its first sample and
   * its contiguous runs (page-read.ts). EDF/BDF decode straight from the file; BrainVision and
   * NIfTI go through `read()` and copy once.
   *
   * @example
   *   const page = await opened.readInto({ channels: [0], startSeconds: 0, endSeconds: 2 });
   */
  readInto(request: ReadIntoRequest): Promise<RangeRead>;
  close(): Promise<void>;
}

/** A file format: detection from the first bytes and the name, and opening. */
export interface FormatReader {
  /** The family name used with `options.format`, e.g. "edf" (covers EDF, EDF+, BDF, BDF+). */
  readonly format: string;
  /** Other names accepted in `options.format`, e.g. ["bdf"]. */
  readonly aliases?: string[];
  readonly extensions: string[];
  /** True when the first bytes (up to 1024) and the file name look like this format. */
  detect(head: Uint8Array, name: string): boolean;
  open(source: ByteSource, options: ReadOptions): Promise<OpenedRecording>;
}

/** Find the reader for a source: by `options.format`, else by content, else by extension. */
export async function detectReader(source: ByteSource, format?: string): Promise<FormatReader> {
  if (format) {
    const wanted = format.toLowerCase();
    const reader = readers.find((r) => r.format === wanted || r.aliases?.includes(wanted));
    if (!reader) throw new CajalError('FORMAT_UNKNOWN', `unknown format "${format}"`, { known: readers.map((r) => r.format) });
    return reader;
  }
  const head = await source.read(0, Math.min(1024, source.size));
  const reader = readers.find((r) => r.detect(head, source.name));
  if (!reader) {
    throw new CajalError('FORMAT_UNKNOWN', `cannot tell the format of ${source.name}: not EDF, BDF, BrainVision or NIfTI`, {
      file: source.name,
      byteOffset: 0,
    });
  }
  return reader;
}

/**
 * Open a recording for lazy reads, detecting its format.
 *
 * @example
 *   const opened = await openRecording(file);           // File, Blob, ArrayBuffer or ByteSource
 *   const cz = await opened.readChannel('Cz', { startSeconds: 10, endSeconds: 20 });
 *   await opened.close();
 */
export async function openRecording(input: SourceInput, options: ReadOptions = {}): Promise<OpenedRecording> {
  const source = toByteSource(input, options.name, options.siblings);
  throwIfAborted(options.signal, 'reading');
  const reader = await detectReader(source, options.format);
  return reader.open(source, options);
}

/**
 * Read a recording completely (or the channels and time range in `options`).
 *
 * @example
 *   const rec = await readRecording(await file.arrayBuffer(), { name: file.name });
 */
export async function readRecording(input: SourceInput, options: ReadOptions = {}): Promise<Recording> {
  const opened = await openRecording(input, options);
  try {
    const selection: Parameters<OpenedRecording['read']>[0] = {};
    if (options.channels) selection.channels = options.channels;
    if (options.startSeconds !== undefined) selection.startSeconds = options.startSeconds;
    if (options.endSeconds !== undefined) selection.endSeconds = options.endSeconds;
    if (options.onProgress) selection.onProgress = options.onProgress;
    if (options.signal) selection.signal = options.signal;
    return await opened.read(selection);
  } finally {
    await opened.close();
  }
}

/** Read only the header (channels, rates, annotations, segments, warnings). */
export async function readHeader(input: SourceInput, options: ReadOptions = {}): Promise<RecordingHeader> {
  const opened = await openRecording(input, options);
  try {
    return opened.header;
  } finally {
    await opened.close();
  }
}
