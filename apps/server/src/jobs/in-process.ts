/**
 * The default job queue: jobs run on a pool of worker threads in this process (piscina), as
 * many at once as the pool has threads. Jobs left queued or running by a previous process are
 * picked up again on start (their results are idempotent).
 */
import { hostname } from 'node:os';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Progress } from '@cajal/core';
import type { BlobStore } from '../storage/blob-store.ts';
import type { JobRow, Storage } from '../storage/storage.ts';
import type { JobInput } from './handlers.ts';
import { reportBackgroundError } from '../background.ts';
import { JobNotifier } from './queue.ts';
import type { JobListener, JobQueue, NewJob } from './queue.ts';
import { runJob } from './runner.ts';

export class InProcessJobQueue implements JobQueue {
  private readonly notifier: JobNotifier;
  private readonly pool: Piscina;
  private readonly running = new Set<Promise<unknown>>();
  private readonly worker = `${hostname()}:${process.pid}:in-process`;

  /** @param threads pool size (default: CPU cores - 1, at least 1). */
  constructor(private readonly storage: Storage, private readonly blobs: BlobStore, threads?: number) {
    const size = threads ?? Math.max(1, availableParallelism() - 1);
    this.pool = new Piscina({ filename: new URL('./pool-worker.mjs', import.meta.url).href, minThreads: 0, maxThreads: size, idleTimeout: 30_000 });
    this.notifier = new JobNotifier(storage);
    // Piscina emits 'error' when a worker thread fails with no task on it (e.g. while starting);
    // unheard, that would crash the server. Tasks on a failed thread reject on their own.
    this.pool.on('error', (error: unknown) => reportBackgroundError('job worker thread', error));
  }

  /** Re-run jobs a previous process left unfinished. */
  async resume(): Promise<number> {
    const jobs = await this.storage.listUnfinishedJobs();
    for (const job of jobs) this.schedule(job.id);
    return jobs.length;
  }

  async enqueue(job: NewJob): Promise<JobRow> {
    const row = await this.storage.createJob(job);
    this.schedule(row.id);
    return row;
  }

  async cancel(jobId: string): Promise<JobRow | undefined> {
    const job = await this.storage.cancelJob(jobId);
    this.notifier.notify(jobId);
    return job;
  }

  subscribe(jobId: string, listener: JobListener): () => void {
    return this.notifier.subscribe(jobId, listener);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.notifier.settle();
    await this.pool.destroy();
  }

  private schedule(jobId: string): void {
    const task = runJob(jobId, {
      storage: this.storage,
      blobs: this.blobs,
      worker: this.worker,
      notify: (id) => this.notifier.notify(id),
      execute: (input, onProgress, signal) => this.runOnPool(input, onProgress, signal),
    }).catch(() => undefined);
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  private async runOnPool(input: JobInput, onProgress: (p: Progress) => void, signal: AbortSignal): Promise<unknown> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (progress: Progress) => onProgress(progress));
    const abort = (): void => port1.postMessage('abort');
    signal.addEventListener('abort', abort, { once: true });
    try {
      return await this.pool.run({ input, port: port2 }, { transferList: [port2] });
    } finally {
      signal.removeEventListener('abort', abort);
      port1.close();
    }
  }
}
