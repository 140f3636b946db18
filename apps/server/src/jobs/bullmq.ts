/**
 * Jobs across machines on BullMQ (Redis). The server enqueues (the BullMQ job id is the
 * Cajal job id, so a job is queued once); `cajal worker --redis URL` processes run them on
 * any number of hosts. When a worker dies mid-job its lock expires and BullMQ's stalled-job
 * check hands the job to another worker, which runs it again; the result is recorded once
 * (idempotent by job id). Progress reaches the server through BullMQ's queue events.
 */
import { hostname } from 'node:os';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { BlobStore } from '../storage/blob-store.ts';
import type { JobRow, Storage } from '../storage/storage.ts';
import { runHandler } from './handlers.ts';
import { reportBackgroundError } from '../background.ts';
import { JobNotifier } from './queue.ts';
import type { JobListener, JobQueue, NewJob } from './queue.ts';
import { runJob } from './runner.ts';

/** The BullMQ queue name. */
export const queueName = 'cajal-jobs';

/** Redis connection options from a redis:// URL (BullMQ needs maxRetriesPerRequest null). */
export function redisConnection(url: string): { host: string; port: number; password?: string; username?: string; db?: number; maxRetriesPerRequest: null } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    maxRetriesPerRequest: null,
  };
}

interface JobData {
  jobId: string;
}

/** The server side: enqueue, cancel, follow. */
export class BullJobQueue implements JobQueue {
  private readonly queue: Queue<JobData>;
  private readonly events: QueueEvents;
  private readonly notifier: JobNotifier;

  constructor(private readonly storage: Storage, redisUrl: string, private readonly name = queueName) {
    const connection = redisConnection(redisUrl);
    this.queue = new Queue<JobData>(name, { connection });
    this.events = new QueueEvents(name, { connection });
    this.notifier = new JobNotifier(storage);
    for (const event of ['progress', 'active', 'completed', 'failed', 'stalled', 'waiting'] as const) {
      this.events.on(event, (payload: { jobId: string }) => this.notifier.notify(payload.jobId));
    }
    // BullMQ emits 'error' for a failed Redis command or connection (it retries on its own);
    // without a listener the emit would throw and take the server down.
    this.queue.on('error', (error) => reportBackgroundError('BullMQ queue', error));
    this.events.on('error', (error) => reportBackgroundError('BullMQ queue events', error));
  }

  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.events.waitUntilReady();
  }

  async enqueue(job: NewJob): Promise<JobRow> {
    const row = await this.storage.createJob(job);
    await this.queue.add(job.kind, { jobId: row.id }, { jobId: row.id, removeOnComplete: 1000, removeOnFail: 1000 });
    return row;
  }

  async cancel(jobId: string): Promise<JobRow | undefined> {
    const job = await this.storage.cancelJob(jobId);
    // A waiting job is removed; a running one is stopped by its worker, which watches the row.
    const queued = await this.queue.getJob(jobId);
    if (queued && (await queued.isWaiting())) await queued.remove().catch(() => undefined);
    this.notifier.notify(jobId);
    return job;
  }

  subscribe(jobId: string, listener: JobListener): () => void {
    return this.notifier.subscribe(jobId, listener);
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    await this.notifier.settle();
  }
}

export interface WorkerOptions {
  storage: Storage;
  blobs: BlobStore;
  redisUrl: string;
  /** Jobs run at once by this process (default 1). */
  concurrency?: number;
  /** How long a worker's lock on a job lasts without renewal, ms (default 30000). */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for, ms (default 30000). */
  stalledIntervalMs?: number;
  queue?: string;
}

/**
 * Start a BullMQ worker in this process (what `cajal worker` runs). Handlers run here;
 * results go to the shared database.
 */
export function startBullWorker(options: WorkerOptions): { worker: Worker<JobData>; name: string; close: () => Promise<void> } {
  const name = `${hostname()}:${process.pid}`;
  const worker = new Worker<JobData>(options.queue ?? queueName, async (job: Job<JobData>) => {
    const final = await runJob(job.data.jobId, {
      storage: options.storage,
      blobs: options.blobs,
      worker: name,
      execute: (input, onProgress, signal) => runHandler(input, { onProgress, signal }),
      onProgress: (p) => void job.updateProgress({ done: p.done, total: p.total }).catch(() => undefined),
    });
    return { status: final?.status ?? 'skipped' };
  }, {
    connection: redisConnection(options.redisUrl),
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 5,
  });
  worker.on('error', (error) => reportBackgroundError(`BullMQ worker ${name}`, error));
  return { worker, name, close: () => worker.close() };
}
