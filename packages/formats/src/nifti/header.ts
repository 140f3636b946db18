import { CajalError } from '@cajal/core';
import type { ComplianceWarning } from '@cajal/core';

/** NIfTI data types Cajal decodes, by code: name and bytes per voxel. */
export const niftiDatatypes: Record<number, { name: string; bytes: number }> = {
  2: { name: 'uint8', bytes: 1 },
  4: { name: 'int16', bytes: 2 },
  8: { name: 'int32', bytes: 4 },
  16: { name: 'float32', bytes: 4 },
  64: { name: 'float64', bytes: 8 },
  256: { name: 'int8', bytes: 1 },
  512: { name: 'uint16', bytes: 2 },
  768: { name: 'uint32', bytes: 4 },
  1024: { name: 'int64', bytes: 8 },
  1280: { name: 'uint64', bytes: 8 },
};

/** A NIfTI-1 or NIfTI-2 header, as stored (fields snake_case as in the standard). */
export interface NiftiHeader {
  nifti_version: 1 | 2;
  little_endian: boolean;
  /** "n+1"/"n+2" (single file) or "ni1"/"ni2" (separate .hdr/.img). */
  magic: string;
  /** dim[0] = number of dimensions, dim[1..7] sizes (as stored). */
  dim: number[];
  /** The sizes of the dim[0] dimensions. */
  shape: number[];
  pixdim: number[];
  datatype: number;
  datatype_name: string;
  bitpix: number;
  vox_offset: number;
  scl_slope: number;
  scl_inter: number;
  cal_min: number;
  cal_max: number;
  slice_duration: number;
  toffset: number;
  xyzt_units: number;
  intent_code: number;
  intent_name: string;
  descrip: string;
  aux_file: string;
  qform_code: number;
  sform_code: number;
  quatern_b: number;
  quatern_c: number;
  quatern_d: number;
  qoffset_x: number;
  qoffset_y: number;
  qoffset_z: number;
  srow_x: number[];
  srow_y: number[];
  srow_z: number[];
  /** Spatial unit from xyzt_units: "m", "mm", "um" or "unknown". */
  xyz_unit: string;
  /** Time unit from xyzt_units: "sec", "msec", "usec", "hz", "ppm", "rads" or "unknown". */
  t_unit: string;
}

/** Byte offsets of the fields errors can name, per version. */
const offsets = {
  1: { dim: 40, pixdim: 76, datatype: 70, bitpix: 72, vox_offset: 108, magic: 344 },
  2: { dim: 16, pixdim: 104, datatype: 12, bitpix: 14, vox_offset: 168, magic: 4 },
} as const;

/** Byte offset of a named field (for messages), by NIfTI version. */
export function fieldOffset(version: 1 | 2, field: keyof (typeof offsets)[1]): number {
  return offsets[version][field];
}

/** Header size in bytes for a version. */
export const headerBytes = { 1: 348, 2: 540 } as const;

/** A fixed-width text field without its trailing NUL padding (embedded NULs kept, as nibabel). */
function text(bytes: Uint8Array, offset: number, length: number): string {
  let end = Math.min(bytes.length, offset + length);
  while (end > offset && bytes[end - 1] === 0) end--;
  return new TextDecoder('latin1').decode(bytes.subarray(offset, end));
}

/** The version and byte order from sizeof_hdr (348 = NIfTI-1, 540 = NIfTI-2), or undefined. */
export function sniffNifti(bytes: Uint8Array): { version: 1 | 2; littleEndian: boolean } | undefined {
  if (bytes.byteLength < 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === 348) return { version: 1, littleEndian };
    if (size === 540) return { version: 2, littleEndian };
  }
  return undefined;
}

/**
 * Parse a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header in either byte order. Errors name
 * the field and its byte offset; tolerable oddities become warnings.
 *
 * @example
 *   const header = parseNiftiHeader(firstBytes, 'brain.nii');
 *   header.shape; // [64, 64, 30, 120]
 */
