/**
 * The job contract on both backends: the in-process worker pool, and BullMQ on a real
 * redis-server with two `cajal worker` processes (one killed with SIGKILL mid-job; its job is
 * picked up by the other and finishes, its result recorded once).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { describeWith } from '@cajal/core/testing';
import { BlobStore } from '../src/storage/blob-store.ts';
import { openStorage } from '../src/storage/kysely-storage.ts';
import type { Storage } from '../src/storage/storage.ts';
import { InProcessJobQueue } from '../src/jobs/in-process.ts';
import { BullJobQueue, redisConnection } from '../src/jobs/bullmq.ts';
import { expectedDigest, finished, jobContract, waitForJob } from './jobs.contract.ts';
import type { JobRig } from './jobs.contract.ts';
import { createScratchDatabase, portAnswers, postgresAnswers, redisUrl } from './services.ts';

const root = join(import.meta.dirname, '..', '..', '..');

async function seed(storage: Storage): Promise<{ projectId: string; userId: string }> {
  const user = await storage.createUser({ email: `jobs-${randomBytes(4).toString('hex')}@test.local`, name: 'jobs', passwordHash: 'x', siteRole: 'user' });
  const project = await storage.createProject({ name: 'jobs', datePolicy: 'keep', createdBy: user.id });
  return { projectId: project.id, userId: user.id };
}

describe('jobs in-process (worker pool)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cajal-jobs-'));
  jobContract(
    async () => {
      const storage = await openStorage({ dataDir: dir });
      const queue = new InProcessJobQueue(storage, new BlobStore(dir), 2);
      return { storage, queue, ...(await seed(storage)) };
    },
    async (rig) => {
      await rig.queue.close();
      await rig.storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  );

  it('resumes a job left running by a process that died', async () => {
    const other = mkdtempSync(join(tmpdir(), 'cajal-jobs-resume-'));
    const storage = await openStorage({ dataDir: other });
    try {
      const { projectId, userId } = await seed(storage);
      const job = await storage.createJob({ projectId, kind: 'checksum', recordingId: null, params: { steps: 3, stepMs: 0 }, createdBy: userId });
      await storage.claimJob(job.id, 'dead-host:1');
      const queue = new InProcessJobQueue(storage, new BlobStore(other), 1);
      expect(await queue.resume()).toBe(1);
      const final = await waitForJob(storage, job.id, finished);
      await queue.close();
      expect(final).toMatchObject({ status: 'done', attempts: 2, result: { digest: expectedDigest(3) } });
      expect(await storage.countJobResults(job.id)).toBe(1);
    } finally {
      await storage.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});

const redisUp = await portAnswers(redisUrl);
const pgUp = await postgresAnswers();

describeWith('jobs on BullMQ with two `cajal worker` processes', redisUp, `needs redis-server at ${redisUrl} (CAJAL_TEST_REDIS_URL)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cajal-bull-'));
  const queueName = `cajal-test-${randomBytes(4).toString('hex')}`;
  const workers: ChildProcess[] = [];
  let dropDatabase: () => Promise<void> = async () => undefined;
  let databaseUrl: string | undefined;

  function startWorker(): Promise<ChildProcess> {
    const args = [join(root, 'apps/cli/bin/cajal.mjs'), 'worker', '--redis', redisUrl, '--data', dir, '--queue', queueName, '--lock-ms', '2000', '--stalled-ms', '1000'];
    if (databaseUrl) args.push('--database', databaseUrl);
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    workers.push(child);
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 90_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/ready/.test(output)) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
    });
  }

  const { rig } = jobContract(
    async (): Promise<JobRig> => {
      // PostgreSQL as the shared database when it answers (as across hosts), else SQLite on the shared folder.
      if (pgUp) {
        const scratch = await createScratchDatabase();
        databaseUrl = scratch.url;
        dropDatabase = scratch.drop;
      }
      const storage = await openStorage({ dataDir: dir, ...(databaseUrl ? { databaseUrl } : {}) });
      await Promise.all([startWorker(), startWorker()]);
      const queue = new BullJobQueue(storage, redisUrl, queueName);
      await queue.ready();
      return { storage, queue, ...(await seed(storage)) };
    },
    async (r) => {
      for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.all(workers.map((child) => (child.exitCode !== null || child.signalCode !== null) ? undefined : new Promise((resolve) => child.once('exit', resolve))));
      await r.queue.close();
      const cleanup = new Queue(queueName, { connection: redisConnection(redisUrl) });
      await cleanup.obliterate({ force: true });
      await cleanup.close();
      await r.storage.close();
      await dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    },
  );

  it('a job whose worker is killed (SIGKILL) mid-job is finished by the other worker, its result recorded once', async () => {
    const { storage, queue, projectId, userId } = rig();
    const job = await queue.enqueue({ projectId, kind: 'checksum', recordingId: null, params: { steps: 30, stepMs: 100, text: 'survive' }, createdBy: userId });
    const running = await waitForJob(storage, job.id, (j) => j.status === 'running' && j.progress.done >= 3);
    const pid = Number(running.worker?.split(':').pop());
    const victim = workers.find((child) => child.pid === pid);
    expect(victim, `worker ${running.worker} is one of ours`).toBeDefined();
    victim!.kill('SIGKILL');
    await new Promise((resolve) => victim!.once('exit', resolve));
    const final = await waitForJob(storage, job.id, finished, 90_000);
    expect(final).toMatchObject({ status: 'done', result: { digest: expectedDigest(30, 'survive'), steps: 30 } });
    expect(final.attempts).toBeGreaterThanOrEqual(2);
    expect(final.worker).not.toBe(running.worker);
    expect(await storage.countJobResults(job.id)).toBe(1);
  }, 120_000);
});
