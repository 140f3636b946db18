import { CajalError, createRecording, findChannel, throttleProgress, throwIfAborted } from '@cajal/core';
import type { ComplianceWarning, LongOperationOptions, Recording, RecordingHeader } from '@cajal/core';
import type { ByteSource } from '../source.ts';
import { readIntoThroughRead } from '../page-read.ts';
import type { RangeRead, ReadIntoRequest } from '../page-read.ts';
import type { FormatReader, OpenedRecording, ReadOptions, TimeRange } from '../read.ts';
import { sampleRangeFor } from '../brainvision/range.ts';
import { Gunzip } from 'fflate';
import { fieldOffset, sniffNifti } from './header.ts';
import type { NiftiHeader } from './header.ts';
import { niftiAffine } from './affine.ts';
import type { Affine } from './affine.ts';
import { isGzip } from './bytes.ts';
import { checkVolumeSize, defaultMaxVoxels, readNiftiData, readNiftiHeader } from './volume.ts';
import { brainMask, meanSeries, regionVoxels, timeStepSeconds, volumeGeometry } from './series.ts';
import type { NiftiRegion } from './series.ts';

/** `readRecording` options the NIfTI reader understands besides the common ones. */
export interface NiftiRecordingOptions extends ReadOptions {
  /** Average this region instead of the whole-brain mask. */
  region?: NiftiRegion;
  /** Fraction of the largest voxel mean above which a voxel is in the brain mask (default 0.1). */
  maskFraction?: number;
  /** Refuse volumes with more voxels than this (default 2^29). */
  maxVoxels?: number;
}

/** The header of an opened NIfTI file: one mean-series channel, plus the volume geometry. */
export interface NiftiRecordingHeader extends RecordingHeader {
  nifti: { header: NiftiHeader; dims: number[]; pixdim: number[]; affine: Affine; timeStepSeconds: number; region: 'brain_mask' | 'region' };
}

/**
 * NIfTI-1/NIfTI-2 through `readRecording`: a 4-D image opens as a Recording with ONE channel,
 * the mean time series over the whole-brain mask (`brainMask`: voxels whose temporal mean
 * exceeds 0.1 of the largest), or over `options.region`. Sample rate = 1 / TR (pixdim[4] in the
 * header's time unit). The geometry (dims, pixdim, affine) is in `header.nifti`; for voxels and
 * volumes use `readNiftiVolume`, `voxelTimeSeries`, `regionTimeSeries`.
 *
 * @example
 *   const rec = await readRecording(bytes, { name: 'bold.nii.gz' }); // rec.channels[0].label === 'brain_mask_mean'
 */
export const niftiReader: FormatReader = {
  format: 'nifti',
  aliases: ['nii', 'nifti1', 'nifti2'],
  extensions: ['.nii', '.nii.gz', '.hdr'],
  detect(head: Uint8Array, name: string): boolean {
    if (isGzip(head)) return /\.nii\.gz$|\.hdr\.gz$/i.test(name) || gunzippedHeadIsNifti(head);
    return isNiftiHead(head);
  },
  open: openNifti,
};

function isNiftiHead(head: Uint8Array): boolean {
  const kind = sniffNifti(head);
  if (!kind) return false;
  const at = kind.version === 1 ? 344 : 4;
  if (head.length < at + 3) return false;
  const magic = String.fromCharCode(head[at] as number, head[at + 1] as number, head[at + 2] as number);
  return magic === `n+${kind.version}` || magic === `ni${kind.version}`;
}

function gunzippedHeadIsNifti(head: Uint8Array): boolean {
  let out = new Uint8Array(0);
  try {
    const inflater = new Gunzip((chunk) => {
      if (out.length < 540) out = Uint8Array.from([...out, ...chunk.subarray(0, 540 - out.length)]);
    });
    inflater.push(head, false);
  } catch {
    return false;
  }
  return isNiftiHead(out);
}

