/**
 * The HTTP API through `app.request` (no network): sign-in and sessions, roles and membership
 * on every kind of route, the audit log (denied attempts included), upload with
 * de-identification, signal pages, the CSA, annotations, bad channels, jobs with SSE progress,
 * delete, and the OpenAPI document.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecording, makeDemoEeg } from '@cajal/core';
import { decodeSignalPage, writeEdf } from '@cajal/formats';
import { openRecordingFile, readRecordingFile } from '@cajal/formats/node';
import { analyzeRecording } from '@cajal/signal';
import type { AnalysisJson } from '@cajal/signal';
import { hashPassword } from '../src/auth/password.ts';
import { demoEdf, errorOf, makeHarness } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

interface Entry { userId: string | null; action: string; target: string; outcome: string; detail: string | null }
async function auditOf(projectId: string): Promise<Entry[]> {
  const result = await h.call('GET', `/api/projects/${projectId}/audit`, { cookie: h.cookies.admin });
  expect(result.status).toBe(200);
  return (result.body as { entries: Entry[] }).entries;
}

/** An EDF+ with identifying content: patient name, technician, a dated start, names and dates in annotations. */
function identifiableEdf(): Uint8Array {
  const demo = makeDemoEeg({ seed: 3, durationSeconds: 12 });
  return writeEdf(createRecording({
    ...demo,
    startTime: new Date(Date.UTC(2021, 2, 4, 10, 11, 12)),
    subject: { id: 'MRN12345', name: 'Jane_Doe', sex: 'female', birthDate: '1980-05-06' },
    recordingInfo: { id: 'ADM-77', technician: 'Smith', equipment: 'AmpX' },
    annotations: [
      { onsetSeconds: 1, durationSeconds: 0, text: 'Jane Doe woke up 03/04/2021' },
      { onsetSeconds: 2, durationSeconds: 1, text: 'eyes closed' },
    ],
  })).bytes;
}

describe('authentication', () => {
  it('refuses requests without a session (401, audited) and serves the OpenAPI document publicly', async () => {
    const me = await h.call('GET', '/api/me');
    expect(me.status).toBe(401);
    expect(errorOf(me)).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/sign in/) });
    const doc = await h.call('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys((doc.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/auth/login', '/api/projects/{projectId}/recordings', '/api/recordings/{recordingId}/signal', '/api/jobs/{jobId}/events', '/api/projects/{projectId}/audit']));
    const denied = await h.services.storage.listAudit({ limit: 50 });
    expect(denied.some((e) => e.action === 'auth.required' && e.outcome === 'denied' && e.target === 'GET /api/me')).toBe(true);
  });

  it('signs in with an scrypt hash into an HTTP-only SameSite=Strict cookie, and signs out', async () => {
    const stored = await h.services.storage.findUserByEmail('clinician@test.local');
    expect(stored?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored?.passwordHash).not.toContain('pw-clinician-secret');
    const wrong = await h.call('POST', '/api/auth/login', { json: { email: 'clinician@test.local', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).message).toBe('wrong email or password');
    const unknown = await h.call('POST', '/api/auth/login', { json: { email: 'nobody@test.local', password: 'nope' } });
    expect(errorOf(unknown).message).toBe('wrong email or password');
    const login = await h.call('POST', '/api/auth/login', { json: { email: 'clinician@test.local', password: 'pw-clinician-secret' } });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cajal_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0] as string;
    const me = await h.call('GET', '/api/me', { cookie });
    expect(me.body).toMatchObject({ user: { email: 'clinician@test.local', role: 'user' } });
    expect(JSON.stringify(me.body)).not.toMatch(/scrypt/);
    expect((await h.call('POST', '/api/auth/logout', { cookie })).status).toBe(204);
    expect((await h.call('GET', '/api/me', { cookie })).status).toBe(401);
    const log = await h.services.storage.listAudit({ limit: 100 });
    expect(log.some((e) => e.action === 'auth.login' && e.outcome === 'denied' && e.userId === h.userIds.clinician)).toBe(true);
  });

  it('locks an email for 15 minutes after 10 failed sign-ins, even for the right password', async () => {
    await h.services.storage.createUser({ email: 'guessed@test.local', name: 'g', passwordHash: await hashPassword('the right password'), siteRole: 'user' });
    for (let i = 0; i < 10; i++) expect((await h.call('POST', '/api/auth/login', { json: { email: 'guessed@test.local', password: `guess ${i}` } })).status).toBe(401);
    const locked = await h.call('POST', '/api/auth/login', { json: { email: 'Guessed@test.local', password: 'the right password' } });
    expect(locked.status).toBe(429);
    expect(errorOf(locked)).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'too many failed sign-ins for this email: try again in 15 minutes' });
    expect((await h.services.storage.listAudit({ limit: 1 }))[0]).toMatchObject({ action: 'auth.login', outcome: 'denied', detail: 'locked after repeated failures' });
  });
});

