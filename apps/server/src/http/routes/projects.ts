/** Projects, members, subjects with consent, and the audit log of a project. */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { CajalError } from '@cajal/core';
import { authorize, requireUser, staffRoles } from '../access.ts';
import type { AppEnv } from '../context.ts';
import { auditEntrySchema, datePolicySchema, errorResponses, idSchema, jsonBody, memberSchema, projectRoleSchema, projectSchema, subjectSchema } from '../schemas.ts';
import type { Subject } from '../../storage/storage.ts';

const params = z.object({ projectId: idSchema('projectId') });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...errorResponses });

const listProjects = createRoute({ method: 'get', path: '/api/projects', tags: ['projects'], responses: json(z.object({ projects: z.array(projectSchema) }), 'projects the user belongs to (all for admins)') });
const createProject = createRoute({
  method: 'post', path: '/api/projects', tags: ['projects'],
  request: jsonBody(z.object({ name: z.string().trim().min(1).max(200), datePolicy: datePolicySchema }).strict()),
  responses: json(z.object({ project: projectSchema }), 'the new project (the creator becomes its researcher)'),
});
const listMembers = createRoute({ method: 'get', path: '/api/projects/{projectId}/members', tags: ['projects'], request: { params }, responses: json(z.object({ members: z.array(memberSchema) }), 'members') });
const addMember = createRoute({
  method: 'post', path: '/api/projects/{projectId}/members', tags: ['projects'],
  request: { params, ...jsonBody(z.object({ email: z.string().min(3).max(320), role: projectRoleSchema }).strict()) },
  responses: json(z.object({ member: memberSchema }), 'the member (added or role changed)'),
});
const listSubjects = createRoute({ method: 'get', path: '/api/projects/{projectId}/subjects', tags: ['subjects'], request: { params }, responses: json(z.object({ subjects: z.array(subjectSchema) }), 'subjects with their latest consent') });
const consentInput = z.object({ scope: z.string().min(1).max(500), givenAt: z.string().min(4).max(40), expiresAt: z.string().max(40).optional() }).strict();
const createSubject = createRoute({
  method: 'post', path: '/api/projects/{projectId}/subjects', tags: ['subjects'],
  request: { params, ...jsonBody(z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'code must be 1-40 letters, digits, "-" or "_" (a pseudonym, never a name)' }), consent: consentInput.optional() }).strict()) },
  responses: json(z.object({ subject: subjectSchema }), 'the new subject'),
});
const listAudit = createRoute({
  method: 'get', path: '/api/projects/{projectId}/audit', tags: ['audit'],
  request: { params, query: z.object({ limit: z.coerce.number().int().min(1).max(10000).optional() }) },
  responses: json(z.object({ entries: z.array(auditEntrySchema) }), 'audit entries, newest first (admin or project clinician)'),
});

const subjectOut = (s: Subject) => ({
  id: s.id, code: s.code,
  consent: s.consent && { scope: s.consent.scope, givenAt: s.consent.givenAt, expiresAt: s.consent.expiresAt, recordedBy: s.consent.recordedBy, createdAt: s.consent.createdAt },
});

export function registerProjectRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listProjects, async (c) => {
    const user = await requireUser(c, 'project.list');
    const projects = await c.get('services').storage.listProjects(user.id, user.siteRole === 'admin');
    return c.json({ projects: projects.map((p) => ({ id: p.id, name: p.name, datePolicy: p.datePolicy, role: p.role ?? (user.siteRole === 'admin' ? 'admin' as const : null) })) }, 200);
  });

  app.openapi(createProject, async (c) => {
    const user = await requireUser(c, 'project.create');
    const { storage } = c.get('services');
    // Admins, and users who are researchers somewhere, may start projects.
    const mine = await storage.listProjects(user.id, false);
    if (user.siteRole !== 'admin' && !mine.some((p) => p.role === 'researcher')) {
      await storage.appendAudit({ userId: user.id, projectId: null, action: 'project.create', target: 'projects', outcome: 'denied', detail: 'needs admin or researcher' });
      throw new CajalError('FORBIDDEN', 'creating a project needs a site administrator or a researcher');
    }
    const body = c.req.valid('json');
    const project = await storage.createProject({ name: body.name, datePolicy: body.datePolicy, createdBy: user.id });
    await storage.setMember(project.id, user.id, 'researcher');
    await storage.appendAudit({ userId: user.id, projectId: project.id, action: 'project.create', target: `project:${project.id}`, outcome: 'allowed', detail: null });
    return c.json({ project: { id: project.id, name: project.name, datePolicy: project.datePolicy, role: 'researcher' as const } }, 200);
  });

  app.openapi(listMembers, async (c) => {
    const { projectId } = c.req.valid('param');
    await authorize(c, { projectId }, { action: 'member.list', roles: staffRoles });
    const members = await c.get('services').storage.listMembers(projectId);
    return c.json({ members: members.map((m) => ({ userId: m.userId, email: m.email, role: m.role })) }, 200);
  });

  app.openapi(addMember, async (c) => {
    const { projectId } = c.req.valid('param');
    await authorize(c, { projectId }, { action: 'member.change', roles: ['researcher'] });
    const body = c.req.valid('json');
    const { storage } = c.get('services');
    const user = await storage.findUserByEmail(body.email);
    if (!user) throw new CajalError('NOT_FOUND', `no user with email "${body.email}"`, { field: 'email' });
    await storage.setMember(projectId, user.id, body.role);
    return c.json({ member: { userId: user.id, email: user.email, role: body.role } }, 200);
  });

  app.openapi(listSubjects, async (c) => {
    const { projectId } = c.req.valid('param');
    await authorize(c, { projectId }, { action: 'subject.list', roles: staffRoles });
    const subjects = await c.get('services').storage.listSubjects(projectId);
    return c.json({ subjects: subjects.map(subjectOut) }, 200);
  });

  app.openapi(createSubject, async (c) => {
    const { projectId } = c.req.valid('param');
    const { user } = await authorize(c, { projectId }, { action: 'subject.create', roles: staffRoles });
    const body = c.req.valid('json');
    const { storage } = c.get('services');
    const subject = await storage.createSubject(projectId, body.code);
    if (body.consent) {
      await storage.addConsent({ subjectId: subject.id, scope: body.consent.scope, givenAt: body.consent.givenAt, expiresAt: body.consent.expiresAt ?? null, recordedBy: user.id });
    }
    return c.json({ subject: subjectOut((await storage.getSubject(subject.id)) as Subject) }, 200);
  });

  app.openapi(listAudit, async (c) => {
    const { projectId } = c.req.valid('param');
    await authorize(c, { projectId }, { action: 'audit.read', roles: ['clinician'] });
    const entries = await c.get('services').storage.listAudit({ projectId, limit: c.req.valid('query').limit ?? 1000 });
    return c.json({ entries: entries.map((e) => ({ seq: e.seq, at: e.at, userId: e.userId, action: e.action, target: e.target, outcome: e.outcome, detail: e.detail })) }, 200);
  });
}
