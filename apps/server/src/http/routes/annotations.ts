/**
 * Annotations of a recording: list, add, edit, delete, with core's source, confidence and
 * review. An annotation a person adds has source = that person and is accepted by them; one
 * posted with a model source (name, version, optional confidence) is proposed. A review sent
 * with a change is recorded as the caller's, now; a change to a model's annotation without
 * one marks it adjusted by the caller.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { CajalError, reviewStateOf } from '@cajal/core';
import type { AnnotationReview, ReviewState } from '@cajal/core';
import { authorize, staffRoles } from '../access.ts';
import type { AppEnv } from '../context.ts';
import { annotationChangeSchema, annotationInputSchema, annotationSchema, errorResponses, idSchema, jsonBody } from '../schemas.ts';
import type { AnnotationRow } from '../../storage/storage.ts';

const recordingParams = z.object({ recordingId: idSchema('recordingId') });
const annotationParams = z.object({ annotationId: idSchema('annotationId') });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...errorResponses });

const out = (a: AnnotationRow) => ({
  id: a.id, onsetSeconds: a.onsetSeconds, durationSeconds: a.durationSeconds, text: a.text,
  ...(a.channels ? { channels: a.channels } : {}),
  ...(a.source ? { source: a.source } : {}),
  ...(a.confidence !== undefined ? { confidence: a.confidence } : {}),
  ...(a.review ? { review: a.review } : {}),
  createdBy: a.createdBy, updatedAt: a.updatedAt,
});

/** A review in `state` by `userId` now (a proposal has no reviewer). */
function reviewBy(state: ReviewState, userId: string): AnnotationReview {
  return state === 'proposed' ? { state } : { state, reviewedBy: userId, reviewedAt: new Date().toISOString() };
}

const list = createRoute({ method: 'get', path: '/api/recordings/{recordingId}/annotations', tags: ['annotations'], request: { params: recordingParams }, responses: json(z.object({ annotations: z.array(annotationSchema) }), 'annotations in onset order') });
const create = createRoute({ method: 'post', path: '/api/recordings/{recordingId}/annotations', tags: ['annotations'], request: { params: recordingParams, ...jsonBody(annotationInputSchema) }, responses: json(z.object({ annotation: annotationSchema }), 'the new annotation') });
const update = createRoute({ method: 'patch', path: '/api/annotations/{annotationId}', tags: ['annotations'], request: { params: annotationParams, ...jsonBody(annotationChangeSchema) }, responses: json(z.object({ annotation: annotationSchema }), 'the changed annotation') });
const remove = createRoute({ method: 'delete', path: '/api/annotations/{annotationId}', tags: ['annotations'], request: { params: annotationParams }, responses: { 204: { description: 'deleted' }, ...errorResponses } });

export function registerAnnotationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const { recordingId } = c.req.valid('param');
    await authorize(c, { recordingId }, { action: 'annotation.list', auditOncePerWindow: true });
    const annotations = await c.get('services').storage.listAnnotations(recordingId);
    return c.json({ annotations: annotations.map(out) }, 200);
  });

  app.openapi(create, async (c) => {
    const { recordingId } = c.req.valid('param');
    const { user } = await authorize(c, { recordingId }, { action: 'annotation.create', roles: staffRoles });
    const body = c.req.valid('json');
    if (body.confidence !== undefined && !body.source) throw new CajalError('INVALID_ARGUMENT', 'confidence is given only with a model source', { field: 'confidence' });
    const source = body.source ?? { kind: 'person' as const, userId: user.id };
    const annotation = await c.get('services').storage.createAnnotation({
      recordingId, onsetSeconds: body.onsetSeconds, durationSeconds: body.durationSeconds, text: body.text, createdBy: user.id,
      ...(body.channels ? { channels: body.channels } : {}),
      source,
      ...(body.confidence !== undefined ? { confidence: body.confidence } : {}),
      review: reviewBy(body.review?.state ?? reviewStateOf({ source }), user.id),
    });
    return c.json({ annotation: out(annotation) }, 200);
  });

  app.openapi(update, async (c) => {
    const { annotationId } = c.req.valid('param');
    const { user, annotation: current } = await authorize(c, { annotationId }, { action: 'annotation.update', roles: staffRoles });
    const body = c.req.valid('json');
    const changes: Parameters<typeof c.var.services.storage.updateAnnotation>[1] = {};
    if (body.onsetSeconds !== undefined) changes.onsetSeconds = body.onsetSeconds;
    if (body.durationSeconds !== undefined) changes.durationSeconds = body.durationSeconds;
    if (body.text !== undefined) changes.text = body.text;
    if (body.channels !== undefined) changes.channels = body.channels;
    if (body.review) changes.review = reviewBy(body.review.state, user.id);
    else if (Object.keys(changes).length > 0 && current?.source?.kind === 'model') changes.review = reviewBy('adjusted', user.id);
    const annotation = await c.get('services').storage.updateAnnotation(annotationId, changes);
    if (!annotation) throw new CajalError('NOT_FOUND', `no annotation with id "${annotationId}"`);
    return c.json({ annotation: out(annotation) }, 200);
  });

  app.openapi(remove, async (c) => {
    const { annotationId } = c.req.valid('param');
    await authorize(c, { annotationId }, { action: 'annotation.delete', roles: staffRoles });
    await c.get('services').storage.deleteAnnotation(annotationId);
    return c.body(null, 204);
  });
}
