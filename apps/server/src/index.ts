/**
 * @cajal/server: the workbench back end: HTTP API (hono + zod, OpenAPI), accounts, roles and
 * audit, storage (SQLite or PostgreSQL) with a content-addressed file store, uploads with
 * de-identification, signal pages, and jobs (in-process pool or BullMQ workers).
 */
export { startServer, createServices, defaultWebDir } from './server.ts';
export type { RunningServer } from './server.ts';
export { resolveConfig } from './config.ts';
export type { ServerConfig } from './config.ts';
export { createApp } from './http/app.ts';
export { startWorkerProcess } from './worker.ts';
export { openStorage } from './storage/kysely-storage.ts';
export type { Storage } from './storage/storage.ts';
export { registerJobHandler, jobKinds } from './jobs/handlers.ts';
