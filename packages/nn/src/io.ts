import { CajalError } from '@cajal/core';
import type { Module } from './module.ts';
import type { ModelSpec } from './spec.ts';

/**
 * Weight files: a JSON manifest plus one little-endian float32 binary blob.
 *
 * The manifest (`WeightManifest`, format "cajal-nn-weights", version 1) lists every tensor in
 * the model's registration order with its dotted name, kind ("parameter" = trained,
 * "buffer" = saved state such as batch-norm running statistics), shape, byte offset into the
 * blob (a multiple of 4) and value count. It can carry the `ModelSpec` that rebuilds the
 * network and free-form metadata (training history, dataset, seed). The blob is the tensors'
 * values back to back, float32 little-endian, no padding.
 *
 * Files on disk: `NAME.json` (manifest, `data_file` names the blob) + `NAME.bin`. A single-buffer
 * form (`packWeights`) for downloads and workers is: the 8 ASCII bytes "CAJALNN1", a uint32
 * little-endian header length H, H bytes of UTF-8 JSON manifest, zero padding to a multiple
 * of 4, then the blob.
 *
 * @example
 *   const { manifest, data } = encodeWeights(model, { spec });
 *   loadWeights(buildModel(manifest.spec!), manifest, data);
 */
export interface WeightEntry {
  name: string;
  kind: 'parameter' | 'buffer';
  shape: number[];
  /** Byte offset in the blob. */
  offset: number;
  /** Number of float32 values. */
  length: number;
}

export interface WeightManifest {
  format: 'cajal-nn-weights';
  version: 1;
  dtype: 'float32';
  byte_order: 'little';
  /** Bytes in the blob. */
  byte_length: number;
  /** Blob file name next to the manifest (file form only). */
  data_file?: string;
  spec?: ModelSpec;
  metadata?: Record<string, unknown>;
  tensors: WeightEntry[];
}

const MAGIC = 'CAJALNN1';
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function tensorsOf(model: Module): Array<{ name: string; kind: 'parameter' | 'buffer'; shape: number[]; values: Float32Array }> {
  return [
    ...model.namedParameters().map(([name, p]) => ({ name, kind: 'parameter' as const, shape: p.shape.slice(), values: p.data })),
    ...model.namedBuffers().map(([name, b]) => ({ name, kind: 'buffer' as const, shape: [b.length], values: b })),
  ];
}

/** The manifest and blob of a model's current weights. */
export function encodeWeights(model: Module, options: { spec?: ModelSpec; metadata?: Record<string, unknown>; dataFile?: string } = {}): { manifest: WeightManifest; data: Uint8Array } {
  const entries = tensorsOf(model);
  const total = entries.reduce((n, e) => n + e.values.length, 0);
  const data = new Uint8Array(total * 4);
  const view = new DataView(data.buffer);
  const tensors: WeightEntry[] = [];
  let offset = 0;
  for (const e of entries) {
    tensors.push({ name: e.name, kind: e.kind, shape: e.shape, offset, length: e.values.length });
    if (littleEndian) data.set(new Uint8Array(e.values.buffer, e.values.byteOffset, e.values.byteLength), offset);
    else for (let i = 0; i < e.values.length; i++) view.setFloat32(offset + 4 * i, e.values[i] as number, true);
    offset += e.values.length * 4;
  }
  const manifest: WeightManifest = { format: 'cajal-nn-weights', version: 1, dtype: 'float32', byte_order: 'little', byte_length: data.length, tensors };
  if (options.dataFile) manifest.data_file = options.dataFile;
  if (options.spec) manifest.spec = options.spec;
  if (options.metadata) manifest.metadata = options.metadata;
  return { manifest, data };
}

