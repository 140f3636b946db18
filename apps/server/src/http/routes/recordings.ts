/**
 * Recordings: upload (streamed, validated, de-identified), list, header, binary signal pages,
 * spectrogram, bad channels, delete.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { CajalError, badChannelEntries, withChannelStatuses } from '@cajal/core';
import type { ChannelStatus } from '@cajal/core';
import type { OpenedRecording } from '@cajal/formats';
import { chooseSpectralArrayChannels, computeCompressedSpectralArray } from '@cajal/signal';
import type { CompressedSpectralArray } from '@cajal/signal';
import { authorize, staffRoles } from '../access.ts';
import type { AppEnv } from '../context.ts';
import { HttpError } from '../errors.ts';
import { channelSchema, channelStatusInputSchema, deidentificationSchema, errorResponses, errorSchema, idSchema, jsonBody, recordingDetailSchema, recordingSummarySchema, spectrogramSchema } from '../schemas.ts';
import type { RecordingRow } from '../../storage/storage.ts';
import { checkFileName, importRecording } from '../../upload/import.ts';
import { readSignalPage } from '../../signal/page.ts';

/** The summary every listing returns (API.md RecordingSummary). */
export function summary(r: RecordingRow) {
  return {
    id: r.id, projectId: r.projectId, subjectId: r.subjectId, name: r.name, format: r.format, channelCount: r.channelCount,
    durationSeconds: r.durationSeconds, startTime: r.startTime, sizeBytes: r.sizeBytes, sha256: r.sha256, createdAt: r.createdAt, simulated: r.simulated,
  };
}

interface StoredHeader {
  startTime: string | null;
  channels: Array<{ label: string; unit: string; sampleRateHz: number; sampleCount: number; type: string }>;
  segments: Array<{ onsetSeconds: number; durationSeconds: number }>;
}

const projectParams = z.object({ projectId: idSchema('projectId') });
const recordingParams = z.object({ recordingId: idSchema('recordingId') });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...errorResponses });
const number = (name: string) => z.coerce.number({ message: `${name} must be a number` }).finite({ message: `${name} must be finite` });

