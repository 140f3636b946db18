import { describe, expect, it, vi } from 'vitest';
import type { JobRow, Storage } from '../storage/storage.ts';
import { JobNotifier } from './queue.ts';

function storageWith(getJob: (id: string) => Promise<JobRow | undefined>): Storage {
  return { getJob } as unknown as Storage;
}

describe('JobNotifier', () => {
  it('feeds subscribers the stored row, and only while they listen', async () => {
    const row = { id: 'j1', status: 'running' } as JobRow;
    const getJob = vi.fn(async () => row);
    const notifier = new JobNotifier(storageWith(getJob));
    const seen: JobRow[] = [];
    notifier.notify('j1');
    const stop = notifier.subscribe('j1', (job) => seen.push(job));
    notifier.notify('j1');
    notifier.notify('other');
    await notifier.settle();
    stop();
    notifier.notify('j1');
    await notifier.settle();
    expect(seen).toEqual([row]);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('a read that fails after the storage closed is reported, not left as an unhandled rejection', async () => {
    const notifier = new JobNotifier(storageWith(() => Promise.reject(new Error('driver has already been destroyed'))));
    notifier.subscribe('j1', () => undefined);
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      notifier.notify('j1');
      await notifier.settle();
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual(['cajal: notifying the subscribers of job j1: driver has already been destroyed\n']);
  });

  it('settle waits for the reads in flight', async () => {
    let release: (row: JobRow) => void = () => undefined;
    const notifier = new JobNotifier(storageWith(() => new Promise((resolve) => (release = resolve))));
    const seen: string[] = [];
    notifier.subscribe('j1', (job) => seen.push(job.status));
    notifier.notify('j1');
    const settled = notifier.settle().then(() => seen.length);
    release({ id: 'j1', status: 'done' } as JobRow);
    expect(await settled).toBe(1);
  });
});
