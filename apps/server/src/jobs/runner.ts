/**
 * Run one job end to end on this machine, whatever queue delivered it: claim it (counting
 * the attempt), run its handler with throttled progress written to the database, stop when it
 * is cancelled, and record the result idempotently (first completion wins).
 */
import { CajalError, isCajalError } from '@cajal/core';
import type { Progress } from '@cajal/core';
import type { BlobStore } from '../storage/blob-store.ts';
import type { JobRow, Storage } from '../storage/storage.ts';
import type { JobInput } from './handlers.ts';

export interface RunJobOptions {
  storage: Storage;
  blobs: BlobStore;
  /** Name of this worker (host:pid[:slot]). */
  worker: string;
  /** Runs the handler (in this thread, or on a pool). */
  execute: (input: JobInput, onProgress: (p: Progress) => void, signal: AbortSignal) => Promise<unknown>;
  /** Called after each change written to the database. */
  notify?: (jobId: string) => void;
  /** Called with each progress report (e.g. BullMQ's updateProgress). */
  onProgress?: (p: Progress) => void;
  /** Minimum milliseconds between progress writes (default 200). */
  progressIntervalMs?: number;
}

/**
 * Run job `jobId`. Returns the final job row, or undefined when the job was already finished
 * (nothing to do).
 */
export async function runJob(jobId: string, options: RunJobOptions): Promise<JobRow | undefined> {
  const { storage, worker } = options;
  const claimed = await storage.claimJob(jobId, worker);
  if (!claimed) return undefined;
  options.notify?.(jobId);
  const controller = new AbortController();
  const interval = options.progressIntervalMs ?? 200;
  let lastWrite = 0;
  let pending: Promise<void> = Promise.resolve();
  const onProgress = (p: Progress): void => {
    options.onProgress?.(p);
    const at = Date.now();
    if (at - lastWrite < interval && p.done < p.total) return;
    lastWrite = at;
    pending = pending.then(() => storage.updateJobProgress(jobId, p)).then(() => options.notify?.(jobId)).catch(() => undefined);
  };
  // Watch the row for a cancel. A read still in flight when the job ends is awaited below, so
  // none outlives the job (and a failed read only skips one look).
  let watching: Promise<void> = Promise.resolve();
  const watcher = setInterval(() => {
    watching = storage.getJob(jobId).then((job) => {
      if (job?.status === 'cancelled') controller.abort();
    }, () => undefined);
  }, 500);
  try {
    const input: JobInput = { kind: claimed.kind, params: (claimed.params ?? {}) as Record<string, unknown> };
    if (claimed.recordingId) {
      const recording = await storage.getRecording(claimed.recordingId);
      if (!recording) throw new CajalError('NOT_FOUND', `recording "${claimed.recordingId}" no longer exists`);
      input.recordingPath = options.blobs.pathOf(recording.sha256);
    }
    const result = await options.execute(input, onProgress, controller.signal);
    await pending;
    await storage.completeJob(jobId, result, worker);
  } catch (error) {
    await pending;
    if (!(controller.signal.aborted && isCajalError(error, 'ABORTED'))) {
      const message = error instanceof Error ? error.message : String(error);
      await storage.failJob(jobId, message);
    }
  } finally {
    clearInterval(watcher);
    await watching;
  }
  options.notify?.(jobId);
  return storage.getJob(jobId);
}
