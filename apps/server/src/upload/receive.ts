/**
 * Receive a request body into a temp file: streamed (never held in memory), counted against a
 * size limit (413 beyond it), hashed with sha256 on the way, fsynced before it is used. On any
 * failure the temp file is removed.
 */
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { HttpError } from '../http/errors.ts';

export interface ReceivedFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Stream `body` into `path`, refusing more than `maxBytes`.
 *
 * @example
 *   const file = await receiveToFile(c.req.raw.body, blobs.tempPath(), 1 << 30);
 */
export async function receiveToFile(body: ReadableStream<Uint8Array> | null, path: string, maxBytes: number): Promise<ReceivedFile> {
  if (!body) throw new HttpError(400, 'EMPTY_UPLOAD', 'the upload is empty: send the file as the request body (application/octet-stream)');
  const handle = await open(path, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  const reader = body.getReader();
  try {
    while (true) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new HttpError(400, 'UPLOAD_ABORTED', `the upload was interrupted after ${size} bytes: ${error instanceof Error ? error.message : String(error)}`);
      }
      const { done, value } = chunk;
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `the upload is larger than the limit of ${maxBytes} bytes`);
      }
      hash.update(value);
      let written = 0;
      while (written < value.byteLength) {
        const { bytesWritten } = await handle.write(value, written, value.byteLength - written);
        written += bytesWritten;
      }
    }
    if (size === 0) throw new HttpError(400, 'EMPTY_UPLOAD', 'the upload is empty (0 bytes)');
    await handle.sync();
    await handle.close();
    return { path, sizeBytes: size, sha256: hash.digest('hex') };
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}

/** sha256 of a file on disk, streamed. */
export async function hashFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  const hash = createHash('sha256');
  try {
    const buffer = Buffer.alloc(1 << 20);
    while (true) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
