/** Jobs: start, look at, follow (server-sent events), cancel. */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { CajalError } from '@cajal/core';
import { authorize, requireUser, staffRoles } from '../access.ts';
import type { AppEnv } from '../context.ts';
import { errorResponses, idSchema, jobSchema, jsonBody } from '../schemas.ts';
import type { JobRow } from '../../storage/storage.ts';
import { finishedStatuses } from '../../jobs/queue.ts';
import { checkJobParams, jobKinds } from '../../jobs/handlers.ts';
import { reportBackgroundError } from '../../background.ts';

const jobParams = z.object({ jobId: idSchema('jobId') });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...errorResponses });

/** The job as the API shows it. */
export function jobOut(j: JobRow) {
  return {
    id: j.id, kind: j.kind, status: j.status, progress: j.progress, attempts: j.attempts, recordingId: j.recordingId, projectId: j.projectId, createdAt: j.createdAt,
    ...(j.result !== undefined ? { result: j.result } : {}),
    ...(j.error ? { error: j.error } : {}),
  };
}

const create = createRoute({
  method: 'post', path: '/api/jobs', tags: ['jobs'],
  request: jsonBody(z.object({
    kind: z.string().max(40),
    projectId: idSchema('projectId').optional(),
    recordingId: idSchema('recordingId').optional(),
    params: z.record(z.string(), z.unknown()).default({}),
  }).strict()),
  responses: json(z.object({ job: jobSchema }), 'the queued job'),
});
const list = createRoute({
  method: 'get', path: '/api/jobs', tags: ['jobs'],
  request: { query: z.object({ projectId: idSchema('projectId', 'query').optional(), recordingId: idSchema('recordingId', 'query').optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }) },
  responses: json(z.object({ jobs: z.array(jobSchema) }), 'jobs newest first: of the recording, of the project, or of every project the user belongs to (all for admins)'),
});
const get = createRoute({ method: 'get', path: '/api/jobs/{jobId}', tags: ['jobs'], request: { params: jobParams }, responses: json(z.object({ job: jobSchema }), 'the job') });
const events = createRoute({
  method: 'get', path: '/api/jobs/{jobId}/events', tags: ['jobs'], request: { params: jobParams },
  responses: { 200: { description: 'text/event-stream of job snapshots ("job" events) until the job ends', content: { 'text/event-stream': { schema: z.string() } } }, ...errorResponses },
});
const cancel = createRoute({ method: 'post', path: '/api/jobs/{jobId}/cancel', tags: ['jobs'], request: { params: jobParams }, responses: json(z.object({ job: jobSchema }), 'the job after cancelling') });

export function registerJobRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(create, async (c) => {
    const body = c.req.valid('json');
    if (!jobKinds().includes(body.kind)) throw new CajalError('INVALID_ARGUMENT', `unknown job kind "${body.kind}"; known: ${jobKinds().join(', ')}`, { field: 'kind' });
    const target = body.recordingId ? { recordingId: body.recordingId } : body.projectId ? { projectId: body.projectId } : undefined;
    if (!target) throw new CajalError('INVALID_ARGUMENT', 'a job needs a recordingId or a projectId', { field: 'recordingId' });
    const granted = await authorize(c, target, { action: `job.create.${body.kind}`, roles: staffRoles });
    checkJobParams(body.kind, body.params);
    const job = await c.get('services').jobs.enqueue({ projectId: granted.projectId, kind: body.kind, recordingId: body.recordingId ?? null, params: body.params, createdBy: granted.user.id });
    return c.json({ job: jobOut(job) }, 200);
  });

  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const { storage } = c.get('services');
    let projectIds: string[] | undefined;
    if (query.recordingId || query.projectId) {
      const target = query.recordingId ? { recordingId: query.recordingId } : { projectId: query.projectId as string };
      const granted = await authorize(c, target, { action: 'job.list', auditOncePerWindow: true });
      if (query.projectId && granted.projectId !== query.projectId) throw new CajalError('INVALID_ARGUMENT', 'the recording is not in that project', { field: 'recordingId' });
      projectIds = [granted.projectId];
    } else {
      const user = await requireUser(c, 'job.list');
      if (user.siteRole !== 'admin') projectIds = (await storage.listProjects(user.id, false)).map((p) => p.id);
    }
    const jobs = await storage.listJobs({ ...(projectIds ? { projectIds } : {}), ...(query.recordingId ? { recordingId: query.recordingId } : {}), limit: query.limit ?? 200 });
    return c.json({ jobs: jobs.map(jobOut) }, 200);
  });

  app.openapi(get, async (c) => {
    const { jobId } = c.req.valid('param');
    await authorize(c, { jobId }, { action: 'job.read', auditOncePerWindow: true });
    const job = await c.get('services').storage.getJob(jobId);
    return c.json({ job: jobOut(job as JobRow) }, 200);
  });

  app.openapi(events, async (c) => {
    const { jobId } = c.req.valid('param');
    await authorize(c, { jobId }, { action: 'job.read', auditOncePerWindow: true });
    const { storage, jobs } = c.get('services');
    return streamSSE(c, async (stream) => {
      let resolveEnd: () => void = () => undefined;
      const ended = new Promise<void>((resolve) => {
        resolveEnd = resolve;
      });
      let last = '';
      // Called unawaited (by the subscription and the poll), so it never rejects: a write that
      // fails means the client has gone, which ends the stream.
      const send = async (job: JobRow): Promise<void> => {
        const data = JSON.stringify(jobOut(job));
        try {
          if (data !== last) {
            last = data;
            await stream.writeSSE({ event: 'job', data });
          }
        } catch {
          resolveEnd();
        }
        if (finishedStatuses.has(job.status)) resolveEnd();
      };
      const unsubscribe = jobs.subscribe(jobId, (job) => void send(job));
      stream.onAbort(() => resolveEnd());
      const current = await storage.getJob(jobId);
      if (current) await send(current);
      // A slow poll as a safety net (a missed pub/sub message must not hang the stream).
      const timer = setInterval(() => {
        void storage.getJob(jobId).then((job) => job && send(job), (error: unknown) => reportBackgroundError(`polling job ${jobId} for its event stream`, error));
      }, 2000);
      await ended;
      clearInterval(timer);
      unsubscribe();
    });
  });

  app.openapi(cancel, async (c) => {
    const { jobId } = c.req.valid('param');
    await authorize(c, { jobId }, { action: 'job.cancel', roles: staffRoles });
    const job = await c.get('services').jobs.cancel(jobId);
    return c.json({ job: jobOut(job as JobRow) }, 200);
  });
}
