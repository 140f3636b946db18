import { Gunzip } from 'fflate';
import { CajalError, throwIfAborted } from '@cajal/core';
import type { LongOperationOptions } from '@cajal/core';
import { readExactly } from '../source.ts';
import type { ByteSource } from '../source.ts';

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Compressed bytes pushed into the inflater per step (progress and cancellation in between). */
const compressedChunk = 64 * 1024;

/**
 * The first `limit` bytes of a source: read directly, or inflated from a gzip stream without
 * inflating (or holding) more than needed. A gzip stream that ends or breaks early gives fewer
 * bytes; `truncatedAt` then says where (compressed byte offset) and why. Memory use is the
 * output actually produced, never the size a header claims.
 */
export async function readPrefix(
  source: ByteSource,
  limit: number,
  options: LongOperationOptions = {},
): Promise<{ bytes: Uint8Array; truncatedAt?: { byteOffset: number; reason: string } }> {
  const head = await source.read(0, Math.min(2, source.size));
  if (!isGzip(head)) {
    const length = Math.min(limit, source.size);
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 4 * compressedChunk) {
      throwIfAborted(options.signal, 'reading');
      const n = Math.min(4 * compressedChunk, length - offset);
      out.set(await readExactly(source, offset, n, 'voxel data'), offset);
      options.onProgress?.({ done: offset + n, total: length, stage: 'reading' });
    }
    if (length === 0) options.onProgress?.({ done: 0, total: 0, stage: 'reading' });
    return { bytes: out };
  }
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let failure: { byteOffset: number; reason: string } | undefined;
  const inflater = new Gunzip((chunk) => {
    if (produced < limit) {
      const keep = chunk.subarray(0, Math.min(chunk.length, limit - produced));
      chunks.push(keep.slice());
      produced += keep.length;
    }
  });
  let offset = 0;
  while (produced < limit && offset < source.size) {
    throwIfAborted(options.signal, 'decompressing');
    const n = Math.min(compressedChunk, source.size - offset);
    const input = await source.read(offset, n);
    offset += n;
    try {
      inflater.push(input.slice(), offset >= source.size);
    } catch (error) {
      failure = { byteOffset: offset, reason: (error as Error).message };
      break;
    }
    options.onProgress?.({ done: Math.min(produced, limit), total: limit, stage: 'decompressing' });
  }
  if (!failure && produced < limit) failure = { byteOffset: source.size, reason: 'the gzip stream ends' };
  const bytes = new Uint8Array(produced);
  let position = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, position);
    position += chunk.length;
  }
  return failure ? { bytes, truncatedAt: failure } : { bytes };
}

/** Throw FORMAT_TRUNCATED (naming `field` and the offset where the bytes end) when a prefix read came up short of `needed` bytes. */
export function requireBytes(
  result: { bytes: Uint8Array; truncatedAt?: { byteOffset: number; reason: string } },
  needed: number,
  file: string,
  field: string,
  what: string,
): Uint8Array {
  if (result.bytes.length >= needed) return result.bytes;
  const where = result.truncatedAt ? ` (${result.truncatedAt.reason} at compressed byte ${result.truncatedAt.byteOffset})` : '';
  throw new CajalError('FORMAT_TRUNCATED', `${what} needs ${needed} bytes but the file gives ${result.bytes.length}${where}`, {
    file,
    field,
    byteOffset: result.bytes.length,
  });
}
