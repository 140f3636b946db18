import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from './blob-store.ts';

describe('BlobStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cajal-blobs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves a temp file into place under its sha256, once per content', async () => {
    const store = new BlobStore(dir);
    const bytes = Buffer.from('hello blob');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const first = store.tempPath();
    writeFileSync(first, bytes);
    const path = await store.commit(first, sha);
    expect(readFileSync(path).toString()).toBe('hello blob');
    const second = store.tempPath();
    writeFileSync(second, bytes);
    await store.commit(second, sha);
    expect(store.listFiles()).toEqual([`blobs/${sha.slice(0, 2)}/${sha}`]);
    await store.remove(sha);
    expect(store.listFiles()).toEqual([]);
  });

  it('refuses paths that are not a sha256 (no path tricks)', () => {
    const store = new BlobStore(dir);
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/not a sha256/);
  });
});
