/**
 * The Storage implementation on kysely, shared by SQLite and PostgreSQL (the SQL it emits is
 * the common subset of both).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { CajalError } from '@cajal/core';
import type { BadChannelEntry } from '@cajal/core';
import { annotationChangeColumns, annotationColumns, toAnnotation } from './annotation-rows.ts';
import { openDatabase } from './connect.ts';
import { tableNames } from './schema.ts';
import type { Database, JobTable, RecordingTable } from './schema.ts';
import type {
  AnnotationChanges, AnnotationRow, AuditEntry, Consent, DatePolicy, JobProgress, JobRow, JobStatus, Member, NewAuditEntry, NewRecordingAnnotation, Project, ProjectRole,
  RecordingRow, SiteRole, Storage, Subject, User, UserWithHash,
} from './storage.ts';

const now = (): string => new Date().toISOString();

function toRecording(row: Selectable<RecordingTable>): RecordingRow {
  return {
    id: row.id,
    projectId: row.project_id,
    subjectId: row.subject_id,
    name: row.name,
    format: row.format,
    channelCount: row.channel_count,
    durationSeconds: row.duration_seconds,
    startTime: row.start_time,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    originalSha256: row.original_sha256,
    simulated: row.simulated === 1,
    header: JSON.parse(row.header_json) as unknown,
    deidentification: JSON.parse(row.deidentification_json) as unknown,
    badChannels: JSON.parse(row.bad_channels_json) as BadChannelEntry[],
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toJob(row: Selectable<JobTable>): JobRow {
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    recordingId: row.recording_id,
    params: JSON.parse(row.params_json) as unknown,
    status: row.status as JobStatus,
    progress: JSON.parse(row.progress_json) as JobProgress,
    result: row.result_json === null ? undefined : (JSON.parse(row.result_json) as unknown),
    error: row.error,
    attempts: row.attempts,
    worker: row.worker,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const finished = ['done', 'failed', 'cancelled'];

/** Storage on a kysely database (SQLite or PostgreSQL). */
export class KyselyStorage implements Storage {
  constructor(readonly db: Kysely<Database>, readonly dialect: 'sqlite' | 'postgres') {}

