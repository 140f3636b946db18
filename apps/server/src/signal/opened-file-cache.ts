/**
 * A least-recently-used cache of recordings opened for lazy reads (`@cajal/formats`), so page
 * requests do not re-parse headers or reopen files. Evicted entries are closed once no read is
 * using them.
 */
import { openRecordingFile } from '@cajal/formats/node';
import type { OpenedRecording } from '@cajal/formats';

interface Entry {
  opened: Promise<OpenedRecording>;
  users: number;
  evicted: boolean;
}

export class OpenedFileCache {
  private readonly entries = new Map<string, Entry>();

  /** @param capacity how many files stay open (default 32). */
  constructor(readonly capacity = 32) {}

  /**
   * Run `use` with the opened recording at `path` (keyed by path; blobs never change).
   *
   * @example
   *   const samples = await cache.with(path, (rec) => rec.readChannel('Cz', { startSeconds: 0, endSeconds: 10 }));
   */
  async with<T>(path: string, use: (opened: OpenedRecording) => Promise<T>): Promise<T> {
    let entry = this.entries.get(path);
    if (entry) {
      this.entries.delete(path);
      this.entries.set(path, entry);
    } else {
      entry = { opened: openRecordingFile(path), users: 0, evicted: false };
      this.entries.set(path, entry);
      entry.opened.catch(() => this.entries.get(path) === entry && this.entries.delete(path));
      this.evict();
    }
    entry.users += 1;
    try {
      return await use(await entry.opened);
    } finally {
      entry.users -= 1;
      if (entry.evicted && entry.users === 0) await closeQuietly(entry);
    }
  }

  /** Forget a file (after its blob is removed). */
  async drop(path: string): Promise<void> {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    entry.evicted = true;
    if (entry.users === 0) await closeQuietly(entry);
  }

  async close(): Promise<void> {
    for (const path of [...this.entries.keys()]) await this.drop(path);
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const [path, entry] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(path);
      entry.evicted = true;
      if (entry.users === 0) void closeQuietly(entry);
    }
  }
}

async function closeQuietly(entry: Entry): Promise<void> {
  try {
    await (await entry.opened).close();
  } catch {
    // A file that failed to open has nothing to close.
  }
}
