/**
 * The database tables, as kysely types. Every id is a random text id; every time is an ISO
 * 8601 UTC string; every JSON document is text; booleans are 0/1 integers. These choices keep
 * one set of migrations and one storage implementation valid on SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  /** "admin" (site administrator) or "user". */
  site_role: string;
  created_at: string;
}

export interface SessionTable {
  /** sha256 (hex) of the session token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ProjectTable {
  id: string;
  name: string;
  /** "keep" | "year" | "shift" | "remove": how much of a recording's start date is kept. */
  date_policy: string;
  created_by: string;
  created_at: string;
}

export interface MemberTable {
  project_id: string;
  user_id: string;
  /** "clinician" | "researcher" | "participant". */
  role: string;
  created_at: string;
}

export interface SubjectTable {
  id: string;
  project_id: string;
  code: string;
  created_at: string;
}

export interface ConsentTable {
  id: string;
  subject_id: string;
  scope: string;
  given_at: string;
  expires_at: string | null;
  recorded_by: string;
  created_at: string;
}

export interface BlobTable {
  sha256: string;
  size_bytes: number;
  refcount: number;
}

export interface RecordingTable {
  id: string;
  project_id: string;
  subject_id: string | null;
  name: string;
  format: string;
  channel_count: number;
  duration_seconds: number;
  start_time: string | null;
  size_bytes: number;
  sha256: string;
  original_sha256: string;
  simulated: number;
  header_json: string;
  deidentification_json: string;
  bad_channels_json: string;
  created_by: string;
  created_at: string;
}

export interface AnnotationTable {
  id: string;
  recording_id: string;
  onset_seconds: number;
  duration_seconds: number;
  text: string;
  channels_json: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** `AnnotationSource` as JSON (migration 0002); null for rows made before it. */
  source_json: string | null;
  /** 0..1, for model annotations. */
  confidence: number | null;
  /** `ReviewState`; null: the default of core's `reviewStateOf`. */
  review_state: string | null;
  /** User id of the reviewer. */
  reviewed_by: string | null;
  /** ISO time of the review. */
  reviewed_at: string | null;
}

export interface JobTable {
  id: string;
  project_id: string;
  kind: string;
  recording_id: string | null;
  params_json: string;
  /** "queued" | "running" | "done" | "failed" | "cancelled". */
  status: string;
  progress_json: string;
  result_json: string | null;
  error: string | null;
  attempts: number;
  worker: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One row per finished job: the idempotent "visible effect" of a job (primary key job_id). */
export interface JobResultTable {
  job_id: string;
  result_json: string;
  worker: string;
  created_at: string;
}

/** Append-only: the application never updates or deletes these rows (triggers forbid it). */
export interface AuditTable {
  seq: Generated<number>;
  at: string;
  user_id: string | null;
  project_id: string | null;
  /** e.g. "recording.read", "recording.export", "annotation.update", "recording.delete". */
  action: string;
  /** What was acted on, e.g. "recording:<id>". */
  target: string;
  /** "allowed" | "denied" | "failed". */
  outcome: string;
  detail: string | null;
}

export interface Database {
  users: UserTable;
  sessions: SessionTable;
  projects: ProjectTable;
  members: MemberTable;
  subjects: SubjectTable;
  consents: ConsentTable;
  blobs: BlobTable;
  recordings: RecordingTable;
  annotations: AnnotationTable;
  jobs: JobTable;
  job_results: JobResultTable;
  audit: AuditTable;
}

/** The table names, in an order safe for snapshots and deletes (children first). */
export const tableNames = [
  'audit', 'job_results', 'jobs', 'annotations', 'recordings', 'blobs', 'consents', 'subjects', 'members', 'projects', 'sessions', 'users',
] as const satisfies ReadonlyArray<keyof Database>;
