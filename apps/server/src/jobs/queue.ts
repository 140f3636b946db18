/**
 * The job queue interface. Jobs (analysis, simulation, training, checksum) are rows in the
 * `jobs` table; a queue backend decides where they run: the in-process pool by default,
 * BullMQ workers on Redis across machines. Both pass the same contract suite
 * (test/jobs.contract.ts). Results are written idempotently keyed by job id, so a job that
 * runs twice (its first worker died) has one visible effect.
 */
import type { JobRow } from '../storage/storage.ts';

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
