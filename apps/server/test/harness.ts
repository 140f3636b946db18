/**
 * An in-memory test rig for the HTTP API: services on a temp data folder (SQLite, blob store,
 * in-process jobs), the hono app driven with `app.request` (no network), and signed-in users
 * of every role on two projects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDemoEeg } from '@cajal/core';
import { writeEdf } from '@cajal/formats';
import { hashPassword } from '../src/auth/password.ts';
import { resolveConfig } from '../src/config.ts';
import type { ServerConfig } from '../src/config.ts';
import { createApp } from '../src/http/app.ts';
import { createServices } from '../src/server.ts';
import type { ProjectRole, SiteRole } from '../src/storage/storage.ts';

export interface CallOptions {
  cookie?: string;
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: unknown;
  bytes: Uint8Array;
}

export type Who = 'admin' | 'clinician' | 'researcher' | 'participant' | 'outsider' | 'otherOwner';

export interface Harness {
  services: Awaited<ReturnType<typeof createServices>>;
  app: ReturnType<typeof createApp>;
  dir: string;
  cookies: Record<Who, string>;
  userIds: Record<Who, string>;
  /** Project A: clinician, researcher, participant are members. */
  projectA: string;
  /** Project B: only otherOwner (researcher) is a member. */
  projectB: string;
  call: (method: string, path: string, options?: CallOptions) => Promise<CallResult>;
  upload: (projectId: string, bytes: Uint8Array, fileName: string, who?: Who, query?: string) => Promise<CallResult>;
  close: () => Promise<void>;
}

/** A small valid EDF+ (SIMULATED demo EEG, 19 channels x 256 Hz). */
export function demoEdf(seed = 1, durationSeconds = 20): Uint8Array {
  return writeEdf(makeDemoEeg({ seed, durationSeconds })).bytes;
}

export async function makeHarness(config: Partial<ServerConfig> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'cajal-api-'));
  const services = await createServices(resolveConfig({ dataDir: dir, workerThreads: 1, ...config }));
  const app = createApp(services);
  const { storage } = services;

  const call = async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.cookie) headers['cookie'] = options.cookie;
    let body: BodyInit | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    if (options.contentType) headers['content-type'] = options.contentType;
    const init: RequestInit & { duplex?: 'half' } = { method, headers, ...(body !== undefined ? { body } : {}) };
    if (body instanceof ReadableStream) init.duplex = 'half';
    const response = await app.request(path, init);
    const bytes = new Uint8Array(await response.arrayBuffer());
    let parsed: unknown = undefined;
    if ((response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(new TextDecoder().decode(bytes));
    return { status: response.status, headers: response.headers, body: parsed, bytes };
  };

  const people: Array<[Who, SiteRole]> = [['admin', 'admin'], ['clinician', 'user'], ['researcher', 'user'], ['participant', 'user'], ['outsider', 'user'], ['otherOwner', 'user']];
  const userIds = {} as Record<Who, string>;
  const cookies = {} as Record<Who, string>;
  for (const [who, siteRole] of people) {
    const password = `pw-${who}-secret`;
    const user = await storage.createUser({ email: `${who}@test.local`, name: who, passwordHash: await hashPassword(password), siteRole });
    userIds[who] = user.id;
    const login = await call('POST', '/api/auth/login', { json: { email: `${who}@test.local`, password } });
    if (login.status !== 200) throw new Error(`login of ${who} failed: ${login.status}`);
    cookies[who] = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  }
  const projectA = await storage.createProject({ name: 'A', datePolicy: 'year', createdBy: userIds.researcher });
  const roles: Array<[Who, ProjectRole]> = [['clinician', 'clinician'], ['researcher', 'researcher'], ['participant', 'participant']];
  for (const [who, role] of roles) await storage.setMember(projectA.id, userIds[who], role);
  const projectB = await storage.createProject({ name: 'B', datePolicy: 'remove', createdBy: userIds.otherOwner });
  await storage.setMember(projectB.id, userIds.otherOwner, 'researcher');

  const upload = (projectId: string, bytes: Uint8Array, fileName: string, who: Who = 'clinician', query = ''): Promise<CallResult> =>
    call('POST', `/api/projects/${projectId}/recordings?fileName=${encodeURIComponent(fileName)}${query}`, {
      cookie: cookies[who], body: bytes as Uint8Array<ArrayBuffer>, contentType: 'application/octet-stream', headers: { 'content-length': String(bytes.byteLength) },
    });

  return {
    services, app, dir, cookies, userIds, projectA: projectA.id, projectB: projectB.id, call, upload,
    close: async () => {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `error` of a JSON error body. */
export function errorOf(result: CallResult): { code: string; message: string } {
  return (result.body as { error: { code: string; message: string } }).error;
}
