/**
 * Start the workbench server: open storage and the blob store, pick the job queue (in-process,
 * or BullMQ when a Redis URL is given), create the first admin and the demo project on first
 * start, and listen.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { resolveConfig } from './config.ts';
import type { ServerConfig } from './config.ts';
import { createApp } from './http/app.ts';
import type { ServerServices } from './http/context.ts';
import { BlobStore } from './storage/blob-store.ts';
import { openStorage } from './storage/kysely-storage.ts';
import { InProcessJobQueue } from './jobs/in-process.ts';
import { BullJobQueue } from './jobs/bullmq.ts';
import { OpenedFileCache } from './signal/opened-file-cache.ts';
import { bootstrap } from './bootstrap.ts';
import type { BootstrapResult } from './bootstrap.ts';

/** Open everything the routes need. */
export async function createServices(config: ServerConfig): Promise<ServerServices & { close: () => Promise<void> }> {
  const storage = await openStorage({ dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) });
  const blobs = new BlobStore(config.dataDir);
  let jobs: InProcessJobQueue | BullJobQueue;
  if (config.redisUrl) {
    const bull = new BullJobQueue(storage, config.redisUrl);
    await bull.ready();
    jobs = bull;
  } else {
    const local = new InProcessJobQueue(storage, blobs, config.workerThreads);
    await local.resume();
    jobs = local;
  }
  const openedFiles = new OpenedFileCache(32);
  return {
    storage, blobs, jobs, openedFiles, config,
    close: async () => {
      await jobs.close();
      await openedFiles.close();
      await storage.close();
    },
  };
}

/** The default location of the built web app. */
export function defaultWebDir(): string | undefined {
  const dir = resolve(import.meta.dirname, '..', '..', 'web', 'dist');
  return existsSync(resolve(dir, 'index.html')) ? dir : undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  services: ServerServices;
  bootstrap: BootstrapResult;
  close: () => Promise<void>;
}

/**
 * Start listening. On first start (no users) an admin account is created and its password is
 * returned once in `bootstrap.admin`; with `demo` (default true) a demo project with SIMULATED
 * recordings is made.
 *
 * @example
 *   const server = await startServer({ port: 8080, dataDir: '.cajal-data' });
 *   console.log(server.url, server.bootstrap.admin?.password);
 */
export async function startServer(partial: Partial<ServerConfig> = {}, options: { demo?: boolean } = {}): Promise<RunningServer> {
  const webDir = partial.webDir ?? defaultWebDir();
  const config = resolveConfig({ ...partial, ...(webDir ? { webDir } : {}) });
  const services = await createServices(config);
  const made = await bootstrap(services, { demo: options.demo ?? true });
  const app = createApp(services);
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolvePort, reject) => {
    server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => resolvePort(info.port));
    server.once('error', reject);
  });
  // Large uploads on slow links outlast Node's default 5-minute request timeout; allow an hour
  // per request (headers must still arrive within the default 60 s).
  (server as unknown as { requestTimeout: number }).requestTimeout = 60 * 60 * 1000;
  return {
    url: `http://${config.host}:${port}`,
    port,
    services,
    bootstrap: made,
    close: async () => {
      await new Promise<void>((done) => {
        if (!server) return done();
        server.close(() => done());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await services.close();
    },
  };
}
