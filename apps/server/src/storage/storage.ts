/**
 * The storage interface: every read and write the server makes goes through it, and one
 * contract suite (test/storage.contract.ts) runs against each backend. The audit log has only
 * `appendAudit` and `listAudit`: there is no way to change or remove an entry.
 */
import type { AnnotationProvenance, BadChannelEntry } from '@cajal/core';
import type { DatePolicy } from '@cajal/formats';

/** A project's date policy (defined with de-identification in `@cajal/formats`). */
export type { DatePolicy } from '@cajal/formats';
export type SiteRole = 'admin' | 'user';
export type ProjectRole = 'clinician' | 'researcher' | 'participant';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface User {
  id: string;
  email: string;
  name: string;
  siteRole: SiteRole;
  createdAt: string;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

export interface Session {
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface Project {
  id: string;
  name: string;
  datePolicy: DatePolicy;
  createdBy: string;
  createdAt: string;
}

export interface Member {
  projectId: string;
  userId: string;
  email: string;
  role: ProjectRole;
}

export interface Consent {
  id: string;
  subjectId: string;
  scope: string;
  givenAt: string;
  expiresAt: string | null;
  recordedBy: string;
  createdAt: string;
}

export interface Subject {
  id: string;
  projectId: string;
  code: string;
  createdAt: string;
  consent: Consent | null;
}

export interface RecordingRow {
  id: string;
  projectId: string;
  subjectId: string | null;
  name: string;
  format: string;
  channelCount: number;
  durationSeconds: number;
  startTime: string | null;
  sizeBytes: number;
  sha256: string;
  originalSha256: string;
  simulated: boolean;
  /** The header as JSON-safe data (channels, segments, ...). */
  header: unknown;
  deidentification: unknown;
  /** Bad channels as stored (core's `BadChannelEntry`: `{ label, reason }`, or a bare label = reason "marked"). */
  badChannels: BadChannelEntry[];
  createdBy: string;
  createdAt: string;
}

/**
 * A stored annotation: core's `Annotation` fields (with its source, confidence and review,
 * optional: rows from before they were recorded have none) plus who stored it and when.
 */
export interface AnnotationRow extends AnnotationProvenance {
  id: string;
  recordingId: string;
  onsetSeconds: number;
  durationSeconds: number;
  text: string;
  channels?: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** An annotation stored with a new recording (read from its file). */
export type NewRecordingAnnotation = Pick<AnnotationRow, 'onsetSeconds' | 'durationSeconds' | 'text' | 'channels' | 'source' | 'confidence' | 'review'>;

/** What `updateAnnotation` may change: timing, text, channels and the review. */
export type AnnotationChanges = Partial<Pick<AnnotationRow, 'onsetSeconds' | 'durationSeconds' | 'text' | 'channels' | 'review'>>;

export interface JobProgress {
  done: number;
  total: number;
  stage?: string;
}

export interface JobRow {
  id: string;
  projectId: string;
  kind: string;
  recordingId: string | null;
  params: unknown;
  status: JobStatus;
  progress: JobProgress;
  result: unknown;
  error: string | null;
  attempts: number;
  worker: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  userId: string | null;
  projectId: string | null;
  action: string;
  target: string;
  outcome: 'allowed' | 'denied' | 'failed';
  detail: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at'> & { at?: string };

export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';

  createUser(user: { email: string; name: string; passwordHash: string; siteRole: SiteRole }): Promise<User>;
  getUser(id: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<UserWithHash | undefined>;
  countUsers(): Promise<number>;
  /** Every account (no hashes), by email. */
  listUsers(): Promise<User[]>;

  createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void>;
  /** The session, or undefined when missing or expired at `now` (ISO). */
  findSession(tokenHash: string, now: string): Promise<Session | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

  createProject(project: { name: string; datePolicy: DatePolicy; createdBy: string }): Promise<Project>;
  getProject(id: string): Promise<Project | undefined>;
  /** Projects with the user's role; `all` lists every project (for site admins). */
  listProjects(userId: string, all: boolean): Promise<Array<Project & { role: ProjectRole | null }>>;
  /** Add or change a member's role. */
  setMember(projectId: string, userId: string, role: ProjectRole): Promise<void>;
  getMemberRole(projectId: string, userId: string): Promise<ProjectRole | undefined>;
  listMembers(projectId: string): Promise<Member[]>;

  createSubject(projectId: string, code: string): Promise<Subject>;
  getSubject(id: string): Promise<Subject | undefined>;
  findSubjectByCode(projectId: string, code: string): Promise<Subject | undefined>;
  listSubjects(projectId: string): Promise<Subject[]>;
  addConsent(consent: Omit<Consent, 'id' | 'createdAt'>): Promise<Consent>;

  /**
   * Insert a recording and take a reference on its blob (created with refcount 1 when new),
   * with its annotations, in one transaction.
   */
  insertRecording(recording: Omit<RecordingRow, 'id' | 'createdAt'>, annotations: NewRecordingAnnotation[]): Promise<RecordingRow>;
  getRecording(id: string): Promise<RecordingRow | undefined>;
  listRecordings(projectId: string): Promise<RecordingRow[]>;
  /** Replace the recording's bad channels (the stored form of core's channel statuses). */
  setBadChannels(id: string, bad: BadChannelEntry[]): Promise<void>;
  /**
   * Delete a recording, its annotations and its blob reference. Returns the blob's sha256 and
   * whether no reference is left (the caller then removes the stored file).
   */
  deleteRecording(id: string): Promise<{ sha256: string; orphaned: boolean } | undefined>;
  /** Blob rows (sha256 -> refcount), for checks. */
  listBlobs(): Promise<Array<{ sha256: string; sizeBytes: number; refcount: number }>>;

  listAnnotations(recordingId: string): Promise<AnnotationRow[]>;
  getAnnotation(id: string): Promise<AnnotationRow | undefined>;
  createAnnotation(annotation: Omit<AnnotationRow, 'id' | 'createdAt' | 'updatedAt'>): Promise<AnnotationRow>;
  updateAnnotation(id: string, changes: AnnotationChanges): Promise<AnnotationRow | undefined>;
  deleteAnnotation(id: string): Promise<boolean>;

  createJob(job: { id?: string; projectId: string; kind: string; recordingId: string | null; params: unknown; createdBy: string }): Promise<JobRow>;
  getJob(id: string): Promise<JobRow | undefined>;
  /**
   * Jobs newest first, filtered by project ids (an empty list matches nothing; absent: all
   * projects) and recording; at most `limit` (default 200).
   */
  listJobs(filter: { projectIds?: string[]; recordingId?: string; limit?: number }): Promise<JobRow[]>;
  /** Jobs still queued or running (to resume after a restart), oldest first. */
  listUnfinishedJobs(): Promise<JobRow[]>;
  /**
   * Mark a job running on `worker` and count the attempt. Returns undefined (and changes
   * nothing) when the job is already done, failed or cancelled.
   */
  claimJob(id: string, worker: string): Promise<JobRow | undefined>;
  updateJobProgress(id: string, progress: JobProgress): Promise<void>;
  /**
   * Record a job's result, idempotently: the first call wins, later calls (a retried job)
   * change nothing and return false.
   */
  completeJob(id: string, result: unknown, worker: string): Promise<boolean>;
  failJob(id: string, error: string): Promise<void>;
  /** Cancel unless already finished; returns the job. */
  cancelJob(id: string): Promise<JobRow | undefined>;
  countJobResults(jobId: string): Promise<number>;

  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(filter: { projectId?: string; limit?: number }): Promise<AuditEntry[]>;

  /** Row count of every table (for before/after snapshots). */
  countRows(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
