/**
 * The job queue interface. Jobs (analysis, simulation, training, checksum) are rows in the
 * `jobs` table; a queue backend decides where they run: the in-process pool by default,
 * BullMQ workers on Redis across machines. Both pass the same contract suite
 * (test/jobs.contract.ts). Results are written idempotently keyed by job id, so a job that
 * runs twice (its first worker died) has one visible effect.
 */
import { EventEmitter } from 'node:events';
import { reportBackgroundError } from '../background.ts';
import type { JobRow, Storage } from '../storage/storage.ts';

export interface NewJob {
  projectId: string;
  kind: string;
  recordingId: string | null;
  params: unknown;
  createdBy: string;
}

export type JobListener = (job: JobRow) => void;

export interface JobQueue {
  /** Record the job (status "queued") and schedule it. */
  enqueue(job: NewJob): Promise<JobRow>;
  /** Ask a queued or running job to stop; returns the job as stored. */
  cancel(jobId: string): Promise<JobRow | undefined>;
  /**
   * Call `listener` with the job's snapshot whenever it changes (progress, status). Returns a
   * function that stops listening.
   */
  subscribe(jobId: string, listener: JobListener): () => void;
  close(): Promise<void>;
}

/** Statuses after which a job never changes again. */
export const finishedStatuses = new Set(['done', 'failed', 'cancelled']);

/**
 * The subscribers of each job, fed with the row as stored whenever a backend says the job
 * changed. Reads still in flight are awaited by `settle()` (before the storage closes); a read
 * or listener that fails is reported, never left as an unhandled rejection.
 */
export class JobNotifier {
  private readonly emitter = new EventEmitter();
  private readonly reads = new Set<Promise<void>>();

  constructor(private readonly storage: Storage) {
    this.emitter.setMaxListeners(0);
  }

  subscribe(jobId: string, listener: JobListener): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }

  notify(jobId: string): void {
    if (this.emitter.listenerCount(jobId) === 0) return;
    const read = this.storage.getJob(jobId)
      .then((job) => {
        if (job) this.emitter.emit(jobId, job);
      })
      .catch((error: unknown) => reportBackgroundError(`notifying the subscribers of job ${jobId}`, error))
      .finally(() => this.reads.delete(read));
    this.reads.add(read);
  }

  /** Wait for the reads in flight. */
  async settle(): Promise<void> {
    await Promise.all([...this.reads]);
  }
}
