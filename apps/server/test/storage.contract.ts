/**
 * The storage contract: every Storage backend (SQLite, PostgreSQL) must pass these tests.
 * `storage.test.ts` runs them against each.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Storage } from '../src/storage/storage.ts';

const sha = (c: string): string => c.repeat(64);

export function storageContract(open: () => Promise<Storage>, close: (storage: Storage) => Promise<void>): void {
  let storage: Storage;
  beforeAll(async () => {
    storage = await open();
  });
  afterAll(async () => {
    await close(storage);
  });

  async function fixture(tag: string): Promise<{ userId: string; projectId: string }> {
    const user = await storage.createUser({ email: `${tag}@example.org`, name: tag, passwordHash: 'x', siteRole: 'user' });
    const project = await storage.createProject({ name: `p-${tag}`, datePolicy: 'year', createdBy: user.id });
    await storage.setMember(project.id, user.id, 'researcher');
    return { userId: user.id, projectId: project.id };
  }

  const recordingInput = (projectId: string, userId: string, hash: string) => ({
    projectId, subjectId: null, name: 'S01-1.edf', format: 'edf', channelCount: 2, durationSeconds: 10.5, startTime: '2020-01-01T00:00:00.000Z',
    sizeBytes: 5_000_000_000, sha256: hash, originalSha256: sha('9'), simulated: true, header: { channels: [{ label: 'Cz' }] },
    deidentification: { fields: [] }, badChannels: [], createdBy: userId,
  });

  it('stores users with case-insensitive unique emails', async () => {
    const user = await storage.createUser({ email: 'Alice@Example.org', name: 'Alice', passwordHash: 'scrypt$x', siteRole: 'admin' });
    expect((await storage.findUserByEmail('alice@example.org'))?.passwordHash).toBe('scrypt$x');
    expect(await storage.getUser(user.id)).toMatchObject({ email: 'alice@example.org', siteRole: 'admin' });
    await expect(storage.createUser({ email: 'ALICE@example.org', name: 'A2', passwordHash: 'y', siteRole: 'user' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await storage.getUser('no-such-id')).toBeUndefined();
    const listed = await storage.listUsers();
    expect(listed.find((u) => u.id === user.id)).toEqual({ id: user.id, email: 'alice@example.org', name: 'Alice', siteRole: 'admin', createdAt: user.createdAt });
    expect(JSON.stringify(listed)).not.toContain('scrypt');
  });

  it('finds sessions only before they expire and forgets deleted ones', async () => {
    const { userId } = await fixture('session');
    await storage.createSession('hash-a', userId, '2030-01-01T00:00:00.000Z');
    expect(await storage.findSession('hash-a', '2029-12-31T23:59:59.000Z')).toMatchObject({ userId });
    expect(await storage.findSession('hash-a', '2030-01-01T00:00:01.000Z')).toBeUndefined();
    await storage.deleteSession('hash-a');
    expect(await storage.findSession('hash-a', '2020-01-01T00:00:00.000Z')).toBeUndefined();
  });

  it('keeps projects, members and roles; lists only a user\'s projects unless all are asked for', async () => {
    const a = await fixture('member-a');
    const b = await fixture('member-b');
    await storage.setMember(a.projectId, b.userId, 'participant');
    expect(await storage.getMemberRole(a.projectId, b.userId)).toBe('participant');
    await storage.setMember(a.projectId, b.userId, 'clinician');
    expect(await storage.getMemberRole(a.projectId, b.userId)).toBe('clinician');
    expect(await storage.getMemberRole(b.projectId, a.userId)).toBeUndefined();
    const own = await storage.listProjects(a.userId, false);
    expect(own.map((p) => p.id)).toEqual([a.projectId]);
    expect(own[0]).toMatchObject({ role: 'researcher', datePolicy: 'year' });
    const all = await storage.listProjects(a.userId, true);
    expect(all.find((p) => p.id === b.projectId)?.role).toBeNull();
    expect((await storage.listMembers(a.projectId)).map((m) => m.role).sort()).toEqual(['clinician', 'researcher']);
  });

  it('keeps subjects with unique codes per project and their latest consent', async () => {
    const { userId, projectId } = await fixture('subject');
    const subject = await storage.createSubject(projectId, 'S01');
    await expect(storage.createSubject(projectId, 'S01')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(subject.consent).toBeNull();
    await storage.addConsent({ subjectId: subject.id, scope: 'research', givenAt: '2024-05-01', expiresAt: null, recordedBy: userId });
    const found = await storage.findSubjectByCode(projectId, 'S01');
    expect(found?.consent).toMatchObject({ scope: 'research', givenAt: '2024-05-01' });
    expect((await storage.listSubjects(projectId)).length).toBe(1);
  });

  it('stores text with SQL metacharacters and quotes verbatim', async () => {
    const { projectId } = await fixture('sql');
    const code = `x'); DROP TABLE users; --"\\%_`;
    await storage.createSubject(projectId, code);
    expect((await storage.findSubjectByCode(projectId, code))?.code).toBe(code);
    expect(await storage.findSubjectByCode(projectId, `' OR '1'='1`)).toBeUndefined();
    expect(await storage.countUsers()).toBeGreaterThan(0);
  });

  it('counts blob references: two recordings share a blob, the file is orphaned after the last delete', async () => {
    const { userId, projectId } = await fixture('blob');
    const first = await storage.insertRecording(recordingInput(projectId, userId, sha('a')), [{ onsetSeconds: 1, durationSeconds: 0, text: 'spike' }]);
    const second = await storage.insertRecording(recordingInput(projectId, userId, sha('a')), []);
    expect((await storage.listBlobs()).find((b) => b.sha256 === sha('a'))).toEqual({ sha256: sha('a'), sizeBytes: 5_000_000_000, refcount: 2 });
    expect(await storage.getRecording(first.id)).toMatchObject({ sizeBytes: 5_000_000_000, simulated: true, durationSeconds: 10.5, header: { channels: [{ label: 'Cz' }] } });
    expect(await storage.deleteRecording(first.id)).toEqual({ sha256: sha('a'), orphaned: false });
    expect(await storage.listAnnotations(first.id)).toEqual([]);
    expect(await storage.deleteRecording(second.id)).toEqual({ sha256: sha('a'), orphaned: true });
    expect((await storage.listBlobs()).some((b) => b.sha256 === sha('a'))).toBe(false);
    expect(await storage.deleteRecording(second.id)).toBeUndefined();
  });

  it('creates, lists in onset order, updates and deletes annotations; marks bad channels', async () => {
    const { userId, projectId } = await fixture('annotation');
    const rec = await storage.insertRecording(recordingInput(projectId, userId, sha('b')), [
      { onsetSeconds: 5, durationSeconds: 1, text: 'late' },
      { onsetSeconds: 2, durationSeconds: 0, text: 'early', channels: ['Cz'] },
    ]);
    const added = await storage.createAnnotation({ recordingId: rec.id, onsetSeconds: 3, durationSeconds: 0.5, text: 'mid', createdBy: userId });
    expect((await storage.listAnnotations(rec.id)).map((a) => a.text)).toEqual(['early', 'mid', 'late']);
    expect((await storage.listAnnotations(rec.id))[0]?.channels).toEqual(['Cz']);
    const updated = await storage.updateAnnotation(added.id, { text: 'edited', onsetSeconds: 9 });
    expect(updated).toMatchObject({ text: 'edited', onsetSeconds: 9, durationSeconds: 0.5 });
    expect(await storage.updateAnnotation('missing', { text: 'x' })).toBeUndefined();
    expect(await storage.deleteAnnotation(added.id)).toBe(true);
    expect(await storage.deleteAnnotation(added.id)).toBe(false);
    await storage.setBadChannels(rec.id, ['Fp1']);
    expect((await storage.getRecording(rec.id))?.badChannels).toEqual(['Fp1']);
    expect((await storage.listRecordings(projectId)).map((r) => r.id)).toEqual([rec.id]);
    await storage.setBadChannels(rec.id, [{ label: 'Fp1', reason: 'flat' }, { label: 'T3', reason: 'noisy' }]);
    expect((await storage.getRecording(rec.id))?.badChannels).toEqual([{ label: 'Fp1', reason: 'flat' }, { label: 'T3', reason: 'noisy' }]);
  });

  it('round-trips an annotation\'s source, confidence and review (file, person, model), and updates the review', async () => {
    const { userId, projectId } = await fixture('provenance');
    const rec = await storage.insertRecording(recordingInput(projectId, userId, sha('c')), [
      { onsetSeconds: 1, durationSeconds: 0, text: 'from file', source: { kind: 'file', file: 'S01-001.edf' } },
      { onsetSeconds: 2, durationSeconds: 0, text: 'legacy' },
    ]);
    const model = await storage.createAnnotation({
      recordingId: rec.id, onsetSeconds: 3, durationSeconds: 4.5, text: 'seizure', createdBy: userId,
      source: { kind: 'model', name: 'line-length', version: '1.2.0' }, confidence: 0.8125, review: { state: 'proposed' },
    });
    const person = await storage.createAnnotation({
      recordingId: rec.id, onsetSeconds: 4, durationSeconds: 0, text: 'spike', createdBy: userId,
      source: { kind: 'person', userId }, review: { state: 'accepted', reviewedBy: userId, reviewedAt: '2026-12-08T01:00:00.000Z' },
    });
    const listed = await storage.listAnnotations(rec.id);
    expect(listed.map((a) => [a.text, a.source, a.confidence, a.review])).toEqual([
      ['from file', { kind: 'file', file: 'S01-001.edf' }, undefined, undefined],
      ['legacy', undefined, undefined, undefined],
      ['seizure', { kind: 'model', name: 'line-length', version: '1.2.0' }, 0.8125, { state: 'proposed' }],
      ['spike', { kind: 'person', userId }, undefined, { state: 'accepted', reviewedBy: userId, reviewedAt: '2026-12-08T01:00:00.000Z' }],
    ]);
    expect(listed.find((a) => a.text === 'legacy')).not.toHaveProperty('source');
    expect(await storage.getAnnotation(person.id)).toEqual(person);
    const reviewed = await storage.updateAnnotation(model.id, { review: { state: 'adjusted', reviewedBy: userId, reviewedAt: '2026-12-08T02:00:00.000Z' }, durationSeconds: 3 });
    expect(reviewed).toMatchObject({ durationSeconds: 3, confidence: 0.8125, source: { kind: 'model', name: 'line-length', version: '1.2.0' }, review: { state: 'adjusted', reviewedBy: userId, reviewedAt: '2026-12-08T02:00:00.000Z' } });
    expect(await storage.getAnnotation(model.id)).toEqual(reviewed);
  });

  it('records a job result exactly once however often completion is attempted', async () => {
    const { userId, projectId } = await fixture('job');
    const job = await storage.createJob({ projectId, kind: 'checksum', recordingId: null, params: { steps: 3 }, createdBy: userId });
    expect(job).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await storage.listUnfinishedJobs()).map((j) => j.id)).toContain(job.id);
    expect((await storage.listJobs({ projectIds: [projectId] })).map((j) => j.id)).toEqual([job.id]);
    expect(await storage.listJobs({ projectIds: [] })).toEqual([]);
    expect(await storage.listJobs({ projectIds: [projectId], recordingId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    expect(await storage.claimJob(job.id, 'w1')).toMatchObject({ status: 'running', attempts: 1, worker: 'w1' });
    await storage.updateJobProgress(job.id, { done: 1, total: 3, stage: 'hashing' });
    expect((await storage.getJob(job.id))?.progress).toEqual({ done: 1, total: 3, stage: 'hashing' });
    expect(await storage.claimJob(job.id, 'w2')).toMatchObject({ attempts: 2, worker: 'w2' });
    expect(await storage.completeJob(job.id, { digest: 'abc' }, 'w2')).toBe(true);
    expect(await storage.completeJob(job.id, { digest: 'other' }, 'w1')).toBe(false);
    expect(await storage.getJob(job.id)).toMatchObject({ status: 'done', result: { digest: 'abc' }, worker: 'w2' });
    expect(await storage.countJobResults(job.id)).toBe(1);
    expect(await storage.claimJob(job.id, 'w3')).toBeUndefined();
    expect((await storage.listUnfinishedJobs()).map((j) => j.id)).not.toContain(job.id);
    const cancelled = await storage.createJob({ projectId, kind: 'checksum', recordingId: null, params: {}, createdBy: userId });
    expect((await storage.cancelJob(cancelled.id))?.status).toBe('cancelled');
    await storage.failJob(cancelled.id, 'late failure');
    expect((await storage.getJob(cancelled.id))?.status).toBe('cancelled');
  });

  it('appends audit entries, lists them newest first, and refuses to change or delete them', async () => {
    const { userId, projectId } = await fixture('audit');
    await storage.appendAudit({ userId, projectId, action: 'recording.read', target: 'recording:1', outcome: 'allowed', detail: null });
    await storage.appendAudit({ userId: null, projectId, action: 'recording.read', target: 'recording:2', outcome: 'denied', detail: 'not a member' });
    const entries = await storage.listAudit({ projectId });
    expect(entries.map((e) => e.outcome)).toEqual(['denied', 'allowed']);
    expect(entries[0]?.seq).toBeGreaterThan(entries[1]?.seq ?? Infinity);
    // The interface has no way to change the log; the database refuses direct attempts too.
    expect('updateAudit' in storage || 'deleteAudit' in storage).toBe(false);
    const db = (storage as unknown as { db: { updateTable: (t: 'audit') => { set: (v: object) => { execute: () => Promise<unknown> } }; deleteFrom: (t: 'audit') => { execute: () => Promise<unknown> } } }).db;
    await expect(db.updateTable('audit').set({ outcome: 'allowed' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit').execute()).rejects.toThrow(/append-only/);
    expect((await storage.listAudit({ projectId })).length).toBe(2);
  });

  it('counts the rows of every table', async () => {
    const counts = await storage.countRows();
    expect(Object.keys(counts).sort()).toEqual(['annotations', 'audit', 'blobs', 'consents', 'job_results', 'jobs', 'members', 'projects', 'recordings', 'sessions', 'subjects', 'users']);
    expect(counts['users']).toBeGreaterThan(0);
  });
}
