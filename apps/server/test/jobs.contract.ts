/**
 * The job queue contract: every backend (in-process pool, BullMQ workers) runs jobs to done
 * with streamed progress, cancels, records failures, and writes each result exactly once.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobQueue } from '../src/jobs/queue.ts';
import type { JobRow, Storage } from '../src/storage/storage.ts';

export interface JobRig {
  storage: Storage;
  queue: JobQueue;
  projectId: string;
  userId: string;
}

/** What the "checksum" handler returns for text params (no recording). */
export function expectedDigest(steps: number, text = 'cajal'): string {
  const hash = createHash('sha256');
  for (let step = 0; step < steps; step++) hash.update(`${step}:${text}`);
  return hash.digest('hex');
}

/** Poll the stored job until `done(job)` (or fail after `timeoutMs`). */
export async function waitForJob(storage: Storage, jobId: string, done: (job: JobRow) => boolean, timeoutMs = 60_000): Promise<JobRow> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await storage.getJob(jobId);
    if (job && done(job)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const finished = (job: JobRow): boolean => job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';

export function jobContract(open: () => Promise<JobRig>, close: (rig: JobRig) => Promise<void>): { rig: () => JobRig } {
  let rig: JobRig;
  beforeAll(async () => {
    rig = await open();
  }, 120_000);
  afterAll(async () => {
    if (rig) await close(rig);
  }, 60_000);

  const enqueue = (params: Record<string, unknown>): Promise<JobRow> =>
    rig.queue.enqueue({ projectId: rig.projectId, kind: 'checksum', recordingId: null, params, createdBy: rig.userId });

  describe('job contract', () => {
    it('runs a job to done and streams its progress to subscribers', async () => {
      const job = await enqueue({ steps: 8, stepMs: 150, text: 'contract' });
      expect(job.status).toBe('queued');
      const seen: JobRow[] = [];
      const stop = rig.queue.subscribe(job.id, (snapshot) => seen.push(snapshot));
      const final = await waitForJob(rig.storage, job.id, finished);
      await new Promise((resolve) => setTimeout(resolve, 300));
      stop();
      expect(final).toMatchObject({ status: 'done', attempts: 1, progress: { done: 8, total: 8 }, result: { digest: expectedDigest(8, 'contract'), steps: 8 } });
      expect(await rig.storage.countJobResults(job.id)).toBe(1);
      const dones = seen.map((s) => s.progress.done);
      expect(dones.some((d) => d > 0 && d < 8), `progress seen: ${dones.join(',')}`).toBe(true);
      expect(dones).toEqual([...dones].sort((a, b) => a - b));
      expect(seen[seen.length - 1]?.status).toBe('done');
    });

    it('cancels a running job: it stops and records no result', async () => {
      const job = await enqueue({ steps: 400, stepMs: 50 });
      await waitForJob(rig.storage, job.id, (j) => j.status === 'running' && j.progress.done >= 1);
      expect((await rig.queue.cancel(job.id))?.status).toBe('cancelled');
      const final = await waitForJob(rig.storage, job.id, finished);
      expect(final.status).toBe('cancelled');
      // The worker notices within its watch interval and stops; progress then stays put.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const later = await rig.storage.getJob(job.id);
      expect(later).toMatchObject({ status: 'cancelled' });
      expect(later!.progress.done).toBeLessThan(400);
      expect(await rig.storage.countJobResults(job.id)).toBe(0);
    });

    it('records a failing job with its message', async () => {
      const job = await enqueue({ steps: -1 });
      const final = await waitForJob(rig.storage, job.id, finished);
      expect(final.status).toBe('failed');
      expect(final.error).toMatch(/params\.steps must be an integer in 1\.\.10000, got -1/);
      expect(await rig.storage.countJobResults(job.id)).toBe(0);
    });

    it('runs several jobs, each exactly once', async () => {
      const jobs = await Promise.all([1, 2, 3, 4, 5].map((n) => enqueue({ steps: n, stepMs: 10, text: `job${n}` })));
      for (const [i, job] of jobs.entries()) {
        const final = await waitForJob(rig.storage, job.id, finished);
        expect(final).toMatchObject({ status: 'done', attempts: 1, result: { digest: expectedDigest(i + 1, `job${i + 1}`) } });
        expect(await rig.storage.countJobResults(job.id)).toBe(1);
      }
    });
  });
  return { rig: () => rig };
}