describe('accounts', () => {
  it('lets site administrators (only) list and create accounts; a generated password is returned once', async () => {
    expect((await h.call('GET', '/api/users', { cookie: h.cookies.researcher })).status).toBe(403);
    expect((await h.call('POST', '/api/users', { cookie: h.cookies.clinician, json: { email: 'new@test.local', name: 'New' } })).status).toBe(403);
    const made = await h.call('POST', '/api/users', { cookie: h.cookies.admin, json: { email: 'New.Person@Test.local', name: 'New Person' } });
    expect(made.body).toMatchObject({ user: { email: 'new.person@test.local', name: 'New Person', role: 'user' }, password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) });
    const password = (made.body as { password: string }).password;
    expect((await h.call('POST', '/api/auth/login', { json: { email: 'new.person@test.local', password } })).status).toBe(200);
    const again = await h.call('POST', '/api/users', { cookie: h.cookies.admin, json: { email: 'new.person@test.local', name: 'Twice', password: 'long enough password' } });
    expect(again.status).toBe(409);
    const short = await h.call('POST', '/api/users', { cookie: h.cookies.admin, json: { email: 'short@test.local', name: 'S', password: 'short' } });
    expect(errorOf(short).message).toMatch(/password must have at least 12 characters/);
    const users = (await h.call('GET', '/api/users', { cookie: h.cookies.admin })).body as { users: Array<{ email: string }> };
    expect(users.users.map((u) => u.email)).toContain('new.person@test.local');
    expect(JSON.stringify(users)).not.toMatch(/scrypt/);
  });
});

