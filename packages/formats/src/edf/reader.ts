import { CajalError, findChannel, throwIfAborted } from '@cajal/core';
import type { Annotation, Channel, ChannelInfo, LongOperationOptions, Recording, RecordingHeader } from '@cajal/core';
import { markFileSource } from '../annotation-source.ts';
import { readExactly } from '../source.ts';
import type { ByteSource } from '../source.ts';
import type { FormatReader, OpenedRecording, ReadOptions, TimeRange } from '../read.ts';
import { decodeDigital, decodeInt24, int16Decoder } from './decode.ts';
import { WarningSink } from './fields.ts';
import { channelTypeOf, fixedHeaderBytes, parseEdfHeader, readSignalCount } from './header.ts';
import type { EdfHeader, EdfSignal } from './header.ts';
import { isDenseSelection, recordsPerChunk, scanChunks, scanRecords } from './scan.ts';
import { createWasmInt16Decoder } from './wasm-decode.ts';
import { TriggerDecoder } from './status.ts';
import { parseTal } from './tal.ts';
import { segmentsFromOnsets, segmentsInRange, windowFor } from './timeline.ts';
import { readEdfInto } from './page-read.ts';
import type { RangeRead, ReadIntoRequest } from '../page-read.ts';

/** An EDF/BDF file opened for lazy reads, with its parsed header and record time axis. */
export interface EdfOpened extends OpenedRecording {
  /** The header exactly as parsed (signals, gains, layout). */
  readonly edf: EdfHeader;
  /** Onset (seconds from the start time) of every data record. */
  readonly recordOnsets: Float64Array;
}

/**
 * Open an EDF, EDF+ (C or D), BDF or BDF+ source: parses the header, reads the annotation
 * signals (TALs: record onsets and annotations) and, for BDF, the Status channel's triggers.
 * Signal samples are read only on `readChannel` / `read`.
 *
 * @example
 *   const opened = await openEdf(bufferSource(bytes, 'sleep.edf'));
 *   const fpz = await opened.readChannel('EEG Fpz-Cz', { startSeconds: 0, endSeconds: 30 });
 */
