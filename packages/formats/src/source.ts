import { CajalError } from '@cajal/core';

/**
 * Random-access bytes, whatever they come from: an ArrayBuffer, a browser `File`/`Blob`, or a
 * path in Node (`openPathSource` in `node.ts`). Readers only ever ask for the byte ranges
 * they need, so a one-channel read of a 1 GB file touches only that channel's bytes.
 */
export interface ByteSource {
  /** A name for messages (file name, or "buffer"). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Read `length` bytes from `offset`. Returns fewer bytes only at the end of the source.
   * The returned view may share memory with the source: copy it before keeping it.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: read `target.byteLength` bytes from `offset` into `target` (a buffer the caller
   * reuses, so bulk scans make no garbage). Resolves to the number of bytes read, fewer only at
   * the end of the source.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
  /** Resolve a file next to this one (BrainVision's .eeg/.vmrk); undefined when impossible. */
  sibling?(fileName: string): Promise<ByteSource | undefined>;
  close?(): Promise<void>;
}

/** What `readRecording` and friends accept as input. */
export type SourceInput = ByteSource | ArrayBuffer | Uint8Array | Blob;

/** Wrap in-memory bytes. `siblings` supplies companion files by name (case-insensitive). */
export function bufferSource(bytes: ArrayBuffer | Uint8Array, name = 'buffer', siblings: Record<string, SourceInput> = {}): ByteSource {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return {
    name,
    size: view.byteLength,
    read: async (offset, length) => {
      checkRange(name, offset, length);
      return view.subarray(offset, Math.min(view.byteLength, offset + length));
    },
    sibling: async (fileName) => siblingFrom(siblings, fileName),
  };
}

/** Wrap a browser `File` or `Blob` (also works with Node's Blob). */
export function blobSource(blob: Blob, name?: string, siblings: Record<string, SourceInput> = {}): ByteSource {
  const label = name ?? (typeof (blob as { name?: unknown }).name === 'string' ? (blob as File).name : 'blob');
  return {
    name: label,
    size: blob.size,
    read: async (offset, length) => {
      checkRange(label, offset, length);
      return new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer());
    },
    sibling: async (fileName) => siblingFrom(siblings, fileName),
  };
}

/** Turn any accepted input into a ByteSource. */
export function toByteSource(input: SourceInput, name?: string, siblings: Record<string, SourceInput> = {}): ByteSource {
  if (input instanceof ArrayBuffer || input instanceof Uint8Array) return bufferSource(input, name, siblings);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return blobSource(input, name, siblings);
  if (isByteSource(input)) return input;
  throw new CajalError('INVALID_ARGUMENT', 'unsupported source: expected a path, ArrayBuffer, Uint8Array, Blob or ByteSource');
}

export function isByteSource(value: unknown): value is ByteSource {
  return typeof value === 'object' && value !== null && typeof (value as ByteSource).read === 'function' && typeof (value as ByteSource).size === 'number';
}

/** Read exactly `length` bytes or throw FORMAT_TRUNCATED naming the field. */
export async function readExactly(source: ByteSource, offset: number, length: number, field: string): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.byteLength < length) {
    throw new CajalError('FORMAT_TRUNCATED', `file ends after ${source.size} bytes, but ${field} needs ${length} bytes from byte ${offset}`, {
      file: source.name,
      field,
      byteOffset: offset,
    });
  }
  return bytes;
}

/** Fill `target` from `offset` through `source.readInto` (or `read`), or throw FORMAT_TRUNCATED. */
export async function readIntoExactly(source: ByteSource, offset: number, target: Uint8Array, field: string): Promise<Uint8Array> {
  if (!source.readInto) {
    const bytes = await readExactly(source, offset, target.byteLength, field);
    target.set(bytes);
    return target;
  }
  const filled = await source.readInto(offset, target);
  if (filled < target.byteLength) {
    throw new CajalError('FORMAT_TRUNCATED', `file ends after ${source.size} bytes, but ${field} needs ${target.byteLength} bytes from byte ${offset}`, {
      file: source.name,
      field,
      byteOffset: offset,
    });
  }
  return target;
}

function siblingFrom(siblings: Record<string, SourceInput>, fileName: string): ByteSource | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const key = Object.keys(siblings).find((k) => k === base) ?? Object.keys(siblings).find((k) => k.toLowerCase() === base.toLowerCase());
  if (key === undefined) return undefined;
  return toByteSource(siblings[key] as SourceInput, key);
}

function checkRange(name: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new CajalError('INVALID_ARGUMENT', `invalid byte range ${offset}+${length}`, { file: name });
  }
}
