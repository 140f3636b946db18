import { CajalError, throwIfAborted } from '@cajal/core';
import type { ComplianceWarning, LongOperationOptions } from '@cajal/core';
import { toByteSource } from '../source.ts';
import type { ByteSource, SourceInput } from '../source.ts';
import { fieldOffset, headerBytes, niftiDatatypes, parseNiftiHeader, voxelCount } from './header.ts';
import type { NiftiHeader } from './header.ts';
import { niftiAffine } from './affine.ts';
import type { Affine } from './affine.ts';
import { readPrefix, requireBytes } from './bytes.ts';

/** Default largest volume read, in voxels (2^29 voxels = 2 GiB of float32). */
export const defaultMaxVoxels = 2 ** 29;

/** A decoded NIfTI image: geometry, header, and the scaled voxel values. */
export interface NiftiVolume {
  header: NiftiHeader;
  /** Sizes of the used dimensions (dim[1..dim[0]]), e.g. [64, 64, 30, 120]. */
  dims: number[];
  /** pixdim[1..dim[0]]: voxel sizes (in `header.xyz_unit`) and the time step (in `header.t_unit`). */
  pixdim: number[];
  /** On-disk datatype name ("int16", "float32", ...). */
  datatype: string;
  /** nibabel's `img.affine` (sform, else qform, else the fallback); row-major 4x4. */
  affine: Affine;
  /** The slope and intercept applied (1 and 0 when scl_slope is 0 or NaN, as nibabel). */
  slope: number;
  intercept: number;
  /** Values after scaling, Fortran order: index = i + nx * (j + ny * (k + nz * t)). */
  data: Float32Array;
  warnings: ComplianceWarning[];
}

/** Options of `readNiftiVolume`. */
export interface NiftiReadOptions extends LongOperationOptions {
  name?: string;
  /** Companion files for in-memory sources (the `.img` of a `.hdr`/`.img` pair). */
  siblings?: Record<string, SourceInput>;
  /** Refuse volumes with more voxels than this (default 2^29). */
  maxVoxels?: number;
}

/** The slope and intercept nibabel applies: none when scl_slope is 0 or not finite. */
export function scalingOf(header: Pick<NiftiHeader, 'scl_slope' | 'scl_inter'>): { slope: number; intercept: number } {
  if (header.scl_slope === 0 || !Number.isFinite(header.scl_slope)) return { slope: 1, intercept: 0 };
  return { slope: header.scl_slope, intercept: Number.isFinite(header.scl_inter) ? header.scl_inter : 0 };
}

/** Read and check the header of a NIfTI source (gzipped or not), inflating only the header. */
export async function readNiftiHeader(source: ByteSource, warnings: ComplianceWarning[] = []): Promise<NiftiHeader> {
  const prefix = await readPrefix(source, headerBytes[2]);
  const bytes = prefix.bytes;
  if (bytes.length < headerBytes[1]) requireBytes(prefix, headerBytes[1], source.name, 'header', 'the NIfTI header');
  return parseNiftiHeader(bytes, source.name, warnings);
}

/** Where the voxels are: this source (n+1/n+2) or the `.img` sibling (ni1/ni2). */
async function dataSource(source: ByteSource, header: NiftiHeader): Promise<ByteSource> {
  if (header.magic.startsWith('n+')) return source;
  const imageName = source.name.replace(/\.hdr(\.gz)?$/i, '.img$1');
  const image = imageName === source.name ? undefined : await source.sibling?.(imageName);
  if (!image) {
    throw new CajalError('NOT_FOUND', `magic "${header.magic}" means the voxels are in a separate .img file, but ${imageName} was not found`, {
      file: source.name,
      field: 'magic',
      byteOffset: fieldOffset(header.nifti_version, 'magic'),
    });
  }
  return image;
}

