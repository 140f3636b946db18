/**
 * The zod schemas of the HTTP API (see API.md); the OpenAPI document is generated from them.
 */
import { z } from '@hono/zod-openapi';
import { badChannelReasons, reviewStates } from '@cajal/core';
import { datePolicies } from '@cajal/formats';

export const idSchema = (name: string, where: 'path' | 'query' = 'path') =>
  z.string().uuid({ message: `${name} must be a UUID` }).openapi({ param: { name, in: where }, example: '0b6c3c1e-6a6f-4d55-9a52-5a1ad6f1f0b2' });

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
}).openapi('Error');

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'user']),
}).openapi('User');

export const datePolicySchema = z.enum(datePolicies);
export const projectRoleSchema = z.enum(['clinician', 'researcher', 'participant']);

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['clinician', 'researcher', 'participant', 'admin']).nullable(),
  datePolicy: datePolicySchema,
}).openapi('Project');

export const memberSchema = z.object({ userId: z.string(), email: z.string(), role: projectRoleSchema }).openapi('Member');

export const consentSchema = z.object({
  scope: z.string(),
  givenAt: z.string(),
  expiresAt: z.string().nullable(),
  recordedBy: z.string(),
  createdAt: z.string(),
}).openapi('Consent');

export const subjectSchema = z.object({ id: z.string(), code: z.string(), consent: consentSchema.nullable() }).openapi('Subject');

export const recordingSummarySchema = z.object({
  id: z.string(),
  projectId: z.string(),
  subjectId: z.string().nullable(),
  name: z.string(),
  format: z.string(),
  channelCount: z.number(),
  durationSeconds: z.number(),
  startTime: z.string().nullable(),
  sizeBytes: z.number(),
  sha256: z.string(),
  createdAt: z.string(),
  simulated: z.boolean(),
}).openapi('RecordingSummary');

/** Core's `ChannelStatus`: good, or bad with a reason (`badChannelReasons`). */
export const channelStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('good') }).strict(),
  z.object({ status: z.literal('bad'), reason: z.enum(badChannelReasons) }).strict(),
]).openapi('ChannelStatus', { example: { status: 'bad', reason: 'flat' } });

export const channelSchema = z.object({
  label: z.string(),
  unit: z.string(),
  sampleRateHz: z.number(),
  sampleCount: z.number(),
  type: z.string(),
  /** Same as `status.status === 'bad'` (kept for clients that read only the mark). */
  bad: z.boolean(),
  status: channelStatusSchema,
}).openapi('Channel');

const channelLabel = z.string().max(200);

/**
 * The bad channels of a recording, replaced whole: either labels (`{ bad: ['T3'] }`, reason
 * "marked") or core's statuses (`{ channels: [{ label: 'O2', status: { status: 'bad', reason: 'flat' } }] }`);
 * channels not listed are good.
 */
export const channelStatusInputSchema = z.union([
  z.object({ bad: z.array(channelLabel).max(4096) }).strict(),
  z.object({ channels: z.array(z.object({ label: channelLabel, status: channelStatusSchema }).strict()).max(4096) }).strict(),
]).openapi('ChannelStatusInput');

export const deidentificationSchema = z.record(z.string(), z.unknown()).openapi('DeidentificationReport');

const modelSourceSchema = z.object({
  kind: z.literal('model'),
  name: z.string().min(1).max(200),
  version: z.string().min(1).max(100),
}).strict();

/** Core's `AnnotationSource`: a file (its stored name), a person (a user id) or a model (name, version). */
export const annotationSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), file: z.string().optional() }).strict(),
  z.object({ kind: z.literal('person'), userId: z.string() }).strict(),
  modelSourceSchema,
]).openapi('AnnotationSource');

/** Core's `AnnotationReview`: the state, and the reviewer's user id and ISO time (absent while proposed). */
export const annotationReviewSchema = z.object({
  state: z.enum(reviewStates),
  reviewedBy: z.string().optional(),
  reviewedAt: z.string().optional(),
}).openapi('AnnotationReview');

/** A recording with its header (GET /api/recordings/:id). */
export const recordingDetailSchema = z.object({
  recording: recordingSummarySchema,
  header: z.object({ channels: z.array(channelSchema), segments: z.array(z.object({ onsetSeconds: z.number(), durationSeconds: z.number() })), startTime: z.string().nullable(), durationSeconds: z.number() }),
  deidentification: deidentificationSchema,
});

export const annotationSchema = z.object({
  id: z.string(),
  onsetSeconds: z.number(),
  durationSeconds: z.number(),
  text: z.string(),
  channels: z.array(z.string()).optional(),
  /** Absent for annotations stored before sources were recorded. */
  source: annotationSourceSchema.optional(),
  /** 0..1, for model annotations. */
  confidence: z.number().optional(),
  /** Absent: core's default (`reviewStateOf`: proposed for a model, else accepted). */
  review: annotationReviewSchema.optional(),
  createdBy: z.string(),
  updatedAt: z.string(),
}).openapi('Annotation');

const finite = (name: string) => z.number({ message: `${name} must be a number` }).finite();

export const annotationInputSchema = z.object({
  onsetSeconds: finite('onsetSeconds').min(0, { message: 'onsetSeconds must be >= 0' }),
  durationSeconds: finite('durationSeconds').min(0, { message: 'durationSeconds must be >= 0' }),
  text: z.string().max(10000, { message: 'text is longer than 10000 characters' }),
  channels: z.array(z.string().max(200)).max(1024).optional(),
  /** Only a model may be named; without it the source is the person calling. */
  source: modelSourceSchema.optional(),
  /** 0..1, only with a model source. */
  confidence: finite('confidence').min(0, { message: 'confidence must be in 0..1' }).max(1, { message: 'confidence must be in 0..1' }).optional(),
  /** The caller's review; the reviewer and time are the caller and now. */
  review: z.object({ state: z.enum(reviewStates) }).strict().optional(),
}).strict();

/** A change to an annotation: timing, text, channels and the review (the source and confidence stay). */
export const annotationChangeSchema = annotationInputSchema.omit({ source: true, confidence: true }).partial();

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  progress: z.object({ done: z.number(), total: z.number(), stage: z.string().optional() }),
  result: z.unknown().optional(),
  error: z.string().optional(),
  attempts: z.number(),
  recordingId: z.string().nullable(),
  projectId: z.string(),
  createdAt: z.string(),
}).openapi('Job');

/** The compressed spectral array (`@cajal/signal` computeCompressedSpectralArray): 2-s windows, dB. */
export const spectrogramSchema = z.object({
  timesSeconds: z.array(z.number()),
  frequenciesHz: z.array(z.number()),
  powerDb: z.array(z.array(z.number())),
}).openapi('Spectrogram');

export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  userId: z.string().nullable(),
  action: z.string(),
  target: z.string(),
  outcome: z.string(),
  detail: z.string().nullable(),
}).openapi('AuditEntry');

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: { description: 'invalid input', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'no valid session', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'not allowed (audited)', content: { 'application/json': { schema: errorSchema } } },
  404: { description: 'not found', content: { 'application/json': { schema: errorSchema } } },
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
