/**
 * What every request handler can reach: the services (storage, blob store, jobs, opened-file
 * cache, config) and the signed-in user.
 */
import type { BlobStore } from '../storage/blob-store.ts';
import type { Storage, User } from '../storage/storage.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { ServerConfig } from '../config.ts';
import type { OpenedFileCache } from '../signal/opened-file-cache.ts';

export interface ServerServices {
  storage: Storage;
  blobs: BlobStore;
  jobs: JobQueue;
  openedFiles: OpenedFileCache;
  config: ServerConfig;
}

export interface AppEnv {
  Variables: {
    services: ServerServices;
    user: User | null;
    sessionHash: string | null;
    /** The access granted to this request, audited once its outcome is known. */
    pendingAudit: { userId: string; projectId: string; action: string; target: string } | null;
    /** The message of the error response, if any (for the audit entry). */
    errorMessage: string | null;
  };
}
