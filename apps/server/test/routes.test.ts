/**
 * Every route in the OpenAPI document, checked for access control: without a session each
 * answers 401 (except sign-in and the document itself); for a signed-in user who is not a
 * member of the project, every project-scoped route answers 403 and the attempt is in the
 * audit log; the few routes that are not project-scoped show such a user nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEdf, makeHarness } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
const ids: Record<string, string> = {};
let routes: Array<{ method: string; path: string }> = [];

beforeAll(async () => {
  h = await makeHarness();
  const upload = await h.upload(h.projectA, demoEdf(5, 10), 'r.edf');
  ids['recordingId'] = (upload.body as { recording: { id: string } }).recording.id;
  const note = await h.call('POST', `/api/recordings/${ids['recordingId']}/annotations`, { cookie: h.cookies.clinician, json: { onsetSeconds: 1, durationSeconds: 0, text: 'n' } });
  ids['annotationId'] = (note.body as { annotation: { id: string } }).annotation.id;
  const job = await h.call('POST', '/api/jobs', { cookie: h.cookies.clinician, json: { kind: 'checksum', recordingId: ids['recordingId'], params: { steps: 1, stepMs: 0 } } });
  ids['jobId'] = (job.body as { job: { id: string } }).job.id;
  ids['projectId'] = h.projectA;
  const doc = (await h.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A valid request for each route (so validation passes and the access check decides). */
function requestFor(method: string, template: string): { path: string; json?: unknown; body?: Uint8Array; contentType?: string } {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] as string);
  const key = `${method} ${template}`;
  const bodies: Record<string, unknown> = {
    'POST /api/auth/login': { email: 'outsider@test.local', password: 'pw-outsider-secret' },
    'POST /api/users': { email: 'made-by-outsider@test.local', name: 'x' },
    'POST /api/projects': { name: 'outsider project', datePolicy: 'keep' },
    'POST /api/projects/{projectId}/members': { email: 'outsider@test.local', role: 'researcher' },
    'POST /api/projects/{projectId}/subjects': { code: 'OUT1' },
    'PATCH /api/recordings/{recordingId}/channels': { bad: [] },
    'POST /api/recordings/{recordingId}/annotations': { onsetSeconds: 0, durationSeconds: 0, text: 'x' },
    'PATCH /api/annotations/{annotationId}': { text: 'x' },
    'POST /api/jobs': { kind: 'checksum', recordingId: ids['recordingId'] },
  };
  if (key === 'POST /api/projects/{projectId}/recordings') return { path: `${path}?fileName=x.edf`, body: demoEdf(6, 10), contentType: 'application/octet-stream' };
  if (key in bodies) return { path, json: bodies[key] };
  return { path };
}

const publicRoutes = new Set(['POST /api/auth/login', 'GET /api/openapi.json']);
/** Not project-scoped: what a signed-in non-member gets. */
const unscoped: Record<string, number> = {
  'POST /api/auth/logout': 204, 'GET /api/me': 200, 'GET /api/projects': 200, 'GET /api/jobs': 200,
  'POST /api/projects': 403, 'GET /api/users': 403, 'POST /api/users': 403,
};

describe('access control on every route', () => {
  it('lists the routes of API.md in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(27);
  });

  it('answers 401 without a session on every route but sign-in and the document', async () => {
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      if (publicRoutes.has(key)) continue;
      const request = requestFor(method, path);
      const result = await h.call(method, request.path, { ...(request.json !== undefined ? { json: request.json } : {}), ...(request.body ? { body: request.body as Uint8Array<ArrayBuffer>, contentType: request.contentType } : {}) });
      expect(result.status, key).toBe(401);
    }
  });

  it('answers 403 to a non-member on every project-scoped route and audits each attempt; unscoped routes show nothing of the project', async () => {
    const before = await h.services.storage.countRows();
    const scoped: string[] = [];
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      if (publicRoutes.has(key) || key === 'POST /api/auth/logout') continue;
      const request = requestFor(method, path);
      const result = await h.call(method, request.path, { cookie: h.cookies.outsider, ...(request.json !== undefined ? { json: request.json } : {}), ...(request.body ? { body: request.body as Uint8Array<ArrayBuffer>, contentType: request.contentType } : {}) });
      const expected = unscoped[key] ?? 403;
      expect(result.status, `${key}: ${JSON.stringify(result.body)}`).toBe(expected);
      if (!(key in unscoped)) scoped.push(key);
      if (key === 'GET /api/projects') expect(result.body).toEqual({ projects: [] });
      if (key === 'GET /api/jobs') expect(result.body).toEqual({ jobs: [] });
    }
    expect(scoped.length).toBeGreaterThanOrEqual(18);
    expect(scoped.length + Object.keys(unscoped).length + routes.filter((r) => publicRoutes.has(`${r.method} ${r.path}`)).length).toBe(routes.length);
    const { audit: auditAfter, ...after } = await h.services.storage.countRows();
    const { audit: auditBefore, ...rest } = before;
    expect(after).toEqual(rest);
    const denied = (await h.services.storage.listAudit({ limit: (auditAfter ?? 0) - (auditBefore ?? 0) })).filter((e) => e.userId === h.userIds.outsider && e.outcome === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(scoped.length + 3);
    expect(denied.filter((e) => e.projectId === h.projectA).length).toBe(scoped.length);
  });
});