describe('roles and membership', () => {
  it('gives a non-member 403 on every project route and writes each attempt to the audit log', async () => {
    const outsider = h.cookies.outsider;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/projects/${h.projectA}/recordings`],
      ['GET', `/api/projects/${h.projectA}/subjects`],
      ['GET', `/api/projects/${h.projectA}/members`],
      ['GET', `/api/projects/${h.projectA}/audit`],
      ['POST', `/api/projects/${h.projectA}/subjects`, { code: 'X1' }],
    ];
    for (const [method, path, json] of routes) {
      const result = await h.call(method, path, { cookie: outsider, ...(json ? { json } : {}) });
      expect(result.status, `${method} ${path}`).toBe(403);
      expect(errorOf(result)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('not a member of the project') });
    }
    const entries = await auditOf(h.projectA);
    const denied = entries.filter((e) => e.userId === h.userIds.outsider && e.outcome === 'denied');
    expect(denied.map((e) => e.action).sort()).toEqual(['audit.read', 'member.list', 'recording.list', 'subject.create', 'subject.list']);
    const projects = await h.call('GET', '/api/projects', { cookie: outsider });
    expect(projects.body).toEqual({ projects: [] });
  });

  it('lets each role do what it may and no more', async () => {
    const { cookies, projectA } = h;
    // participant: reads recordings, nothing else
    expect((await h.call('GET', `/api/projects/${projectA}/recordings`, { cookie: cookies.participant })).status).toBe(200);
    expect((await h.upload(projectA, demoEdf(), 'p.edf', 'participant')).status).toBe(403);
    expect((await h.call('GET', `/api/projects/${projectA}/subjects`, { cookie: cookies.participant })).status).toBe(403);
    expect((await h.call('POST', '/api/projects', { cookie: cookies.participant, json: { name: 'mine', datePolicy: 'keep' } })).status).toBe(403);
    // clinician: subjects, audit; not membership
    expect((await h.call('GET', `/api/projects/${projectA}/audit`, { cookie: cookies.clinician })).status).toBe(200);
    expect((await h.call('POST', `/api/projects/${projectA}/members`, { cookie: cookies.clinician, json: { email: 'outsider@test.local', role: 'participant' } })).status).toBe(403);
    // researcher: members and projects; not the audit log
    expect((await h.call('GET', `/api/projects/${projectA}/audit`, { cookie: cookies.researcher })).status).toBe(403);
    const created = await h.call('POST', '/api/projects', { cookie: cookies.researcher, json: { name: 'R project', datePolicy: 'shift' } });
    expect(created.body).toMatchObject({ project: { name: 'R project', datePolicy: 'shift', role: 'researcher' } });
    const member = await h.call('POST', `/api/projects/${(created.body as { project: { id: string } }).project.id}/members`, { cookie: cookies.researcher, json: { email: 'participant@test.local', role: 'participant' } });
    expect(member.body).toMatchObject({ member: { email: 'participant@test.local', role: 'participant' } });
    // admin: everything, on any project
    expect((await h.call('GET', `/api/projects/${h.projectB}/members`, { cookie: cookies.admin })).status).toBe(200);
    const all = (await h.call('GET', '/api/projects', { cookie: cookies.admin })).body as { projects: unknown[] };
    expect(all.projects.length).toBeGreaterThanOrEqual(3);
    const log = await auditOf(projectA);
    expect(log.some((e) => e.userId === h.userIds.participant && e.action === 'recording.upload' && e.outcome === 'denied' && /role "participant"/.test(e.detail ?? ''))).toBe(true);
  });
});

describe('recordings', () => {
  let recordingId = '';
  let subjectId = '';

  it('creates a subject with a consent record', async () => {
    const result = await h.call('POST', `/api/projects/${h.projectA}/subjects`, { cookie: h.cookies.clinician, json: { code: 'S01', consent: { scope: 'clinical review and research', givenAt: '2026-11-01' } } });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ subject: { code: 'S01', consent: { scope: 'clinical review and research', givenAt: '2026-11-01', expiresAt: null, recordedBy: h.userIds.clinician } } });
    subjectId = (result.body as { subject: { id: string } }).subject.id;
    const list = await h.call('GET', `/api/projects/${h.projectA}/subjects`, { cookie: h.cookies.researcher });
    expect((list.body as { subjects: unknown[] }).subjects).toHaveLength(1);
  });

  it('uploads, validates and de-identifies an EDF+ (patient, recording, date, annotation texts, file name) with a stored report', async () => {
    const original = identifiableEdf();
    expect(Buffer.from(original).toString('latin1')).toContain('Jane_Doe');
    const result = await h.upload(h.projectA, original, 'Jane_Doe 2021-03-04 EEG.edf', 'clinician', `&subjectId=${subjectId}`);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const body = result.body as { recording: { id: string; name: string; sha256: string; startTime: string; simulated: boolean; subjectId: string }; deidentification: Record<string, unknown> };
    recordingId = body.recording.id;
    expect(body.recording).toMatchObject({ name: 'S01-001.edf', subjectId, simulated: false, startTime: '2021-01-01T10:11:12.000Z' });
    expect(body.deidentification).toMatchObject({ method: 'edf-header-rewrite', datePolicy: 'year', fileNameReplaced: true, storedName: 'S01-001.edf', consentOnRecord: true, annotationsRedacted: 1 });
    expect((body.deidentification['fields'] as Array<{ field: string }>).map((f) => f.field)).toEqual(['patient_identification', 'recording_identification', 'startdate', 'starttime']);
    const stored = Buffer.from(readFileSync(h.services.blobs.pathOf(body.recording.sha256))).toString('latin1');
    expect(stored.slice(8, 88).trim()).toBe('S01 X X X');
    expect(stored.slice(88, 168).trim()).toBe('Startdate 01-JAN-2021 X X X');
    expect(stored.slice(168, 176)).toBe('01.01.21');
    for (const secret of ['Jane', 'Doe', 'MRN12345', 'ADM-77', 'Smith', 'AmpX', '03/04/2021', '04-MAR-2021', '1980']) expect(stored).not.toContain(secret);
    const annotations = await h.call('GET', `/api/recordings/${recordingId}/annotations`, { cookie: h.cookies.participant });
    const texts = (annotations.body as { annotations: Array<{ text: string }> }).annotations.map((a) => a.text);
    expect(texts).toEqual(expect.arrayContaining(['XXXX XXX woke up XXXXXXXXXX', 'eyes closed']));
    const got = await h.call('GET', `/api/recordings/${recordingId}`, { cookie: h.cookies.participant });
    expect(got.body).toMatchObject({ recording: { id: recordingId }, header: { durationSeconds: 12, startTime: '2021-01-01T10:11:12.000Z' }, deidentification: { storedName: 'S01-001.edf' } });
    expect(JSON.stringify(got.body)).not.toMatch(/Jane|Doe|MRN12345|Smith/);
  });

  it('serves binary signal pages that match the stored file', async () => {
    const result = await h.call('GET', `/api/recordings/${recordingId}/signal?start=2&duration=5&channels=Fp1,Cz`, { cookie: h.cookies.participant });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/octet-stream');
    const header = decodeSignalPage(result.bytes);
    expect(header).toMatchObject({ startSeconds: 2, durationSeconds: 5 });
    expect(header.channels.map((c) => c.label)).toEqual(['Fp1', 'Cz']);
    const opened = await openRecordingFile(h.services.blobs.pathOf((await h.services.storage.getRecording(recordingId))!.sha256));
    try {
      for (const channel of header.channels) {
        const expected = await opened.readChannel(channel.label, { startSeconds: 2, endSeconds: 7 });
        expect(channel.samples.length).toBe(expected.length);
        expect(Array.from(channel.samples)).toEqual(Array.from(expected));
      }
    } finally {
      await opened.close();
    }
    const all = decodeSignalPage((await h.call('GET', `/api/recordings/${recordingId}/signal?start=0&duration=10`, { cookie: h.cookies.clinician })).bytes);
    expect(all.channels).toHaveLength(19);
  });

  it('computes the compressed spectral array', async () => {
    const result = await h.call('GET', `/api/recordings/${recordingId}/spectrogram`, { cookie: h.cookies.clinician });
    expect(result.status).toBe(200);
    const csa = result.body as { timesSeconds: number[]; frequenciesHz: number[]; powerDb: number[][] };
    expect(csa.timesSeconds).toEqual([0, 2, 4, 6, 8, 10]);
    expect(csa.powerDb).toHaveLength(6);
    expect(csa.powerDb[0]).toHaveLength(csa.frequenciesHz.length);
    expect(csa.powerDb.flat().every(Number.isFinite)).toBe(true);
  });

  it('adds, edits and deletes annotations (staff only) and marks bad channels', async () => {
    const made = await h.call('POST', `/api/recordings/${recordingId}/annotations`, { cookie: h.cookies.clinician, json: { onsetSeconds: 3.5, durationSeconds: 1, text: 'spike', channels: ['Cz'] } });
    expect(made.status).toBe(200);
    const id = (made.body as { annotation: { id: string } }).annotation.id;
    expect((await h.call('POST', `/api/recordings/${recordingId}/annotations`, { cookie: h.cookies.participant, json: { onsetSeconds: 1, durationSeconds: 0, text: 'x' } })).status).toBe(403);
    const edited = await h.call('PATCH', `/api/annotations/${id}`, { cookie: h.cookies.researcher, json: { text: 'sharp wave' } });
    expect(edited.body).toMatchObject({ annotation: { id, text: 'sharp wave', onsetSeconds: 3.5, channels: ['Cz'], createdBy: h.userIds.clinician } });
    expect((await h.call('DELETE', `/api/annotations/${id}`, { cookie: h.cookies.participant })).status).toBe(403);
    expect((await h.call('DELETE', `/api/annotations/${id}`, { cookie: h.cookies.clinician })).status).toBe(204);
    expect((await h.call('PATCH', `/api/annotations/${id}`, { cookie: h.cookies.clinician, json: { text: 'again' } })).status).toBe(404);
    const bad = await h.call('PATCH', `/api/recordings/${recordingId}/channels`, { cookie: h.cookies.clinician, json: { bad: ['T3'] } });
    expect((bad.body as { channels: Array<{ label: string; bad: boolean }> }).channels.filter((c) => c.bad).map((c) => c.label)).toEqual(['T3']);
    const log = await auditOf(h.projectA);
    expect(log.filter((e) => e.action === 'annotation.delete').map((e) => e.outcome).sort()).toEqual(['allowed', 'denied']);
  });

  it('records who or what made each annotation and its review; bad channels speak core\'s channel status', async () => {
    type Out = { annotation: { id: string; source?: unknown; confidence?: number; review?: { state: string; reviewedBy?: string; reviewedAt?: string } } };
    const fromFile = (await h.call('GET', `/api/recordings/${recordingId}/annotations`, { cookie: h.cookies.participant })).body as { annotations: Array<{ source?: unknown; review?: unknown }> };
    expect(fromFile.annotations.length).toBeGreaterThan(0);
    for (const a of fromFile.annotations) expect(a).toMatchObject({ source: { kind: 'file', file: 'S01-001.edf' } });
    const byPerson = await h.call('POST', `/api/recordings/${recordingId}/annotations`, { cookie: h.cookies.clinician, json: { onsetSeconds: 1, durationSeconds: 0, text: 'spike' } });
    expect(byPerson.body).toMatchObject({ annotation: { source: { kind: 'person', userId: h.userIds.clinician }, review: { state: 'accepted', reviewedBy: h.userIds.clinician } } });
    expect((byPerson.body as Out).annotation.confidence).toBeUndefined();
    const model = { kind: 'model', name: 'line-length', version: '1.2.0' };
    const byModel = await h.call('POST', `/api/recordings/${recordingId}/annotations`, { cookie: h.cookies.researcher, json: { onsetSeconds: 2, durationSeconds: 4, text: 'seizure', source: model, confidence: 0.75 } });
    expect(byModel.body).toMatchObject({ annotation: { source: model, confidence: 0.75, review: { state: 'proposed' } } });
    const modelId = (byModel.body as Out).annotation.id;
    expect((byModel.body as Out).annotation.review).toEqual({ state: 'proposed' });
    const adjusted = await h.call('PATCH', `/api/annotations/${modelId}`, { cookie: h.cookies.clinician, json: { durationSeconds: 3 } });
    expect(adjusted.body).toMatchObject({ annotation: { durationSeconds: 3, confidence: 0.75, review: { state: 'adjusted', reviewedBy: h.userIds.clinician } } });
    const rejected = await h.call('PATCH', `/api/annotations/${modelId}`, { cookie: h.cookies.researcher, json: { review: { state: 'rejected' } } });
    expect(rejected.body).toMatchObject({ annotation: { source: model, review: { state: 'rejected', reviewedBy: h.userIds.researcher } } });
    expect(Number.isNaN(Date.parse((rejected.body as Out).annotation.review?.reviewedAt ?? ''))).toBe(false);
    const refused = [
      { onsetSeconds: 0, durationSeconds: 0, text: 'x', confidence: 0.5 },
      { onsetSeconds: 0, durationSeconds: 0, text: 'x', source: model, confidence: 1.5 },
      { onsetSeconds: 0, durationSeconds: 0, text: 'x', source: { kind: 'person', userId: h.userIds.researcher } },
    ];
    for (const json of refused) expect((await h.call('POST', `/api/recordings/${recordingId}/annotations`, { cookie: h.cookies.clinician, json })).status, JSON.stringify(json)).toBe(400);
    expect((await h.call('PATCH', `/api/annotations/${modelId}`, { cookie: h.cookies.clinician, json: { source: model } })).status).toBe(400);
    const statuses = await h.call('PATCH', `/api/recordings/${recordingId}/channels`, { cookie: h.cookies.clinician, json: { channels: [{ label: 'O2', status: { status: 'bad', reason: 'flat' } }, { label: 'T3', status: { status: 'good' } }] } });
    expect(statuses.status).toBe(200);
    const channels = (statuses.body as { channels: Array<{ label: string; bad: boolean; status: unknown }> }).channels;
    expect(channels.filter((c) => c.bad).map((c) => [c.label, c.status])).toEqual([['O2', { status: 'bad', reason: 'flat' }]]);
    expect(channels.find((c) => c.label === 'T3')?.status).toEqual({ status: 'good' });
    const header = (await h.call('GET', `/api/recordings/${recordingId}`, { cookie: h.cookies.participant })).body as { header: { channels: Array<{ label: string; status: unknown }> } };
    expect(header.header.channels.find((c) => c.label === 'O2')?.status).toEqual({ status: 'bad', reason: 'flat' });
    const marked = await h.call('PATCH', `/api/recordings/${recordingId}/channels`, { cookie: h.cookies.clinician, json: { bad: ['T3'] } });
    expect((marked.body as { channels: Array<{ label: string; status: unknown }> }).channels.find((c) => c.label === 'T3')?.status).toEqual({ status: 'bad', reason: 'marked' });
  });

  it('runs a job and streams its progress as server-sent events until it ends', async () => {
    const started = await h.call('POST', '/api/jobs', { cookie: h.cookies.researcher, json: { kind: 'checksum', recordingId, params: { steps: 4, stepMs: 20 } } });
    expect(started.status).toBe(200);
    const jobId = (started.body as { job: { id: string } }).job.id;
    const events = await h.call('GET', `/api/jobs/${jobId}/events`, { cookie: h.cookies.participant });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const snapshots = new TextDecoder().decode(events.bytes).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { status: string; progress: { done: number; total: number }; result?: { digest: string } });
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    const last = snapshots[snapshots.length - 1]!;
    expect(last).toMatchObject({ status: 'done', progress: { done: 4, total: 4 } });
    expect(last.result?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.call('POST', '/api/jobs', { cookie: h.cookies.participant, json: { kind: 'checksum', recordingId } })).status).toBe(403);
    expect((await h.call('GET', `/api/jobs/${jobId}`, { cookie: h.cookies.outsider })).status).toBe(403);
    const listed = await h.call('GET', `/api/jobs?recordingId=${recordingId}`, { cookie: h.cookies.participant });
    expect((listed.body as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id)).toEqual([jobId]);
    expect(((await h.call('GET', '/api/jobs', { cookie: h.cookies.clinician })).body as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id)).toContain(jobId);
    expect((await h.call('GET', '/api/jobs', { cookie: h.cookies.outsider })).body).toEqual({ jobs: [] });
    expect((await h.call('GET', `/api/jobs?projectId=${h.projectA}`, { cookie: h.cookies.outsider })).status).toBe(403);
    const analyze = await h.call('POST', '/api/jobs', { cookie: h.cookies.clinician, json: { kind: 'analyze', recordingId } });
    const analyzeId = (analyze.body as { job: { id: string } }).job.id;
    const analyzed = new TextDecoder().decode((await h.call('GET', `/api/jobs/${analyzeId}/events`, { cookie: h.cookies.clinician })).bytes).split('\n').filter((l) => l.startsWith('data: ')).pop()!;
    // The result is @cajal/signal's AnalysisJson (what `cajal analyze --json` writes): one PSD
    // row per channel to the Nyquist frequency (the web draws it to 45 Hz), band powers per band.
    const result = (JSON.parse(analyzed.slice(6)) as { status: string; result: AnalysisJson });
    expect(result.status).toBe('done');
    expect(result.result.channels).toHaveLength(19);
    const o1 = result.result.channels.findIndex((c) => c.label === 'O1');
    expect(result.result.psd.frequencies_hz.length).toBe(result.result.psd.power[o1]!.length);
    expect(Math.max(...result.result.psd.frequencies_hz)).toBe(result.result.sample_rate_hz / 2);
    expect(Object.keys(result.result.band_powers.relative)).toEqual(expect.arrayContaining(['alpha']));
    expect(result.result.band_powers.relative['alpha']).toHaveLength(19);
    expect(result.result.features[o1]!.peak_alpha_frequency_hz).toBeGreaterThan(7);
    // The same numbers as analyzeRecording on the stored file with the job's defaults.
    const stored = await readRecordingFile(h.services.blobs.pathOf((await h.services.storage.getRecording(recordingId))!.sha256));
    const { timings_seconds: _jobTimings, ...fromJob } = result.result;
    const { timings_seconds: _timings, ...direct } = JSON.parse(JSON.stringify(await analyzeRecording(stored, { channels: 'all', previewSeconds: 0 }))) as AnalysisJson;
    expect(fromJob).toEqual(direct);
    const wrong = await h.call('POST', '/api/jobs', { cookie: h.cookies.clinician, json: { kind: 'analyze', recordingId, params: { lineFrequencyHz: 55 } } });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).message).toMatch(/^params\.lineFrequencyHz: /);
    expect(errorOf(await h.call('POST', '/api/jobs', { cookie: h.cookies.clinician, json: { kind: 'analyze', recordingId, params: { montage: 'sideways' } } })).message).toMatch(/^params\.montage: .*sideways/);
    const unknown = await h.call('POST', '/api/jobs', { cookie: h.cookies.researcher, json: { kind: 'mine-bitcoin', recordingId } });
    expect(errorOf(unknown).message).toMatch(/unknown job kind "mine-bitcoin"; known: checksum, analyze/);
  });

  it('exports the stored (de-identified) file to staff, auditing every export', async () => {
    const row = (await h.services.storage.getRecording(recordingId))!;
    expect((await h.call('GET', `/api/recordings/${recordingId}/file`, { cookie: h.cookies.participant })).status).toBe(403);
    const file = await h.call('GET', `/api/recordings/${recordingId}/file`, { cookie: h.cookies.researcher });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="S01-001.edf"');
    expect(Buffer.from(file.bytes).equals(readFileSync(h.services.blobs.pathOf(row.sha256)))).toBe(true);
    await h.call('GET', `/api/recordings/${recordingId}/file`, { cookie: h.cookies.researcher });
    const exports = (await auditOf(h.projectA)).filter((e) => e.action === 'recording.export');
    expect(exports.map((e) => `${e.outcome}:${e.userId === h.userIds.researcher ? 'researcher' : 'participant'}`).sort()).toEqual(['allowed:researcher', 'allowed:researcher', 'denied:participant']);
  });

  it('deletes a recording: rows and the stored file go, and the deletion is audited', async () => {
    const sha = (await h.services.storage.getRecording(recordingId))!.sha256;
    expect((await h.call('DELETE', `/api/recordings/${recordingId}`, { cookie: h.cookies.participant })).status).toBe(403);
    expect((await h.call('DELETE', `/api/recordings/${recordingId}`, { cookie: h.cookies.clinician })).status).toBe(204);
    expect(await h.services.storage.getRecording(recordingId)).toBeUndefined();
    expect(await h.services.blobs.has(sha)).toBe(false);
    expect((await h.call('GET', `/api/recordings/${recordingId}`, { cookie: h.cookies.clinician })).status).toBe(404);
    const log = await auditOf(h.projectA);
    expect(log.find((e) => e.action === 'recording.delete' && e.outcome === 'allowed')).toMatchObject({ userId: h.userIds.clinician, target: `recording:${recordingId}` });
  });
});
