/**
 * Server configuration with its defaults: SQLite and in-process jobs under one data folder.
 */
import { resolve } from 'node:path';

export interface ServerConfig {
  /** Data folder: SQLite file, blob store, temp files. Default ".cajal-data" in the working directory. */
  dataDir: string;
  /** `postgres://...` for PostgreSQL; absent for SQLite under dataDir. */
  databaseUrl?: string;
  /** `redis://...` to run jobs on BullMQ workers; absent for the in-process pool. */
  redisUrl?: string;
  /** TCP port (default 8080). */
  port: number;
  /** Interface to listen on (default 127.0.0.1). */
  host: string;
  /** Largest accepted upload in bytes (default 1 GiB). */
  maxUploadBytes: number;
  /** Largest accepted JSON body in bytes (default 1 MiB). */
  maxJsonBytes: number;
  /** Session lifetime in seconds (default 12 h). */
  sessionSeconds: number;
  /** Add `Secure` to the session cookie (behind HTTPS). Default false. */
  secureCookies: boolean;
  /** Folder of the built web app served at `/` (default apps/web/dist), or undefined. */
  webDir?: string;
  /** In-process job pool size (default: CPU cores - 1, at least 1). */
  workerThreads?: number;
}

/** Fill defaults for the parts not given. */
export function resolveConfig(partial: Partial<ServerConfig> = {}): ServerConfig {
  return {
    dataDir: resolve(partial.dataDir ?? '.cajal-data'),
    port: partial.port ?? 8080,
    host: partial.host ?? '127.0.0.1',
    maxUploadBytes: partial.maxUploadBytes ?? 1024 ** 3,
    maxJsonBytes: partial.maxJsonBytes ?? 1024 ** 2,
    sessionSeconds: partial.sessionSeconds ?? 12 * 3600,
    secureCookies: partial.secureCookies ?? false,
    ...(partial.databaseUrl ? { databaseUrl: partial.databaseUrl } : {}),
    ...(partial.redisUrl ? { redisUrl: partial.redisUrl } : {}),
    ...(partial.webDir ? { webDir: partial.webDir } : {}),
    ...(partial.workerThreads ? { workerThreads: partial.workerThreads } : {}),
  };
}
