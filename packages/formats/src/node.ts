import { open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { read as readCallback, readdirSync } from 'node:fs';
import { CajalError } from '@cajal/core';
import type { Recording } from '@cajal/core';
import type { ByteSource, SourceInput } from './source.ts';
import { readRecording, openRecording } from './read.ts';
import type { OpenedRecording, ReadOptions } from './read.ts';

export { createEdfFileWriter, writeEdfFile } from './edf/node.ts';
export type { EdfFileWriter } from './edf/node.ts';

/**
 * Node entry points: read from a path. Files are opened, read by range and closed; nothing
 * is read whole unless asked for.
 *
 * @example
 *   const rec = await readRecordingFile('sleep.edf');
 *   const header = (await openRecordingFile('big.bdf')).header;
 */
export async function openPathSource(path: string): Promise<ByteSource> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CajalError('INVALID_ARGUMENT', `${path} is not a file`, { file: path });
    size = info.size;
  } catch (error) {
    if (error instanceof CajalError) throw error;
    throw new CajalError('NOT_FOUND', `cannot open ${path}: ${(error as Error).message}`, { file: path });
  }
  const handle = await open(path, 'r');
  // fs.read with a callback on the handle's descriptor: about half the per-call cost of
  // FileHandle.read, which matters when a one-channel read issues one small read per record.
  const readAt = (buffer: Uint8Array, at: number, length: number, position: number): Promise<number> =>
    new Promise((resolve, reject) => readCallback(handle.fd, buffer, at, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
  const fill = async (buffer: Uint8Array, offset: number): Promise<number> => {
    const wanted = Math.max(0, Math.min(buffer.byteLength, size - offset));
    let filled = 0;
    while (filled < wanted) {
      const bytesRead = await readAt(buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  };
  return {
    name: basename(path),
    size,
    read: async (offset, length) => {
      const end = Math.min(size, offset + length);
      const buffer = new Uint8Array(Math.max(0, end - offset));
      const filled = await fill(buffer, offset);
      return filled === buffer.byteLength ? buffer : buffer.subarray(0, filled);
    },
    readInto: (offset, target) => fill(target, offset),
    sibling: async (fileName) => {
      const dir = dirname(path);
      const base = fileName.split(/[\\/]/).pop() ?? fileName;
      let candidate = join(dir, base);
      try {
        await stat(candidate);
      } catch {
        // Headers written on Windows often differ in case from the files on disk.
        const match = readdirSync(dir).find((f) => f.toLowerCase() === base.toLowerCase());
        if (!match) return undefined;
        candidate = join(dir, match);
      }
      return openPathSource(candidate);
    },
    close: async () => handle.close(),
  };
}

/** Accepts a path as well as everything `readRecording` accepts. */
export async function toNodeSource(input: string | SourceInput): Promise<ByteSource | SourceInput> {
  return typeof input === 'string' ? openPathSource(input) : input;
}

/** Read a whole recording from a path (or any other source). */
export async function readRecordingFile(input: string | SourceInput, options: ReadOptions = {}): Promise<Recording> {
  const source = await toNodeSource(input);
  try {
    return await readRecording(source, options);
  } finally {
    if (typeof input === 'string') await (source as ByteSource).close?.();
  }
}

/** Open a recording from a path for lazy reads; call `close()` when done. */
export async function openRecordingFile(input: string | SourceInput, options: ReadOptions = {}): Promise<OpenedRecording> {
  const source = await toNodeSource(input);
  try {
    return await openRecording(source, options);
  } catch (error) {
    // A file we opened is closed when its header is refused (no descriptor left to the GC).
    if (typeof input === 'string') await (source as ByteSource).close?.();
    throw error;
  }
}
