/** Accounts (site administrators only): list, and create with a given or generated password. */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { hashPassword, randomPassword } from '../../auth/password.ts';
import { requireAdmin } from '../access.ts';
import type { AppEnv } from '../context.ts';
import { errorResponses, jsonBody, userSchema } from '../schemas.ts';
import type { User } from '../../storage/storage.ts';

const out = (user: User) => ({ id: user.id, email: user.email, name: user.name, role: user.siteRole });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...errorResponses });

const list = createRoute({ method: 'get', path: '/api/users', tags: ['users'], responses: json(z.object({ users: z.array(userSchema) }), 'every account (admin only)') });
const create = createRoute({
  method: 'post', path: '/api/users', tags: ['users'],
  request: jsonBody(z.object({
    email: z.string().trim().toLowerCase().email({ message: 'email must be an email address' }).max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(['admin', 'user']).default('user'),
    password: z.string().min(12, { message: 'password must have at least 12 characters' }).max(1024).optional(),
  }).strict()),
  responses: json(z.object({ user: userSchema, password: z.string().optional() }), 'the new account; a generated password is returned once'),
});

export function registerUserRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    await requireAdmin(c, 'user.list');
    const users = await c.get('services').storage.listUsers();
    return c.json({ users: users.map(out) }, 200);
  });

  app.openapi(create, async (c) => {
    const admin = await requireAdmin(c, 'user.create');
    const body = c.req.valid('json');
    const { storage } = c.get('services');
    const password = body.password ?? randomPassword();
    const user = await storage.createUser({ email: body.email, name: body.name, siteRole: body.role, passwordHash: await hashPassword(password) });
    await storage.appendAudit({ userId: admin.id, projectId: null, action: 'user.create', target: `user:${user.id}`, outcome: 'allowed', detail: `role ${body.role}` });
    return c.json({ user: out(user), ...(body.password ? {} : { password }) }, 200);
  });
}