/** Check a parsed JSON value is a version-1 manifest. */
export function validateManifest(value: unknown): WeightManifest {
  const m = value as WeightManifest;
  if (typeof value !== 'object' || value === null || m.format !== 'cajal-nn-weights') {
    throw new CajalError('FORMAT_UNKNOWN', 'not a cajal-nn-weights manifest (format field missing or different)', { field: 'format' });
  }
  if (m.version !== 1) throw new CajalError('FORMAT_UNSUPPORTED', `cajal-nn-weights version ${String(m.version)} is not supported (expected 1)`, { field: 'version' });
  if (m.dtype !== 'float32' || m.byte_order !== 'little') throw new CajalError('FORMAT_UNSUPPORTED', `dtype ${String(m.dtype)} / byte order ${String(m.byte_order)} not supported`, { field: 'dtype' });
  if (!Array.isArray(m.tensors)) throw new CajalError('FORMAT_INVALID_FIELD', 'manifest.tensors must be a list', { field: 'tensors' });
  return m;
}

/**
 * Copy weights from a manifest + blob into `model`. Every tensor of the model must be present
 * with the same shape (extra entries in the file are an error too, unless `allowExtra`).
 */
export function loadWeights(model: Module, manifestValue: unknown, data: Uint8Array, options: { allowExtra?: boolean } = {}): void {
  const manifest = validateManifest(manifestValue);
  if (data.length < manifest.byte_length) {
    throw new CajalError('FORMAT_TRUNCATED', `weight data has ${data.length} bytes, manifest says ${manifest.byte_length}`, { field: 'byte_length' });
  }
  const byName = new Map(manifest.tensors.map((t) => [t.name, t]));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const targets = tensorsOf(model);
  for (const target of targets) {
    const entry = byName.get(target.name);
    if (!entry) throw new CajalError('FORMAT_INVALID_FIELD', `weights file has no tensor "${target.name}"`, { field: target.name });
    if (entry.length !== target.values.length || entry.shape.join(',') !== target.shape.join(',')) {
      throw new CajalError('FORMAT_INVALID_FIELD', `tensor "${target.name}" has shape [${entry.shape.join(', ')}] in the file, model expects [${target.shape.join(', ')}]`, { field: target.name });
    }
    if (entry.offset % 4 !== 0 || entry.offset + entry.length * 4 > manifest.byte_length) {
      throw new CajalError('FORMAT_INVALID_FIELD', `tensor "${target.name}" lies outside the data (offset ${entry.offset})`, { field: target.name, byteOffset: entry.offset });
    }
    for (let i = 0; i < entry.length; i++) target.values[i] = view.getFloat32(entry.offset + 4 * i, true);
    byName.delete(target.name);
  }
  if (byName.size > 0 && !options.allowExtra) {
    throw new CajalError('FORMAT_INVALID_FIELD', `weights file has tensors the model lacks: ${[...byName.keys()].slice(0, 5).join(', ')}`, { field: 'tensors' });
  }
}

/** One buffer: "CAJALNN1", uint32 LE header length, JSON manifest, zero padding to 4, blob. */
export function packWeights(manifest: WeightManifest, data: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ ...manifest, data_file: undefined }));
  const start = Math.ceil((12 + header.length) / 4) * 4;
  const out = new Uint8Array(start + data.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(data, start);
  return out;
}

/** Inverse of packWeights. */
export function unpackWeights(bytes: Uint8Array): { manifest: WeightManifest; data: Uint8Array } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new CajalError('FORMAT_UNKNOWN', 'not a packed cajal-nn-weights buffer (magic "CAJALNN1" missing)', { byteOffset: 0 });
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.length) throw new CajalError('FORMAT_TRUNCATED', `header of ${headerLength} bytes runs past the end (${bytes.length})`, { byteOffset: 8 });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch (error) {
    throw new CajalError('PARSE_ERROR', `weights header is not JSON: ${(error as Error).message}`, { byteOffset: 12 });
  }
  const manifest = validateManifest(parsed);
  const start = Math.ceil((12 + headerLength) / 4) * 4;
  const data = bytes.subarray(start);
  if (data.length < manifest.byte_length) throw new CajalError('FORMAT_TRUNCATED', `weight data has ${data.length} bytes, manifest says ${manifest.byte_length}`, { byteOffset: start });
  return { manifest, data: data.subarray(0, manifest.byte_length) };
}
