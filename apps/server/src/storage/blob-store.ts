/**
 * A content-addressed file store: each file lives at `blobs/<first 2 hex>/<sha256>` under the
 * data folder. Files arrive in `tmp/` (written, fsynced), and are renamed into place, so a
 * reader never sees a half-written blob. References are counted in the database (the `blobs`
 * table); the file is removed when the last reference goes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CajalError } from '@cajal/core';

const shaPattern = /^[0-9a-f]{64}$/;

export class BlobStore {
  readonly blobDir: string;
  readonly tempDir: string;

  /** @param dataDir the data folder; `blobs/` and `tmp/` are created inside it. */
  constructor(readonly dataDir: string) {
    this.blobDir = join(dataDir, 'blobs');
    this.tempDir = join(dataDir, 'tmp');
    mkdirSync(this.blobDir, { recursive: true });
    mkdirSync(this.tempDir, { recursive: true });
  }

  /** A fresh path under tmp/ for an incoming file. */
  tempPath(suffix = '.part'): string {
    return join(this.tempDir, `${Date.now()}-${randomBytes(8).toString('hex')}${suffix}`);
  }

  /** Where the blob with this sha256 lives (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!shaPattern.test(sha256)) throw new CajalError('INVALID_ARGUMENT', `"${sha256}" is not a sha256 in lowercase hex`, { field: 'sha256' });
    return join(this.blobDir, sha256.slice(0, 2), sha256);
  }

  /**
   * Move a finished temp file (already fsynced) into the store under its sha256. When the blob
   * already exists the temp file is removed instead.
   */
  async commit(tempFile: string, sha256: string): Promise<string> {
    const target = this.pathOf(sha256);
    mkdirSync(join(this.blobDir, sha256.slice(0, 2)), { recursive: true });
    if (await exists(target)) {
      await rm(tempFile, { force: true });
      return target;
    }
    await rename(tempFile, target);
    // Make the rename itself durable.
    const dir = await open(join(this.blobDir, sha256.slice(0, 2)), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return target;
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** Remove a blob's file (call when its last reference is gone). */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /** Every stored blob and temp file, relative to the data folder (for before/after checks). */
  listFiles(): string[] {
    const files: string[] = [];
    for (const prefix of safeReaddir(this.blobDir)) {
      for (const name of safeReaddir(join(this.blobDir, prefix))) files.push(`blobs/${prefix}/${name}`);
    }
    for (const name of safeReaddir(this.tempDir)) files.push(`tmp/${name}`);
    return files.sort();
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
