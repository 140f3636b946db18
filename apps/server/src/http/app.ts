/**
 * The HTTP application: middleware (errors, content types, body limits, sessions, the
 * signed-in check), every route, the OpenAPI document and the web app.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { hashToken, sessionCookie } from '../auth/session.ts';
import type { AppEnv, ServerServices } from './context.ts';
import { forgetRecentRead } from './access.ts';
import { describeError, HttpError } from './errors.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerProjectRoutes } from './routes/projects.ts';
import { registerRecordingRoutes } from './routes/recordings.ts';
import { registerAnnotationRoutes } from './routes/annotations.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerUserRoutes } from './routes/users.ts';
import { serveWebApp } from './static.ts';

/** Routes reachable without a session. */
const publicRoutes = new Set(['/api/auth/login', '/api/openapi.json']);
const uploadPath = /^\/api\/projects\/[^/]+\/recordings\/?$/;

/**
 * Build the application on `services`.
 *
 * @example
 *   const app = createApp(services);
 *   const response = await app.request('/api/me');   // 401
 */
export function createApp(services: ServerServices): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue && issue.path.length > 0 ? issue.path.join('.') : result.target;
        throw new HttpError(400, 'INVALID_ARGUMENT', `invalid ${result.target}: ${where}: ${issue?.message ?? 'invalid value'}`);
      }
      return undefined;
    },
  });

  app.onError((error, c) => {
    const { status, code, message } = describeError(error);
    if (status >= 500) console.error(error);
    c.set('errorMessage', `${code}: ${message}`);
    return c.json({ error: { code, message } }, status as 400);
  });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  app.use('*', async (c, next) => {
    c.set('services', services);
    c.set('user', null);
    c.set('sessionHash', null);
    c.set('pendingAudit', null);
    c.set('errorMessage', null);
    // Set before the handler so they go into the response it makes. Setting a header on a
    // finished response makes @hono/node-server turn it into a full Response, which copies a
    // binary body and streams it (most of the cost of a signal page); after `next` only a
    // response made without `c` (none today) still needs them.
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    await next();
    const pending = c.get('pendingAudit');
    if (pending) {
      const failed = c.res.status >= 400;
      if (failed) forgetRecentRead(pending.userId, pending.action, pending.target);
      await services.storage.appendAudit({ ...pending, outcome: failed ? 'failed' : 'allowed', detail: failed ? (c.get('errorMessage') ?? `HTTP ${c.res.status}`).slice(0, 500) : null });
    }
    if (!c.res.headers.has('x-content-type-options')) {
      c.header('x-content-type-options', 'nosniff');
      c.header('referrer-policy', 'no-referrer');
    }
  });

  // Content types: uploads are raw bytes, everything else with a body is JSON.
  app.use('/api/*', async (c, next) => {
    const method = c.req.method;
    if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const length = c.req.header('content-length');
      const hasBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
      if (uploadPath.test(c.req.path) && method === 'POST') {
        if (type !== 'application/octet-stream') throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `upload the file as application/octet-stream, not "${type || 'no content type'}"`);
      } else if (hasBody && type !== 'application/json') {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body as application/json, not "${type || 'no content type'}"`);
      }
    }
    await next();
  });
  app.use('/api/*', async (c, next) => {
    if (uploadPath.test(c.req.path)) return next();
    return bodyLimit({
      maxSize: services.config.maxJsonBytes,
      onError: () => {
        throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than the limit of ${services.config.maxJsonBytes} bytes`);
      },
    })(c, next);
  });

  // Sessions: a valid cookie sets the user; a forged or expired one is audited and refused.
  app.use('/api/*', async (c, next) => {
    const token = getCookie(c, sessionCookie);
    if (token) {
      const hash = hashToken(token);
      const session = await services.storage.findSession(hash, new Date().toISOString());
      const user = session && (await services.storage.getUser(session.userId));
      if (user) {
        c.set('user', user);
        c.set('sessionHash', hash);
      }
    }
    if (!c.get('user') && !publicRoutes.has(c.req.path)) {
      await services.storage.appendAudit({
        userId: null, projectId: null, action: 'auth.required', target: `${c.req.method} ${c.req.path}`.slice(0, 300), outcome: 'denied',
        detail: token ? 'invalid or expired session cookie' : 'no session cookie',
      });
      throw new HttpError(401, 'UNAUTHENTICATED', token ? 'the session is invalid or has expired: sign in again' : 'sign in first: no session cookie');
    }
    await next();
  });

  registerAuthRoutes(app);
  registerProjectRoutes(app);
  registerRecordingRoutes(app);
  registerAnnotationRoutes(app);
  registerJobRoutes(app);
  registerUserRoutes(app);
  app.doc('/api/openapi.json', {
    openapi: '3.0.0',
    info: { title: 'Cajal workbench API', version: '0.1.0', description: 'See apps/server/API.md. Errors are { error: { code, message } }.' },
  });
  if (services.config.webDir) serveWebApp(app, services.config.webDir);
  return app;
}