/** Check the claimed size against the limit before anything is allocated. */
export function checkVolumeSize(header: NiftiHeader, file: string, maxVoxels: number): { voxels: number; dataBytes: number } {
  const voxels = voxelCount(header);
  const bytes = (niftiDatatypes[header.datatype] as { bytes: number }).bytes;
  if (!Number.isSafeInteger(voxels) || voxels > maxVoxels) {
    throw new CajalError(
      'FORMAT_TOO_LARGE',
      `dim claims ${header.shape.join(' x ')} = ${voxels.toExponential(3)} voxels (${(voxels * bytes).toExponential(3)} bytes); the limit is ${maxVoxels} voxels`,
      { file, field: 'dim', byteOffset: fieldOffset(header.nifti_version, 'dim') },
    );
  }
  return { voxels, dataBytes: voxels * bytes };
}

/**
 * Read a whole NIfTI-1/NIfTI-2 image (`.nii`, `.nii.gz`, or `.hdr` + `.img`) into float32,
 * scaled by scl_slope/scl_inter. The claimed size is checked against `maxVoxels` and against
 * the bytes actually present before the output is allocated.
 *
 * @example
 *   const volume = await readNiftiVolume(await file.arrayBuffer(), { name: file.name });
 *   volume.dims; // [128, 96, 24, 2]
 */
export async function readNiftiVolume(input: SourceInput, options: NiftiReadOptions = {}): Promise<NiftiVolume> {
  const source = toByteSource(input, options.name, options.siblings);
  throwIfAborted(options.signal, 'reading');
  const warnings: ComplianceWarning[] = [];
  const header = await readNiftiHeader(source, warnings);
  return readNiftiData(source, header, warnings, options);
}

/** Decode the voxels of a source whose header is already parsed. */
export async function readNiftiData(source: ByteSource, header: NiftiHeader, warnings: ComplianceWarning[], options: NiftiReadOptions = {}): Promise<NiftiVolume> {
  const { voxels, dataBytes } = checkVolumeSize(header, source.name, options.maxVoxels ?? defaultMaxVoxels);
  const image = await dataSource(source, header);
  const needed = header.vox_offset + dataBytes;
  const prefix = await readPrefix(image, needed, options);
  const bytes = requireBytes(prefix, needed, image.name, 'voxel data', `${header.shape.join('x')} ${header.datatype_name} voxels from byte ${header.vox_offset}`);
  if (image !== source) await image.close?.();
  const { slope, intercept } = scalingOf(header);
  const data = new Float32Array(voxels);
  decodeVoxels(bytes, header.vox_offset, header.datatype, header.little_endian, voxels, slope, intercept, data);
  return {
    header,
    dims: [...header.shape],
    pixdim: header.pixdim.slice(1, header.shape.length + 1),
    datatype: header.datatype_name,
    affine: niftiAffine(header),
    slope,
    intercept,
    data,
    warnings,
  };
}

/** Decode `count` voxels of `datatype` from `offset` into `out`, as value * slope + intercept. */
export function decodeVoxels(bytes: Uint8Array, offset: number, datatype: number, littleEndian: boolean, count: number, slope: number, intercept: number, out: Float32Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = littleEndian;
  const read: (position: number) => number = (() => {
    switch (datatype) {
      case 2: return (p) => view.getUint8(p);
      case 256: return (p) => view.getInt8(p);
      case 4: return (p) => view.getInt16(p, le);
      case 512: return (p) => view.getUint16(p, le);
      case 8: return (p) => view.getInt32(p, le);
      case 768: return (p) => view.getUint32(p, le);
      case 16: return (p) => view.getFloat32(p, le);
      case 64: return (p) => view.getFloat64(p, le);
      case 1024: return (p) => Number(view.getBigInt64(p, le));
      case 1280: return (p) => Number(view.getBigUint64(p, le));
      default: throw new CajalError('FORMAT_UNSUPPORTED', `datatype ${datatype} is not supported`, { field: 'datatype' });
    }
  })();
  const step = (niftiDatatypes[datatype] as { bytes: number }).bytes;
  const scaled = slope !== 1 || intercept !== 0;
  for (let i = 0, p = offset; i < count; i++, p += step) {
    const value = read(p);
    out[i] = scaled ? value * slope + intercept : value;
  }
}
