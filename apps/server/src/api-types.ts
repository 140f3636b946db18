/**
 * The HTTP API's types, derived from its zod schemas (`z.infer`), for clients: the web takes
 * them with `import type { Job } from '@cajal/server/api-types'`. Types only, so importing it
 * pulls no server code into a bundle.
 *
 * @example
 *   import type { Job, JobResults } from '@cajal/server/api-types';
 *   const result = job.result as JobResults['analyze'];
 */
import type { z } from 'zod';
import type { AnalysisJson } from '@cajal/signal';
import type { AnalyzeParams } from './jobs/analyze-params.ts';
import type {
  annotationInputSchema, annotationSchema, auditEntrySchema, channelSchema, consentSchema, datePolicySchema, jobSchema, memberSchema,
  projectRoleSchema, projectSchema, recordingDetailSchema, recordingSummarySchema, spectrogramSchema, subjectSchema, userSchema,
} from './http/schemas.ts';

/** A signed-in user. */
export type User = z.infer<typeof userSchema>;
/** A project with the user's role in it. */
export type Project = z.infer<typeof projectSchema>;
/** How a project's recordings keep their dates: keep, year, shift, remove. */
export type DatePolicy = z.infer<typeof datePolicySchema>;
/** A role in a project: clinician, researcher, participant. */
export type ProjectRole = z.infer<typeof projectRoleSchema>;
/** A project member. */
export type Member = z.infer<typeof memberSchema>;
/** A consent record (ISO dates). */
export type Consent = z.infer<typeof consentSchema>;
/** A subject with its latest consent. */
export type Subject = z.infer<typeof subjectSchema>;
/** A recording as listings show it. */
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;
/** A channel of a recording's header, with its bad mark. */
export type HeaderChannel = z.infer<typeof channelSchema>;
/** A recording with its header (channels, segments, start, duration) and de-identification report. */
export type RecordingDetail = z.infer<typeof recordingDetailSchema>;
/** A stored annotation (seconds from the recording's start). */
export type Annotation = z.infer<typeof annotationSchema>;
/** What creating or editing an annotation takes. */
export type AnnotationInput = z.infer<typeof annotationInputSchema>;
/** A job with its progress, and its result once done (see {@link JobResults}). */
export type Job = z.infer<typeof jobSchema>;
/** A job's progress: done of total, with the stage. */
export type JobProgress = Job['progress'];
/** The compressed spectral array of a recording (GET /api/recordings/:id/spectrogram). */
export type Spectrogram = z.infer<typeof spectrogramSchema>;
/** An entry of a project's audit log. */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The result of each built-in job kind once it is done. */
export interface JobResults {
  /** `@cajal/signal`'s exported analysis (what `cajal analyze --json` writes, without `file`). */
  analyze: AnalysisJson;
  checksum: { digest: string; steps: number };
}

/** The params of each built-in job kind. */
export interface JobParams {
  analyze: AnalyzeParams;
  checksum: { steps?: number; stepMs?: number; text?: string };
}
