/** Sign-in, sign-out and the current user. */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { setCookie, deleteCookie } from 'hono/cookie';
import { CajalError } from '@cajal/core';
import { verifyPassword } from '../../auth/password.ts';
import { newSessionToken, sessionCookie } from '../../auth/session.ts';
import { requireUser } from '../access.ts';
import { HttpError } from '../errors.ts';
import type { AppEnv } from '../context.ts';
import { errorResponses, jsonBody, userSchema } from '../schemas.ts';
import type { User } from '../../storage/storage.ts';

/** Failed sign-ins per email: after `maxFailures` within `failureWindowMs` the email is locked for the rest of the window. */
const maxFailures = 10;
const failureWindowMs = 15 * 60 * 1000;
const failures = new Map<string, { count: number; since: number }>();

function lockedFor(email: string): number {
  const entry = failures.get(email);
  if (!entry) return 0;
  const left = entry.since + failureWindowMs - Date.now();
  if (left <= 0) {
    failures.delete(email);
    return 0;
  }
  return entry.count >= maxFailures ? left : 0;
}

function recordFailure(email: string): void {
  const entry = failures.get(email);
  if (!entry || Date.now() - entry.since > failureWindowMs) {
    if (failures.size > 100_000) failures.clear();
    failures.set(email, { count: 1, since: Date.now() });
  } else {
    entry.count += 1;
  }
}

const publicUser = (user: User) => ({ id: user.id, email: user.email, name: user.name, role: user.siteRole });

const login = createRoute({
  method: 'post', path: '/api/auth/login', tags: ['auth'],
  request: jsonBody(z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }).strict()),
  responses: { 200: { description: 'signed in; sets the session cookie', content: { 'application/json': { schema: z.object({ user: userSchema }) } } }, ...errorResponses },
});

const logout = createRoute({
  method: 'post', path: '/api/auth/logout', tags: ['auth'],
  responses: { 204: { description: 'signed out' }, ...errorResponses },
});

const me = createRoute({
  method: 'get', path: '/api/me', tags: ['auth'],
  responses: { 200: { description: 'the signed-in user', content: { 'application/json': { schema: z.object({ user: userSchema }) } } }, ...errorResponses },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(login, async (c) => {
    const { email, password } = c.req.valid('json');
    const { storage, config } = c.get('services');
    const key = email.trim().toLowerCase();
    const locked = lockedFor(key);
    if (locked > 0) {
      await storage.appendAudit({ userId: null, projectId: null, action: 'auth.login', target: `user:${key.slice(0, 320)}`, outcome: 'denied', detail: 'locked after repeated failures' });
      throw new HttpError(429, 'TOO_MANY_ATTEMPTS', `too many failed sign-ins for this email: try again in ${Math.ceil(locked / 60000)} minutes`);
    }
    const found = await storage.findUserByEmail(email);
    const ok = await verifyPassword(password, found?.passwordHash);
    if (!found || !ok) {
      recordFailure(key);
      await storage.appendAudit({ userId: found?.id ?? null, projectId: null, action: 'auth.login', target: `user:${email.toLowerCase().slice(0, 320)}`, outcome: 'denied', detail: 'wrong email or password' });
      throw new CajalError('UNAUTHENTICATED', 'wrong email or password');
    }
    failures.delete(key);
    const { token, hash } = newSessionToken();
    const expiresAt = new Date(Date.now() + config.sessionSeconds * 1000).toISOString();
    await storage.createSession(hash, found.id, expiresAt);
    await storage.appendAudit({ userId: found.id, projectId: null, action: 'auth.login', target: `user:${found.id}`, outcome: 'allowed', detail: null });
    setCookie(c, sessionCookie, token, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: config.sessionSeconds, secure: config.secureCookies });
    return c.json({ user: publicUser(found) }, 200);
  });

  app.openapi(logout, async (c) => {
    const user = await requireUser(c, 'auth.logout');
    const hash = c.get('sessionHash');
    if (hash) await c.get('services').storage.deleteSession(hash);
    await c.get('services').storage.appendAudit({ userId: user.id, projectId: null, action: 'auth.logout', target: `user:${user.id}`, outcome: 'allowed', detail: null });
    deleteCookie(c, sessionCookie, { path: '/' });
    return c.body(null, 204);
  });

  app.openapi(me, async (c) => {
    const user = await requireUser(c, 'auth.me');
    return c.json({ user: publicUser(user) }, 200);
  });
}