const listRecordings = createRoute({ method: 'get', path: '/api/projects/{projectId}/recordings', tags: ['recordings'], request: { params: projectParams }, responses: json(z.object({ recordings: z.array(recordingSummarySchema) }), 'recordings of the project') });
const upload = createRoute({
  method: 'post', path: '/api/projects/{projectId}/recordings', tags: ['recordings'],
  description: 'Upload a recording as the raw request body (application/octet-stream), streamed to disk with a size limit. A bad file gets a 4xx and leaves nothing behind.',
  request: {
    params: projectParams,
    query: z.object({ subjectId: idSchema('subjectId', 'query').optional(), fileName: z.string().max(300) }),
    body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
  responses: {
    ...json(z.object({ recording: recordingSummarySchema, deidentification: deidentificationSchema }), 'the stored, de-identified recording'),
    413: { description: 'larger than the upload limit', content: { 'application/json': { schema: errorSchema } } },
    415: { description: 'not a recognised recording format, or not application/octet-stream', content: { 'application/json': { schema: errorSchema } } },
    422: { description: 'recognised but damaged (truncated, invalid fields)', content: { 'application/json': { schema: errorSchema } } },
  },
});
const getRecording = createRoute({
  method: 'get', path: '/api/recordings/{recordingId}', tags: ['recordings'], request: { params: recordingParams },
  responses: json(recordingDetailSchema, 'the recording with its header'),
});
const signalPage = createRoute({
  method: 'get', path: '/api/recordings/{recordingId}/signal', tags: ['recordings'],
  description: 'A binary page of samples: uint32 LE header length N, N bytes of JSON header, zero padding to 4 bytes, float32 LE samples channel after channel (API.md).',
  request: {
    params: recordingParams,
    query: z.object({
      start: number('start').min(0, { message: 'start must be >= 0' }).default(0),
      duration: number('duration').positive({ message: 'duration must be > 0' }).max(3600, { message: 'duration must be <= 3600 s' }).default(10),
      channels: z.string().max(20000).optional(),
    }),
  },
  responses: { 200: { description: 'binary signal page', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses },
});
const spectrogram = createRoute({
  method: 'get', path: '/api/recordings/{recordingId}/spectrogram', tags: ['recordings'],
  request: { params: recordingParams, query: z.object({ channel: z.string().max(200).optional() }) },
  responses: json(spectrogramSchema, 'compressed spectral array (2-s windows, dB)'),
});
const badChannels = createRoute({
  method: 'patch', path: '/api/recordings/{recordingId}/channels', tags: ['recordings'],
  request: { params: recordingParams, ...jsonBody(channelStatusInputSchema) },
  responses: json(z.object({ channels: z.array(channelSchema) }), 'channels with their statuses (and bad marks)'),
});
const download = createRoute({
  method: 'get', path: '/api/recordings/{recordingId}/file', tags: ['recordings'],
  description: 'Export: the stored (de-identified) file, as an attachment under its stored name. Clinicians and researchers; every export is audited.',
  request: { params: recordingParams },
  responses: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses },
});
const deleteRecording = createRoute({ method: 'delete', path: '/api/recordings/{recordingId}', tags: ['recordings'], request: { params: recordingParams }, responses: { 204: { description: 'deleted' }, ...errorResponses } });

/** The recording's channels with core's status (from the stored bad channels) and the `bad` mark. */
function channelsOf(r: RecordingRow) {
  const header = r.header as StoredHeader;
  const channels = header.channels.map((c) => ({ label: c.label, unit: c.unit, sampleRateHz: c.sampleRateHz, sampleCount: c.sampleCount, type: c.type }));
  return withChannelStatuses(channels, r.badChannels).map((c) => ({ ...c, bad: c.status.status === 'bad' }));
}

const spectrogramCache = new Map<string, CompressedSpectralArray>();

/** The CSA of a stored file (`@cajal/signal`), reading one channel at a time. */
function spectrogramOf(opened: OpenedRecording, channel: string | undefined): Promise<CompressedSpectralArray> {
  const picked = chooseSpectralArrayChannels(opened.header.channels, channel);
  async function* samples(): AsyncGenerator<Float32Array> {
    for (const c of picked) yield await opened.readChannel(c.label);
  }
  return computeCompressedSpectralArray(samples(), (picked[0] as (typeof picked)[number]).sampleRateHz);
}

export function registerRecordingRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listRecordings, async (c) => {
    const { projectId } = c.req.valid('param');
    await authorize(c, { projectId }, { action: 'recording.list' });
    const recordings = await c.get('services').storage.listRecordings(projectId);
    return c.json({ recordings: recordings.map(summary) }, 200);
  });

  app.openapi(upload, async (c) => {
    const { projectId } = c.req.valid('param');
    const query = c.req.valid('query');
    const { user } = await authorize(c, { projectId }, { action: 'recording.upload', roles: staffRoles });
    const services = c.get('services');
    const fileName = checkFileName(query.fileName);
    const length = Number(c.req.header('content-length') ?? NaN);
    if (Number.isFinite(length) && length > services.config.maxUploadBytes) {
      throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `the upload (${length} bytes) is larger than the limit of ${services.config.maxUploadBytes} bytes`);
    }
    let subject = null;
    if (query.subjectId) {
      subject = (await services.storage.getSubject(query.subjectId)) ?? null;
      if (!subject || subject.projectId !== projectId) throw new CajalError('NOT_FOUND', `no subject with id "${query.subjectId}" in this project`, { field: 'subjectId' });
    }
    const project = await services.storage.getProject(projectId);
    if (!project) throw new CajalError('NOT_FOUND', `no project with id "${projectId}"`);
    // A refused file is audited as a failed recording.upload (app.ts) with the reason.
    const { recording, report } = await importRecording(services, { project, subject, fileName, body: c.req.raw.body, user });
    await services.storage.appendAudit({ userId: user.id, projectId, action: 'recording.create', target: `recording:${recording.id}`, outcome: 'allowed', detail: `sha256 ${recording.sha256}` });
    return c.json({ recording: summary(recording), deidentification: report as unknown as Record<string, unknown> }, 200);
  });

  app.openapi(getRecording, async (c) => {
    const { recordingId } = c.req.valid('param');
    const { recording } = await authorize(c, { recordingId }, { action: 'recording.read' });
    const r = recording as RecordingRow;
    const header = r.header as StoredHeader;
    const segments = header.segments;
    const last = segments[segments.length - 1];
    return c.json({
      recording: summary(r),
      header: { channels: channelsOf(r), segments, startTime: header.startTime, durationSeconds: last ? last.onsetSeconds + last.durationSeconds : 0 },
      deidentification: r.deidentification as Record<string, unknown>,
    }, 200);
  });

  app.openapi(signalPage, async (c) => {
    const { recordingId } = c.req.valid('param');
    const query = c.req.valid('query');
    const { recording } = await authorize(c, { recordingId }, { action: 'recording.read_signal', auditOncePerWindow: true });
    const { blobs, openedFiles } = c.get('services');
    const channels = query.channels ? query.channels.split(',').filter((s) => s.length > 0) : [];
    const bytes = await openedFiles.with(blobs.pathOf((recording as RecordingRow).sha256), (opened) =>
      readSignalPage(opened, { startSeconds: query.start, durationSeconds: query.duration, channels }));
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/octet-stream', 'cache-control': 'private, max-age=3600' });
  });

  app.openapi(spectrogram, async (c) => {
    const { recordingId } = c.req.valid('param');
    const { channel } = c.req.valid('query');
    const { recording } = await authorize(c, { recordingId }, { action: 'recording.read_spectrogram', auditOncePerWindow: true });
    const { blobs, openedFiles } = c.get('services');
    const key = `${recordingId}:${channel ?? ''}`;
    let result = spectrogramCache.get(key);
    if (!result) {
      result = await openedFiles.with(blobs.pathOf((recording as RecordingRow).sha256), (opened) => spectrogramOf(opened, channel));
      if (spectrogramCache.size > 64) spectrogramCache.clear();
      spectrogramCache.set(key, result);
    }
    return c.json(result, 200);
  });

  app.openapi(badChannels, async (c) => {
    const { recordingId } = c.req.valid('param');
    const { recording } = await authorize(c, { recordingId }, { action: 'recording.change', roles: staffRoles });
    const body = c.req.valid('json');
    const marked: ChannelStatus = { status: 'bad', reason: 'marked' };
    const wanted = 'bad' in body ? body.bad.map((label) => ({ label, status: marked })) : body.channels;
    const r = recording as RecordingRow;
    const labels = new Set((r.header as StoredHeader).channels.map((ch) => ch.label));
    const unknown = wanted.find((w) => !labels.has(w.label));
    if (unknown !== undefined) throw new CajalError('INVALID_ARGUMENT', `no channel "${unknown.label}" in this recording`, { field: 'bad' in body ? 'bad' : 'channels' });
    const statuses = new Map(wanted.map((w) => [w.label, w.status]));
    const bad = badChannelEntries([...statuses].map(([label, status]) => ({ label, status })));
    await c.get('services').storage.setBadChannels(recordingId, bad);
    return c.json({ channels: channelsOf({ ...r, badChannels: bad }) }, 200);
  });

  app.openapi(download, async (c) => {
    const { recordingId } = c.req.valid('param');
    const { recording } = await authorize(c, { recordingId }, { action: 'recording.export', roles: staffRoles });
    const r = recording as RecordingRow;
    const handle = await open(c.get('services').blobs.pathOf(r.sha256), 'r');
    const stream = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
    return c.body(stream, 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(r.sizeBytes),
      'content-disposition': `attachment; filename="${r.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'cache-control': 'private, no-store',
    });
  });

  app.openapi(deleteRecording, async (c) => {
    const { recordingId } = c.req.valid('param');
    await authorize(c, { recordingId }, { action: 'recording.delete', roles: staffRoles });
    const { storage, blobs, openedFiles } = c.get('services');
    const removed = await storage.deleteRecording(recordingId);
    if (removed?.orphaned) {
      await openedFiles.drop(blobs.pathOf(removed.sha256));
      await blobs.remove(removed.sha256);
    }
    for (const key of spectrogramCache.keys()) if (key.startsWith(`${recordingId}:`)) spectrogramCache.delete(key);
    return c.body(null, 204);
  });
}