export function parseNiftiHeader(bytes: Uint8Array, file: string, warnings: ComplianceWarning[] = []): NiftiHeader {
  const kind = sniffNifti(bytes);
  if (!kind) {
    throw new CajalError('FORMAT_INVALID_FIELD', 'sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2) in either byte order', { file, field: 'sizeof_hdr', byteOffset: 0 });
  }
  const { version, littleEndian: le } = kind;
  if (bytes.byteLength < headerBytes[version]) {
    throw new CajalError('FORMAT_TRUNCATED', `the file has ${bytes.byteLength} bytes, less than the ${headerBytes[version]}-byte NIfTI-${version} header`, {
      file,
      field: 'sizeof_hdr',
      byteOffset: bytes.byteLength,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = offsets[version];
  const magic = text(bytes, at.magic, 3);
  if (!['n+1', 'ni1', 'n+2', 'ni2'].includes(magic) || Number(magic[2]) !== version) {
    throw new CajalError('FORMAT_INVALID_FIELD', `magic is "${text(bytes, at.magic, 4)}", expected "n+${version}" or "ni${version}"`, { file, field: 'magic', byteOffset: at.magic });
  }
  const int = (o: number): number => (version === 1 ? view.getInt16(o, le) : Number(view.getBigInt64(o, le)));
  const real = (o: number): number => (version === 1 ? view.getFloat32(o, le) : view.getFloat64(o, le));
  const realStep = version === 1 ? 4 : 8;
  const intStep = version === 1 ? 2 : 8;
  const dim = Array.from({ length: 8 }, (_, i) => int(at.dim + i * intStep));
  const pixdim = Array.from({ length: 8 }, (_, i) => real(at.pixdim + i * realStep));
  if (pixdim[0] !== 1 && pixdim[0] !== -1) {
    // qfac must be 1 or -1; the standard says to read anything else as 1 (nibabel does so too).
    warnings.push({ code: 'NIFTI_QFAC', message: `pixdim[0] (qfac) is ${pixdim[0]}; using 1`, field: 'pixdim[0]', byteOffset: at.pixdim, file });
    pixdim[0] = 1;
  }
  const rank = dim[0] as number;
  if (!Number.isInteger(rank) || rank < 1 || rank > 7) {
    throw new CajalError('FORMAT_INVALID_FIELD', `dim[0] (number of dimensions) is ${rank}; expected 1 to 7`, { file, field: 'dim[0]', byteOffset: at.dim });
  }
  for (let i = 1; i <= rank; i++) {
    const size = dim[i] as number;
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new CajalError('FORMAT_INVALID_FIELD', `dim[${i}] is ${size}; every used dimension must be at least 1`, { file, field: `dim[${i}]`, byteOffset: at.dim + i * intStep });
    }
  }
  const datatype = version === 1 ? view.getInt16(70, le) : view.getInt16(12, le);
  const bitpix = version === 1 ? view.getInt16(72, le) : view.getInt16(14, le);
  const type = niftiDatatypes[datatype];
  if (!type) {
    throw new CajalError('FORMAT_UNSUPPORTED', `datatype ${datatype} is not supported (supported: ${Object.keys(niftiDatatypes).join(', ')})`, { file, field: 'datatype', byteOffset: at.datatype });
  }
  if (bitpix !== type.bytes * 8) {
    warnings.push({ code: 'NIFTI_BITPIX', message: `bitpix is ${bitpix} but datatype ${type.name} has ${type.bytes * 8} bits; using the datatype`, field: 'bitpix', byteOffset: at.bitpix, file });
  }
  const voxOffset = version === 1 ? view.getFloat32(108, le) : Number(view.getBigInt64(168, le));
  if (!Number.isFinite(voxOffset) || voxOffset < 0 || !Number.isSafeInteger(Math.floor(voxOffset))) {
    throw new CajalError('FORMAT_INVALID_FIELD', `vox_offset is ${voxOffset}`, { file, field: 'vox_offset', byteOffset: at.vox_offset });
  }
  const units = version === 1 ? view.getUint8(123) : view.getInt32(500, le);
  const header: NiftiHeader = {
    nifti_version: version,
    little_endian: le,
    magic,
    dim,
    shape: dim.slice(1, rank + 1),
    pixdim,
    datatype,
    datatype_name: type.name,
    bitpix,
    vox_offset: Math.floor(voxOffset),
    scl_slope: real(version === 1 ? 112 : 176),
    scl_inter: real(version === 1 ? 116 : 184),
    cal_max: real(version === 1 ? 124 : 192),
    cal_min: real(version === 1 ? 128 : 200),
    slice_duration: real(version === 1 ? 132 : 208),
    toffset: real(version === 1 ? 136 : 216),
    xyzt_units: units,
    intent_code: version === 1 ? view.getInt16(68, le) : view.getInt32(504, le),
    intent_name: text(bytes, version === 1 ? 328 : 508, 16),
    descrip: text(bytes, version === 1 ? 148 : 240, 80),
    aux_file: text(bytes, version === 1 ? 228 : 320, 24),
    qform_code: version === 1 ? view.getInt16(252, le) : view.getInt32(344, le),
    sform_code: version === 1 ? view.getInt16(254, le) : view.getInt32(348, le),
    quatern_b: real(version === 1 ? 256 : 352),
    quatern_c: real(version === 1 ? 260 : 360),
    quatern_d: real(version === 1 ? 264 : 368),
    qoffset_x: real(version === 1 ? 268 : 376),
    qoffset_y: real(version === 1 ? 272 : 384),
    qoffset_z: real(version === 1 ? 276 : 392),
    srow_x: Array.from({ length: 4 }, (_, i) => real((version === 1 ? 280 : 400) + i * realStep)),
    srow_y: Array.from({ length: 4 }, (_, i) => real((version === 1 ? 296 : 432) + i * realStep)),
    srow_z: Array.from({ length: 4 }, (_, i) => real((version === 1 ? 312 : 464) + i * realStep)),
    xyz_unit: ({ 1: 'm', 2: 'mm', 3: 'um' } as Record<number, string>)[units & 0x07] ?? 'unknown',
    t_unit: ({ 8: 'sec', 16: 'msec', 24: 'usec', 32: 'hz', 40: 'ppm', 48: 'rads' } as Record<number, string>)[units & 0x38] ?? 'unknown',
  };
  const minimumOffset = headerBytes[version] + (magic.startsWith('n+') ? 4 : 0);
  if (magic.startsWith('n+') && header.vox_offset < minimumOffset) {
    warnings.push({ code: 'NIFTI_VOX_OFFSET', message: `vox_offset ${header.vox_offset} is inside the header; using ${minimumOffset}`, field: 'vox_offset', byteOffset: at.vox_offset, file });
    header.vox_offset = minimumOffset;
  }
  return header;
}

/** Number of voxels (product of the used dimensions). */
export function voxelCount(header: Pick<NiftiHeader, 'shape'>): number {
  return header.shape.reduce((product, size) => product * size, 1);
}