/** Open a NIfTI source: parses (and, for .nii.gz, inflates) only the header. */
export async function openNifti(source: ByteSource, options: NiftiRecordingOptions = {}): Promise<OpenedRecording> {
  throwIfAborted(options.signal, 'opening');
  const warnings: ComplianceWarning[] = [];
  const header = await readNiftiHeader(source, warnings);
  checkVolumeSize(header, source.name, options.maxVoxels ?? defaultMaxVoxels);
  const step = timeStepSeconds(header, warnings, source.name);
  const { volumes } = volumeGeometry(header.shape);
  if (!header.magic.startsWith('n+')) {
    // A .hdr/.img pair: say now (info shows it) when the .img is not there; reads then fail.
    const imageName = source.name.replace(/\.hdr(\.gz)?$/i, '.img$1');
    const image = imageName === source.name ? undefined : await source.sibling?.(imageName);
    if (image) await image.close?.();
    else {
      warnings.push({
        code: 'NIFTI_IMAGE_MISSING',
        message: `magic "${header.magic}" means the voxels are in ${imageName}, which is not there: only the header can be read`,
        field: 'magic',
        byteOffset: fieldOffset(header.nifti_version, 'magic'),
        file: source.name,
      });
    }
  }
  if (header.shape.length > 4) warnings.push({ code: 'NIFTI_DIMS', message: `${header.shape.length}-D image: dimensions 4 and up are read as one time axis of ${volumes} volumes`, field: 'dim[0]', file: source.name });
  const label = options.region ? (options.region.label ?? 'region_mean') : 'brain_mask_mean';
  const recordingHeader: NiftiRecordingHeader = {
    format: 'nifti',
    startTime: null,
    channels: [{ label, unit: '', sampleRateHz: 1 / step, sampleCount: volumes, type: 'fmri' }],
    segments: [{ onsetSeconds: 0, durationSeconds: volumes * step }],
    annotations: [],
    subject: {},
    recordingInfo: { description: header.descrip },
    warnings,
    source: source.name,
    nifti: {
      header,
      dims: [...header.shape],
      pixdim: header.pixdim.slice(1, header.shape.length + 1),
      affine: niftiAffine(header),
      timeStepSeconds: step,
      region: options.region ? 'region' : 'brain_mask',
    },
  };
  if (options.strict && warnings.length > 0) {
    throw new CajalError('FORMAT_INVALID_FIELD', `strict read refused: ${(warnings[0] as ComplianceWarning).message}`, { file: source.name, field: warnings[0]?.field });
  }
  return new OpenedNifti(recordingHeader, source, options);
}

class OpenedNifti implements OpenedRecording {
  private series: Float32Array | undefined;
  private closed = false;

  constructor(
    readonly header: NiftiRecordingHeader,
    private readonly source: ByteSource,
    private readonly options: NiftiRecordingOptions,
  ) {}

  async readChannel(channel: string | number, range: TimeRange = {}, options: LongOperationOptions = {}): Promise<Float32Array> {
    this.checkChannel(channel);
    const [first, last] = sampleRangeFor(range, this.header.channels[0]?.sampleRateHz ?? 1, this.header.channels[0]?.sampleCount ?? 0);
    return (await this.load(options)).slice(first, last);
  }

  async read(options: Pick<ReadOptions, 'channels' | 'startSeconds' | 'endSeconds' | 'onProgress' | 'signal'> = {}): Promise<Recording> {
    (options.channels ?? [0]).forEach((c) => this.checkChannel(c));
    const info = this.header.channels[0] as RecordingHeader['channels'][number];
    const range: TimeRange = {};
    if (options.startSeconds !== undefined) range.startSeconds = options.startSeconds;
    if (options.endSeconds !== undefined) range.endSeconds = options.endSeconds;
    const [first, last] = sampleRangeFor(range, info.sampleRateHz, info.sampleCount);
    const series = await this.load(options);
    const channels = (options.channels ?? [0]).map(() => {
      const samples = series.slice(first, last);
      return { ...info, sampleCount: samples.length, samples };
    });
    const step = this.header.nifti.timeStepSeconds;
    return createRecording({
      format: 'nifti',
      startTime: null,
      channels,
      segments: [{ onsetSeconds: first * step, durationSeconds: (last - first) * step }],
      subject: {},
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
    this.series = undefined;
    await this.source.close?.();
  }

  private checkChannel(channel: string | number): void {
    if (typeof channel === 'number') {
      if (channel !== 0) throw new CajalError('NOT_FOUND', `no channel index ${channel}: a NIfTI recording has one channel (index 0)`, { file: this.source.name });
    } else findChannel(this.header.channels, channel);
  }

  /** The mean series, computed once from the whole volume (which is then released). */
  private async load(options: LongOperationOptions): Promise<Float32Array> {
    if (this.closed) throw new CajalError('INVALID_ARGUMENT', 'the recording is closed', { file: this.source.name });
    throwIfAborted(options.signal, 'reading');
    const progress = throttleProgress(options.onProgress);
    if (!this.series) {
      const volume = await readNiftiData(this.source, this.header.nifti.header, [], {
        ...(options.signal ? { signal: options.signal } : {}),
        // Reported in thousandths: reading/inflating is 0..999, averaging completes it.
        onProgress: (p) => progress({ done: p.total > 0 ? Math.floor((999 * p.done) / p.total) : 0, total: 1000, stage: p.stage ?? 'reading' }),
        maxVoxels: this.options.maxVoxels ?? defaultMaxVoxels,
      });
      throwIfAborted(options.signal, 'reading');
      const mask = this.options.region ? undefined : brainMask(volume, this.options.maskFraction);
      const voxels = this.options.region ? regionVoxels(volume.dims, this.options.region) : maskOrAll(mask as Uint8Array);
      this.series = meanSeries(volume, voxels);
    }
    progress({ done: 1000, total: 1000, stage: 'averaging' });
    return this.series;
  }
}

function maskOrAll(mask: Uint8Array): Uint32Array {
  const picked: number[] = [];
  for (let v = 0; v < mask.length; v++) if (mask[v]) picked.push(v);
  return picked.length > 0 ? Uint32Array.from(picked) : Uint32Array.from(mask.keys());
}
