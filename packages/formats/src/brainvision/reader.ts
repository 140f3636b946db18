import { CajalError, createRecording, findChannel, throttleProgress, throwIfAborted } from '@cajal/core';
import type { Channel, ComplianceWarning, LongOperationOptions, Recording, RecordingHeader } from '@cajal/core';
import { markFileSource } from '../annotation-source.ts';
import { readExactly } from '../source.ts';
import type { ByteSource } from '../source.ts';
import { readIntoThroughRead } from '../page-read.ts';
import type { RangeRead, ReadIntoRequest } from '../page-read.ts';
import type { FormatReader, OpenedRecording, ReadOptions, TimeRange } from '../read.ts';
import { bytesPerSample, isBrainVisionHeaderLine, parseBrainVisionHeader } from './header.ts';
import type { BrainVisionChannelInfo, BrainVisionHeader } from './header.ts';
import { markersToAnnotations, parseBrainVisionMarkers, startTimeFromMarkers } from './markers.ts';
import { decodeColumn } from './decode.ts';
import { sampleRangeFor } from './range.ts';

/** Largest header or marker file read (they are text; real ones are a few kB). */
const maxTextBytes = 16 * 1024 * 1024;
/** Bytes read per step of a data read (progress and cancellation are checked between steps). */
const chunkBytes = 4 * 1024 * 1024;

/** Header of an opened BrainVision recording, with the parsed `.vhdr` kept for inspection. */
export interface BrainVisionRecordingHeader extends RecordingHeader {
  channels: BrainVisionChannelInfo[];
  brainVision: BrainVisionHeader;
}

/**
 * BrainVision Core data format reader (`.vhdr` + `.vmrk` + `.eeg`, header versions 1 and 2, and
 * the V-Amp `.ahdr`/`.amrk` variant). The data and marker files are found with
 * `source.sibling(name)` from the header's DataFile/MarkerFile entries (in memory: pass
 * `options.siblings`). Samples are in each channel's unit (stored value x resolution; "uV"
 * when the header gives none). Reads are lazy: one channel of a vectorized file is one
 * contiguous read; a time range of a multiplexed file reads only those rows.
 *
 * @example
 *   const rec = await readRecording(vhdrBytes, { name: 'x.vhdr', siblings: { 'x.eeg': eeg, 'x.vmrk': vmrk } });
 */
export const brainVisionReader: FormatReader = {
  format: 'brainvision',
  aliases: ['vhdr', 'vamp', 'ahdr'],
  extensions: ['.vhdr', '.ahdr'],
  detect(head: Uint8Array): boolean {
    const end = head.indexOf(0x0a);
    const firstLine = new TextDecoder('latin1').decode(head.subarray(0, end < 0 ? head.length : end)).replace(/^\u00ef\u00bb\u00bf/, '');
    return isBrainVisionHeaderLine(firstLine);
  },
  open: openBrainVision,
};

async function readText(source: ByteSource, what: string): Promise<Uint8Array> {
  if (source.size > maxTextBytes) {
    throw new CajalError('FORMAT_TOO_LARGE', `${what} is ${source.size} bytes; BrainVision text files over ${maxTextBytes} bytes are refused`, {
      file: source.name,
      field: 'file size',
      byteOffset: 0,
    });
  }
  return (await readExactly(source, 0, source.size, what)).slice();
}