export async function openEdf(source: ByteSource, options: Pick<ReadOptions, 'strict' | 'signal' | 'onProgress'> = {}): Promise<EdfOpened> {
  const sink = new WarningSink(source.name, options.strict ?? false);
  const fixed = await readExactly(source, 0, fixedHeaderBytes, 'header');
  const ns = readSignalCount(fixed, sink);
  const headerBytes = fixedHeaderBytes * (ns + 1);
  if (headerBytes > source.size) {
    throw new CajalError('FORMAT_TRUNCATED', `number_of_signals is ${ns}, which needs a ${headerBytes}-byte header, but the file has ${source.size} bytes`, {
      file: source.name,
      field: 'number_of_signals',
      byteOffset: 252,
    });
  }
  const edf = parseEdfHeader(await readExactly(source, 0, headerBytes, 'signal headers'), source.size, sink);
  const dataSignals = edf.signals.filter((s) => !s.isAnnotation && s.samplesPerRecord > 0);
  const annotationSignals = edf.signals.filter((s) => s.isAnnotation);
  if (edf.isPlus && annotationSignals.length === 0) {
    sink.warn('NO_ANNOTATION_SIGNAL', `${edf.variant.toUpperCase()} file has no "EDF Annotations" signal; record onsets assumed contiguous`, 'reserved', 192);
  }

  const recordOnsets = new Float64Array(edf.recordCount);
  for (let r = 0; r < edf.recordCount; r++) recordOnsets[r] = r * edf.recordSeconds;
  const annotations: Annotation[] = [];
  if (annotationSignals.length > 0) {
    const timeKeeper = annotationSignals[0] as EdfSignal;
    const kept = new Uint8Array(edf.recordCount);
    await scanRecords(
      source,
      edf,
      annotationSignals,
      0,
      edf.recordCount,
      (record, signal, bytes, start) => {
        const length = signal.samplesPerRecord * edf.bytesPerSample;
        const fileOffset = edf.headerBytes + record * edf.recordBytes + signal.offsetInRecord;
        const tal = parseTal(bytes.subarray(start, start + length), signal === timeKeeper, fileOffset, `annotations[${signal.index}] record ${record}`, sink);
        if (tal.recordOnsetSeconds !== undefined && signal === timeKeeper) {
          recordOnsets[record] = tal.recordOnsetSeconds;
          kept[record] = 1;
        }
        for (const annotation of tal.annotations) annotations.push(annotation);
      },
      { stage: 'reading annotations', ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    for (let r = 0; r < edf.recordCount; r++) {
      if (kept[r]) continue;
      sink.warn('NO_TIME_KEEPING', `data record ${r} has no time-keeping annotation; onset assumed to follow the previous record`, `annotations[${timeKeeper.index}]`, edf.headerBytes + r * edf.recordBytes + timeKeeper.offsetInRecord);
      recordOnsets[r] = r === 0 ? 0 : (recordOnsets[r - 1] as number) + edf.recordSeconds;
    }
  }
  const segments = dataSignals.length === 0 ? [{ onsetSeconds: 0, durationSeconds: 0 }] : segmentsFromOnsets(recordOnsets, edf.recordSeconds);
  if (!edf.isDiscontinuous && segments.length > 1) {
    sink.warn('DISCONTINUOUS_RECORDS', `file is not marked EDF+D but its records form ${segments.length} segments; gaps kept`, 'reserved', 192);
  }
  for (let r = 1; r < edf.recordCount; r++) {
    if ((recordOnsets[r] as number) < (recordOnsets[r - 1] as number) + edf.recordSeconds - 1e-5 && dataSignals.length > 0) {
      sink.warn('RECORD_ORDER', `data record ${r} starts at ${recordOnsets[r]} s, before the previous record ends`, 'annotations', edf.headerBytes + r * edf.recordBytes);
      break;
    }
  }

  const status = edf.isBdf ? dataSignals.find((s) => s.label.toLowerCase() === 'status') : undefined;
  if (status) {
    const decoder = new TriggerDecoder(status.label);
    const digital = new Int32Array(status.samplesPerRecord);
    const rate = status.samplesPerRecord / edf.recordSeconds;
    await scanRecords(source, edf, [status], 0, edf.recordCount, (record, signal, bytes, start) => {
      decodeDigital(bytes, start, signal.samplesPerRecord, 3, digital, 0);
      decoder.feed(digital, signal.samplesPerRecord, recordOnsets[record] as number, rate);
    }, { stage: 'reading triggers', ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    decoder.close(edf.recordCount > 0 ? (recordOnsets[edf.recordCount - 1] as number) + edf.recordSeconds : 0);
    if (decoder.truncated) sink.warn('TOO_MANY_TRIGGERS', `Status channel changes more than ${decoder.annotations.length} times; later triggers dropped`, `label[${status.index}]`, status.labelByteOffset);
    annotations.push(...decoder.annotations);
  }
  markFileSource(annotations, source.name).sort((a, b) => a.onsetSeconds - b.onsetSeconds);

  const channels: ChannelInfo[] = dataSignals.map((s) => ({
    label: s.label,
    unit: s.unit,
    sampleRateHz: s.samplesPerRecord / edf.recordSeconds,
    sampleCount: s.samplesPerRecord * edf.recordCount,
    type: channelTypeOf(s.label, s.unit, edf.isBdf),
    physicalMin: s.physicalMin,
    physicalMax: s.physicalMax,
    digitalMin: s.digitalMin,
    digitalMax: s.digitalMax,
    prefiltering: s.prefiltering,
    transducer: s.transducer,
  }));
  const header: RecordingHeader = {
    format: edf.variant,
    startTime: edf.startTime,
    channels,
    segments,
    annotations,
    subject: edf.subject,
    recordingInfo: edf.recordingInfo,
    warnings: sink.warnings,
    source: source.name,
  };
  return new EdfRecording(source, edf, header, recordOnsets, dataSignals);
}

class EdfRecording implements EdfOpened {
  constructor(
    private readonly source: ByteSource,
    readonly edf: EdfHeader,
    readonly header: RecordingHeader,
    readonly recordOnsets: Float64Array,
    private readonly dataSignals: EdfSignal[],
  ) {}

  async readChannel(channel: string | number, range: TimeRange = {}, options: LongOperationOptions = {}): Promise<Float32Array> {
    throwIfAborted(options.signal, 'reading');
    const [samples] = await this.readSignals([this.resolve(channel)], range, options);
    return samples as Float32Array;
  }

  async read(options: Parameters<OpenedRecording['read']>[0] = {}): Promise<Recording> {
    throwIfAborted(options.signal, 'reading');
    const indexes = options.channels ? options.channels.map((c) => this.resolve(c)) : this.dataSignals.map((_, i) => i);
    const range: TimeRange = {};
    if (options.startSeconds !== undefined) range.startSeconds = options.startSeconds;
    if (options.endSeconds !== undefined) range.endSeconds = options.endSeconds;
    const samples = await this.readSignals(indexes, range, options);
    const channels: Channel[] = indexes.map((index, i) => {
      const info = this.header.channels[index] as ChannelInfo;
      const data = samples[i] as Float32Array;
      return { ...info, sampleCount: data.length, samples: data };
    });
    const start = range.startSeconds ?? -Infinity;
    const end = range.endSeconds ?? Infinity;
    const annotations = this.header.annotations.filter((a) => a.onsetSeconds < end && a.onsetSeconds + a.durationSeconds >= start);
    return {
      ...this.header,
      channels,
      segments: range.startSeconds === undefined && range.endSeconds === undefined ? this.header.segments : segmentsInRange(this.header.segments, range.startSeconds, range.endSeconds),
      annotations,
      warnings: [...this.header.warnings],
    };
  }

  readInto(request: ReadIntoRequest): Promise<RangeRead> {
    return readEdfInto(this.source, this.edf, this.header, this.recordOnsets, this.dataSignals, request);
  }

  async close(): Promise<void> {
    await this.source.close?.();
  }

  private resolve(channel: string | number): number {
    if (typeof channel === 'number') {
      if (!Number.isInteger(channel) || channel < 0 || channel >= this.header.channels.length) {
        throw new CajalError('NOT_FOUND', `no channel ${channel}: the file has ${this.header.channels.length} channels`, { file: this.source.name });
      }
      return channel;
    }
    return this.header.channels.indexOf(findChannel(this.header.channels, channel));
  }

  private async readSignals(indexes: number[], range: TimeRange, options: LongOperationOptions): Promise<Float32Array[]> {
    throwIfAborted(options.signal, 'reading');
    const { edf } = this;
    const window = windowFor(this.recordOnsets, edf.recordSeconds, range.startSeconds, range.endSeconds);
    const signals = indexes.map((i) => this.dataSignals[i] as EdfSignal);
    const unique = [...new Set(signals)];
    const outputs = new Map<EdfSignal, { samples: Float32Array; filled: number }>();
    for (const signal of unique) {
      let count = 0;
      if (window.whole) count = signal.samplesPerRecord * (window.endRecord - window.firstRecord);
      else {
        for (let r = window.firstRecord; r < window.endRecord; r++) {
          const [first, last] = window.sampleWindow(r, signal.samplesPerRecord);
          count += last - first;
        }
      }
      outputs.set(signal, { samples: new Float32Array(count), filled: 0 });
    }
    const wasm = window.whole && !edf.isBdf && isDenseSelection(edf, unique) ? createWasmInt16Decoder() : null;
    if (wasm) {
      // Whole 16-bit records: read each chunk into the decoder's memory, decode one
      // signal across the chunk per call (bit-identical to the JavaScript decoder below).
      const perChunk = recordsPerChunk(edf, window.endRecord - window.firstRecord);
      const input = wasm.reserve(perChunk * edf.recordBytes, perChunk * Math.max(...unique.map((s) => s.samplesPerRecord)));
      await scanChunks(this.source, edf, window.firstRecord, window.endRecord, () => input, (_first, count, bytes) => {
        // Sources without readInto (in-memory buffers, browser Files) hand over their own bytes.
        if (bytes.buffer !== input.buffer) input.set(bytes);
        for (const signal of unique) {
          const output = outputs.get(signal) as { samples: Float32Array; filled: number };
          wasm.decode(signal.offsetInRecord, edf.recordBytes, signal.samplesPerRecord, count, signal.gain, signal.offset, output.samples, output.filled);
          output.filled += signal.samplesPerRecord * count;
        }
      }, options);
    } else {
      const decode = edf.isBdf ? decodeInt24 : int16Decoder();
      const bytesPerSample = edf.bytesPerSample;
      await scanRecords(
        this.source,
        edf,
        unique,
        window.firstRecord,
        window.endRecord,
        window.whole
          ? (_record, signal, bytes, start) => {
              // Whole records: no per-record window to compute (the full-read hot path).
              const output = outputs.get(signal) as { samples: Float32Array; filled: number };
              decode(bytes, start, signal.samplesPerRecord, signal.gain, signal.offset, output.samples, output.filled);
              output.filled += signal.samplesPerRecord;
            }
          : (record, signal, bytes, start) => {
              const output = outputs.get(signal) as { samples: Float32Array; filled: number };
              const [first, last] = window.sampleWindow(record, signal.samplesPerRecord);
              decode(bytes, start + first * bytesPerSample, last - first, signal.gain, signal.offset, output.samples, output.filled);
              output.filled += last - first;
            },
        options,
      );
    }
    const records = window.endRecord - window.firstRecord;
    options.onProgress?.({ done: records, total: records, stage: 'reading records' });
    return signals.map((s) => (outputs.get(s) as { samples: Float32Array }).samples);
  }
}

/**
 * The EDF/EDF+/BDF/BDF+ reader for `readRecording`. Detects by the version field ("0" + spaces
 * for EDF, 0xFF "BIOSEMI" for BDF) or, failing that, by the .edf/.bdf/.rec extension.
 */
export const edfReader: FormatReader = {
  format: 'edf',
  aliases: ['edf+', 'bdf', 'bdf+'],
  extensions: ['.edf', '.bdf', '.rec'],
  detect(head: Uint8Array, name: string): boolean {
    const edfVersion = head.length >= 8 && head[0] === 0x30 && head.subarray(1, 8).every((b) => b === 0x20);
    const bdfVersion = head.length >= 8 && head[0] === 0xff && String.fromCharCode(...head.subarray(1, 8)) === 'BIOSEMI';
    return edfVersion || bdfVersion || /\.(edf|bdf|rec)$/i.test(name);
  },
  open: (source, options) => openEdf(source, options),
};
