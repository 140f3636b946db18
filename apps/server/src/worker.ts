/**
 * What `cajal worker` runs: a BullMQ worker process that takes jobs from Redis and writes
 * results to the shared database (PostgreSQL across hosts; a SQLite file on a shared disk
 * works for one host).
 */
import { resolve } from 'node:path';
import { BlobStore } from './storage/blob-store.ts';
import { openStorage } from './storage/kysely-storage.ts';
import { startBullWorker } from './jobs/bullmq.ts';

export interface WorkerProcessOptions {
  redisUrl: string;
  dataDir?: string;
  databaseUrl?: string;
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** BullMQ queue name (default "cajal-jobs"; the server must use the same). */
  queue?: string;
}

/**
 * Start a worker; resolves when it is connected. `close` stops taking jobs and closes
 * connections.
 *
 * @example
 *   const worker = await startWorkerProcess({ redisUrl: 'redis://queue:6379', databaseUrl: 'postgres://db/cajal', dataDir: '/mnt/cajal' });
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<{ name: string; close: () => Promise<void> }> {
  const dataDir = resolve(options.dataDir ?? '.cajal-data');
  const storage = await openStorage({ dataDir, ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
  const blobs = new BlobStore(dataDir);
  const started = startBullWorker({
    storage, blobs, redisUrl: options.redisUrl,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
  });
  await started.worker.waitUntilReady();
  return {
    name: started.name,
    close: async () => {
      await started.close();
      await storage.close();
    },
  };
}