/** Open a BrainVision header source; see `brainVisionReader`. */
export async function openBrainVision(source: ByteSource, options: ReadOptions = {}): Promise<OpenedRecording> {
  throwIfAborted(options.signal, 'opening');
  const file = source.name;
  const bv = parseBrainVisionHeader(await readText(source, 'the header'), file);
  const warnings: ComplianceWarning[] = [...bv.warnings];
  const data = await source.sibling?.(bv.dataFile);
  if (!data) {
    throw new CajalError('NOT_FOUND', `data file "${bv.dataFile}" (DataFile on line ${bv.lines.dataFile}) is not next to ${file}`, {
      file,
      field: 'DataFile',
      line: bv.lines.dataFile,
    });
  }
  const sampleBytes = bytesPerSample[bv.binaryFormat];
  // V-Amp files carry one extra 32-bit column (the marker word) after the channels.
  const columns = bv.channels.length + (bv.vAmp ? 1 : 0);
  const rowBytes = columns * sampleBytes;
  const sampleCount = Math.floor(data.size / rowBytes);
  if (data.size % rowBytes !== 0) {
    warnings.push({
      code: 'BV_DATA_SIZE',
      message: `${bv.dataFile} has ${data.size} bytes, not a multiple of ${rowBytes} (${columns} channels x ${sampleBytes} bytes); the last ${data.size % rowBytes} bytes are ignored`,
      file: bv.dataFile,
      byteOffset: sampleCount * rowBytes,
    });
  }
  if (bv.declaredDataPoints !== undefined && bv.declaredDataPoints !== sampleCount) {
    warnings.push({
      code: 'BV_DATA_POINTS',
      message: `DataPoints=${bv.declaredDataPoints}, but ${bv.dataFile} holds ${sampleCount} samples per channel; using ${sampleCount}`,
      field: 'DataPoints',
      file,
    });
  }
  const channels = bv.channels.map((c) => ({ ...c, sampleCount }));
  let annotations: RecordingHeader['annotations'] = [];
  let startTime: Date | null = null;
  const markerSource = bv.markerFile ? await source.sibling?.(bv.markerFile) : undefined;
  if (bv.markerFile && !markerSource) {
    warnings.push({ code: 'BV_MARKER_FILE_MISSING', message: `marker file "${bv.markerFile}" (line ${bv.lines.markerFile}) is missing: no markers`, field: 'MarkerFile', file });
  }
  if (markerSource) {
    try {
      const parsed = parseBrainVisionMarkers(await readText(markerSource, 'the marker file'), markerSource.name);
      startTime = startTimeFromMarkers(parsed.markers);
      const converted = markersToAnnotations(parsed.markers, bv.sampleRateHz, sampleCount, channels.map((c) => c.label), markerSource.name);
      annotations = markFileSource(converted.annotations, markerSource.name);
      warnings.push(...parsed.warnings, ...converted.warnings);
    } finally {
      await markerSource.close?.();
    }
  }
  const header: BrainVisionRecordingHeader = {
    format: 'brainvision',
    startTime,
    channels,
    segments: [{ onsetSeconds: 0, durationSeconds: sampleCount / bv.sampleRateHz }],
    annotations,
    subject: {},
    recordingInfo: { equipment: bv.vAmp ? 'Brain Products V-Amp' : undefined, brainvision_version: bv.version },
    warnings,
    source: file,
    brainVision: bv,
  };
  if (options.strict && warnings.length > 0) {
    const first = warnings[0] as ComplianceWarning;
    throw new CajalError('FORMAT_INVALID_FIELD', `strict read refused: ${first.message}`, { file: first.file ?? file, field: first.field });
  }
  return new OpenedBrainVision(header, source, data, rowBytes);
}

class OpenedBrainVision implements OpenedRecording {
  private closed = false;

  constructor(
    readonly header: BrainVisionRecordingHeader,
    private readonly source: ByteSource,
    private readonly data: ByteSource,
    private readonly rowBytes: number,
  ) {}

  async readChannel(channel: string | number, range: TimeRange = {}, options: LongOperationOptions = {}): Promise<Float32Array> {
    const index = this.channelIndex(channel);
    const [first, last] = this.rangeOf(range);
    return (await this.readBlock([index], first, last, options))[0] as Float32Array;
  }

  async read(options: Pick<ReadOptions, 'channels' | 'startSeconds' | 'endSeconds' | 'onProgress' | 'signal'> = {}): Promise<Recording> {
    const indices = (options.channels ?? this.header.channels.map((_, i) => i)).map((c) => this.channelIndex(c));
    const range: TimeRange = {};
    if (options.startSeconds !== undefined) range.startSeconds = options.startSeconds;
    if (options.endSeconds !== undefined) range.endSeconds = options.endSeconds;
    const [first, last] = this.rangeOf(range);
    const arrays = await this.readBlock(indices, first, last, options);
    const rate = this.header.brainVision.sampleRateHz;
    const channels: Channel[] = indices.map((index, k) => {
      const { resolution: _resolution, ...info } = this.header.channels[index] as BrainVisionChannelInfo;
      const samples = arrays[k] as Float32Array;
      return { ...info, sampleCount: samples.length, samples };
    });
    const whole = first === 0 && last === this.sampleCount;
    const startSeconds = first / rate;
    const endSeconds = last / rate;
    return createRecording({
      format: 'brainvision',
      startTime: this.header.startTime,
      channels,
      segments: [{ onsetSeconds: startSeconds, durationSeconds: endSeconds - startSeconds }],
      annotations: whole
        ? this.header.annotations
        : this.header.annotations.filter((a) => a.onsetSeconds < endSeconds && a.onsetSeconds + a.durationSeconds >= startSeconds),
      subject: this.header.subject,
      recordingInfo: this.header.recordingInfo,
      warnings: this.header.warnings,
      source: this.source.name,
    });
  }