  async createUser(user: { email: string; name: string; passwordHash: string; siteRole: SiteRole }): Promise<User> {
    const row = { id: randomUUID(), email: user.email.toLowerCase(), name: user.name, password_hash: user.passwordHash, site_role: user.siteRole, created_at: now() };
    const existing = await this.db.selectFrom('users').select('id').where('email', '=', row.email).executeTakeFirst();
    if (existing) throw new CajalError('CONFLICT', `a user with email "${row.email}" already exists`, { field: 'email' });
    await this.db.insertInto('users').values(row).execute();
    return { id: row.id, email: row.email, name: row.name, siteRole: user.siteRole, createdAt: row.created_at };
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, email: row.email, name: row.name, siteRole: row.site_role as SiteRole, createdAt: row.created_at };
  }

  async findUserByEmail(email: string): Promise<UserWithHash | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row && { id: row.id, email: row.email, name: row.name, siteRole: row.site_role as SiteRole, createdAt: row.created_at, passwordHash: row.password_hash };
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').select(['id', 'email', 'name', 'site_role', 'created_at']).orderBy('email').execute();
    return rows.map((row) => ({ id: row.id, email: row.email, name: row.name, siteRole: row.site_role as SiteRole, createdAt: row.created_at }));
  }

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    await this.db.insertInto('sessions').values({ token_hash: tokenHash, user_id: userId, created_at: now(), expires_at: expiresAt }).execute();
  }

  async findSession(tokenHash: string, at: string): Promise<{ userId: string; createdAt: string; expiresAt: string } | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', at).executeTakeFirst();
    return row && { userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async createProject(project: { name: string; datePolicy: DatePolicy; createdBy: string }): Promise<Project> {
    const row = { id: randomUUID(), name: project.name, date_policy: project.datePolicy, created_by: project.createdBy, created_at: now() };
    await this.db.insertInto('projects').values(row).execute();
    return { id: row.id, name: row.name, datePolicy: project.datePolicy, createdBy: row.created_by, createdAt: row.created_at };
  }

  async getProject(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, datePolicy: row.date_policy as DatePolicy, createdBy: row.created_by, createdAt: row.created_at };
  }

  async listProjects(userId: string, all: boolean): Promise<Array<Project & { role: ProjectRole | null }>> {
    let query = this.db.selectFrom('projects')
      .leftJoin('members', (join) => join.onRef('members.project_id', '=', 'projects.id').on('members.user_id', '=', userId))
      .select(['projects.id', 'projects.name', 'projects.date_policy', 'projects.created_by', 'projects.created_at', 'members.role']);
    if (!all) query = query.where('members.user_id', '=', userId);
    const rows = await query.orderBy('projects.created_at').orderBy('projects.id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, datePolicy: r.date_policy as DatePolicy, createdBy: r.created_by, createdAt: r.created_at, role: (r.role ?? null) as ProjectRole | null }));
  }

  async setMember(projectId: string, userId: string, role: ProjectRole): Promise<void> {
    await this.db.insertInto('members').values({ project_id: projectId, user_id: userId, role, created_at: now() })
      .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  }

  async getMemberRole(projectId: string, userId: string): Promise<ProjectRole | undefined> {
    const row = await this.db.selectFrom('members').select('role').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
    return row?.role as ProjectRole | undefined;
  }

  async listMembers(projectId: string): Promise<Member[]> {
    const rows = await this.db.selectFrom('members').innerJoin('users', 'users.id', 'members.user_id')
      .select(['members.project_id', 'members.user_id', 'members.role', 'users.email'])
      .where('members.project_id', '=', projectId).orderBy('users.email').execute();
    return rows.map((r) => ({ projectId: r.project_id, userId: r.user_id, email: r.email, role: r.role as ProjectRole }));
  }

  async createSubject(projectId: string, code: string): Promise<Subject> {
    if (await this.findSubjectByCode(projectId, code)) throw new CajalError('CONFLICT', `subject code "${code}" is already used in this project`, { field: 'code' });
    const row = { id: randomUUID(), project_id: projectId, code, created_at: now() };
    await this.db.insertInto('subjects').values(row).execute();
    return { id: row.id, projectId, code, createdAt: row.created_at, consent: null };
  }

  private async latestConsent(subjectId: string): Promise<Consent | null> {
    const row = await this.db.selectFrom('consents').selectAll().where('subject_id', '=', subjectId).orderBy('created_at', 'desc').orderBy('id').executeTakeFirst();
    return row ? { id: row.id, subjectId: row.subject_id, scope: row.scope, givenAt: row.given_at, expiresAt: row.expires_at, recordedBy: row.recorded_by, createdAt: row.created_at } : null;
  }

  async getSubject(id: string): Promise<Subject | undefined> {
    const row = await this.db.selectFrom('subjects').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, projectId: row.project_id, code: row.code, createdAt: row.created_at, consent: await this.latestConsent(row.id) };
  }

  async findSubjectByCode(projectId: string, code: string): Promise<Subject | undefined> {
    const row = await this.db.selectFrom('subjects').select('id').where('project_id', '=', projectId).where('code', '=', code).executeTakeFirst();
    return row && this.getSubject(row.id);
  }

  async listSubjects(projectId: string): Promise<Subject[]> {
    const rows = await this.db.selectFrom('subjects').select('id').where('project_id', '=', projectId).orderBy('code').execute();
    return Promise.all(rows.map(async (r) => (await this.getSubject(r.id)) as Subject));
  }

  async addConsent(consent: Omit<Consent, 'id' | 'createdAt'>): Promise<Consent> {
    const row = { id: randomUUID(), subject_id: consent.subjectId, scope: consent.scope, given_at: consent.givenAt, expires_at: consent.expiresAt, recorded_by: consent.recordedBy, created_at: now() };
    await this.db.insertInto('consents').values(row).execute();
    return { ...consent, id: row.id, createdAt: row.created_at };
  }

  async insertRecording(recording: Omit<RecordingRow, 'id' | 'createdAt'>, annotations: NewRecordingAnnotation[]): Promise<RecordingRow> {
    const id = randomUUID();
    const createdAt = now();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('blobs').values({ sha256: recording.sha256, size_bytes: recording.sizeBytes, refcount: 1 })
        .onConflict((oc) => oc.column('sha256').doUpdateSet((eb) => ({ refcount: eb('blobs.refcount', '+', 1) })))
        .execute();
      await trx.insertInto('recordings').values({
        id, project_id: recording.projectId, subject_id: recording.subjectId, name: recording.name, format: recording.format,
        channel_count: recording.channelCount, duration_seconds: recording.durationSeconds, start_time: recording.startTime,
        size_bytes: recording.sizeBytes, sha256: recording.sha256, original_sha256: recording.originalSha256,
        simulated: recording.simulated ? 1 : 0, header_json: JSON.stringify(recording.header),
        deidentification_json: JSON.stringify(recording.deidentification), bad_channels_json: JSON.stringify(recording.badChannels),
        created_by: recording.createdBy, created_at: createdAt,
      }).execute();
      const rows = annotations.map((a) => annotationColumns({ ...a, recordingId: id, createdBy: recording.createdBy }, createdAt));
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('annotations').values(rows.slice(i, i + 500)).execute();
    });
    return { ...recording, id, createdAt };
  }

  async getRecording(id: string): Promise<RecordingRow | undefined> {
    const row = await this.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecording(row);
  }

  async listRecordings(projectId: string): Promise<RecordingRow[]> {
    const rows = await this.db.selectFrom('recordings').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecording);
  }

  async setBadChannels(id: string, bad: BadChannelEntry[]): Promise<void> {
    await this.db.updateTable('recordings').set({ bad_channels_json: JSON.stringify(bad) }).where('id', '=', id).execute();
  }

  async deleteRecording(id: string): Promise<{ sha256: string; orphaned: boolean } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('recordings').select('sha256').where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      await trx.deleteFrom('annotations').where('recording_id', '=', id).execute();
      await trx.deleteFrom('recordings').where('id', '=', id).execute();
      await trx.updateTable('blobs').set((eb) => ({ refcount: eb('refcount', '-', 1) })).where('sha256', '=', row.sha256).execute();
      const blob = await trx.selectFrom('blobs').select('refcount').where('sha256', '=', row.sha256).executeTakeFirst();
      const orphaned = !blob || blob.refcount <= 0;
      if (orphaned) await trx.deleteFrom('blobs').where('sha256', '=', row.sha256).execute();
      return { sha256: row.sha256, orphaned };
    });
  }

  async listBlobs(): Promise<Array<{ sha256: string; sizeBytes: number; refcount: number }>> {
    const rows = await this.db.selectFrom('blobs').selectAll().orderBy('sha256').execute();
    return rows.map((r) => ({ sha256: r.sha256, sizeBytes: Number(r.size_bytes), refcount: r.refcount }));
  }

  async listAnnotations(recordingId: string): Promise<AnnotationRow[]> {
    const rows = await this.db.selectFrom('annotations').selectAll().where('recording_id', '=', recordingId).orderBy('onset_seconds').orderBy('id').execute();
    return rows.map(toAnnotation);
  }

  async getAnnotation(id: string): Promise<AnnotationRow | undefined> {
    const row = await this.db.selectFrom('annotations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAnnotation(row);
  }

  async createAnnotation(annotation: Omit<AnnotationRow, 'id' | 'createdAt' | 'updatedAt'>): Promise<AnnotationRow> {
    const row = annotationColumns(annotation, now());
    await this.db.insertInto('annotations').values(row).execute();
    return toAnnotation(row);
  }

  async updateAnnotation(id: string, changes: AnnotationChanges): Promise<AnnotationRow | undefined> {
    const result = await this.db.updateTable('annotations').set(annotationChangeColumns(changes, now())).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.getAnnotation(id);
  }

  async deleteAnnotation(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('annotations').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async createJob(job: { id?: string; projectId: string; kind: string; recordingId: string | null; params: unknown; createdBy: string }): Promise<JobRow> {
    const at = now();
    const row = {
      id: job.id ?? randomUUID(), project_id: job.projectId, kind: job.kind, recording_id: job.recordingId, params_json: JSON.stringify(job.params ?? {}),
      status: 'queued', progress_json: JSON.stringify({ done: 0, total: 1 }), result_json: null, error: null, attempts: 0, worker: null,
      created_by: job.createdBy, created_at: at, updated_at: at,
    };
    await this.db.insertInto('jobs').values(row).execute();
    return toJob(row);
  }

  async getJob(id: string): Promise<JobRow | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  async listJobs(filter: { projectIds?: string[]; recordingId?: string; limit?: number }): Promise<JobRow[]> {
    if (filter.projectIds && filter.projectIds.length === 0) return [];
    let query = this.db.selectFrom('jobs').selectAll();
    if (filter.projectIds) query = query.where('project_id', 'in', filter.projectIds);
    if (filter.recordingId) query = query.where('recording_id', '=', filter.recordingId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 200).execute();
    return rows.map(toJob);
  }

  async listUnfinishedJobs(): Promise<JobRow[]> {
    const rows = await this.db.selectFrom('jobs').selectAll().where('status', 'in', ['queued', 'running']).orderBy('created_at').orderBy('id').execute();
    return rows.map(toJob);
  }

  async claimJob(id: string, worker: string): Promise<JobRow | undefined> {
    const result = await this.db.updateTable('jobs')
      .set((eb) => ({ status: 'running', worker, attempts: eb('attempts', '+', 1), updated_at: now() }))
      .where('id', '=', id).where('status', 'not in', finished).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.getJob(id);
  }

  async updateJobProgress(id: string, progress: JobProgress): Promise<void> {
    await this.db.updateTable('jobs').set({ progress_json: JSON.stringify(progress), updated_at: now() })
      .where('id', '=', id).where('status', 'not in', finished).execute();
  }

  async completeJob(id: string, result: unknown, worker: string): Promise<boolean> {
    const resultJson = JSON.stringify(result ?? null);
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('job_results').values({ job_id: id, result_json: resultJson, worker, created_at: now() })
        .onConflict((oc) => oc.column('job_id').doNothing()).executeTakeFirst();
      const first = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      if (first) {
        const job = await trx.selectFrom('jobs').select('progress_json').where('id', '=', id).executeTakeFirst();
        const progress = job ? (JSON.parse(job.progress_json) as JobProgress) : { done: 1, total: 1 };
        await trx.updateTable('jobs').set({
          status: 'done', result_json: resultJson, worker, updated_at: now(), error: null,
          progress_json: JSON.stringify({ ...progress, done: progress.total, stage: 'done' }),
        }).where('id', '=', id).where('status', '!=', 'cancelled').execute();
      }
      return first;
    });
  }

  async failJob(id: string, error: string): Promise<void> {
    await this.db.updateTable('jobs').set({ status: 'failed', error, updated_at: now() }).where('id', '=', id).where('status', 'not in', finished).execute();
  }

  async cancelJob(id: string): Promise<JobRow | undefined> {
    await this.db.updateTable('jobs').set({ status: 'cancelled', updated_at: now() }).where('id', '=', id).where('status', 'not in', finished).execute();
    return this.getJob(id);
  }

  async countJobResults(jobId: string): Promise<number> {
    const row = await this.db.selectFrom('job_results').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', jobId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    await this.db.insertInto('audit').values({
      at: entry.at ?? now(), user_id: entry.userId, project_id: entry.projectId, action: entry.action, target: entry.target,
      outcome: entry.outcome, detail: entry.detail,
    }).execute();
  }

  async listAudit(filter: { projectId?: string; limit?: number }): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit').selectAll();
    if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
    const rows = await query.orderBy('seq', 'desc').limit(Math.min(filter.limit ?? 1000, 10000)).execute();
    return rows.map((r) => ({ seq: Number(r.seq), at: r.at, userId: r.user_id, projectId: r.project_id, action: r.action, target: r.target, outcome: r.outcome as AuditEntry['outcome'], detail: r.detail }));
  }

  async countRows(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of tableNames) {
      const row = await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return counts;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * Open storage: PostgreSQL for a `postgres://` URL, else SQLite under `dataDir`.
 *
 * @example
 *   const storage = await openStorage({ dataDir: '.cajal-data' });
 */
export async function openStorage(options: { dataDir?: string; databaseUrl?: string }): Promise<KyselyStorage> {
  const { db, dialect } = await openDatabase(options);
  return new KyselyStorage(db, dialect);
}