  /** Through `read()`, one copy per channel (page-read.ts). */
  readInto(request: ReadIntoRequest): Promise<RangeRead> {
    return readIntoThroughRead(this, request);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.data.close?.();
    await this.source.close?.();
  }

  private get sampleCount(): number {
    return this.header.channels[0]?.sampleCount ?? 0;
  }

  private channelIndex(channel: string | number): number {
    if (typeof channel === 'number') {
      if (!Number.isInteger(channel) || channel < 0 || channel >= this.header.channels.length) {
        throw new CajalError('NOT_FOUND', `no channel index ${channel}: the recording has ${this.header.channels.length} channels`, { file: this.source.name });
      }
      return channel;
    }
    return this.header.channels.indexOf(findChannel(this.header.channels, channel));
  }

  private rangeOf(range: TimeRange): [number, number] {
    return sampleRangeFor(range, this.header.brainVision.sampleRateHz, this.sampleCount);
  }

  /** Read channels `indices` over samples [first, last): row blocks (multiplexed) or runs (vectorized). */
  private async readBlock(indices: number[], first: number, last: number, options: LongOperationOptions): Promise<Float32Array[]> {
    if (this.closed) throw new CajalError('INVALID_ARGUMENT', 'the recording is closed', { file: this.source.name });
    throwIfAborted(options.signal, 'reading');
    const bv = this.header.brainVision;
    const sampleBytes = bytesPerSample[bv.binaryFormat];
    const count = last - first;
    const out = indices.map(() => new Float32Array(count));
    const total = indices.length * count;
    const progress = throttleProgress(options.onProgress);
    if (total === 0) {
      progress({ done: 0, total: 0, stage: 'reading samples' });
      return out;
    }
    if (bv.orientation === 'MULTIPLEXED') {
      const rowsPerChunk = Math.max(1, Math.floor(chunkBytes / this.rowBytes));
      for (let row = first; row < last; row += rowsPerChunk) {
        throwIfAborted(options.signal, 'reading');
        const rows = Math.min(rowsPerChunk, last - row);
        const bytes = await readExactly(this.data, row * this.rowBytes, rows * this.rowBytes, 'data rows');
        indices.forEach((channel, k) => {
          const resolution = (this.header.channels[channel] as BrainVisionChannelInfo).resolution;
          decodeColumn(bytes, bv.binaryFormat, bv.bigEndian, channel * sampleBytes, this.rowBytes, rows, resolution, out[k] as Float32Array, row - first);
        });
        progress({ done: (row + rows - first) * indices.length, total, stage: 'reading samples' });
      }
      return out;
    }
    const perChunk = Math.max(1, Math.floor(chunkBytes / sampleBytes));
    let done = 0;
    for (let k = 0; k < indices.length; k++) {
      const channel = indices[k] as number;
      const resolution = (this.header.channels[channel] as BrainVisionChannelInfo).resolution;
      const base = channel * this.sampleCount * sampleBytes;
      for (let sample = first; sample < last; sample += perChunk) {
        throwIfAborted(options.signal, 'reading');
        const n = Math.min(perChunk, last - sample);
        const bytes = await readExactly(this.data, base + sample * sampleBytes, n * sampleBytes, `channel ${channel + 1} samples`);
        decodeColumn(bytes, bv.binaryFormat, bv.bigEndian, 0, sampleBytes, n, resolution, out[k] as Float32Array, sample - first);
        done += n;
        progress({ done, total, stage: 'reading samples' });
      }
    }
    return out;
  }
}
