/**
 * Hostile input: malformed or malicious uploads and API calls. Each must get a 4xx with a
 * clear message (a stable code and a sentence naming what was wrong), and afterwards every
 * table except the audit log holds exactly the rows it held before, the file store holds
 * exactly the same files (no blob, no temp file left), and the audit log only gained entries
 * recording denied or failed attempts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWith } from '@cajal/core/testing';
import { demoEdf, errorOf, makeHarness } from './harness.ts';
import type { CallResult, Harness } from './harness.ts';
import { malformed, validEdf } from './hostile-cases.ts';
import { createScratchDatabase, postgresAnswers, postgresUrl } from './services.ts';

const limit = 2 * 1024 * 1024;
let h: Harness;
let recordingA = '';
let recordingB = '';
let annotationB = '';
let subjectB = '';
let initialRows: Record<string, number> = {};

async function snapshot(): Promise<{ rows: Record<string, number>; files: string[]; audit: number }> {
  const { audit, ...rows } = await h.services.storage.countRows();
  return { rows, files: h.services.blobs.listFiles(), audit: audit ?? 0 };
}

/** A body that streams `total` bytes in 64 KiB chunks without announcing its length. */
function streamOf(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(65536, total - sent)).fill(0x20);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** A body that sends half a valid file, then fails (the client went away). */
function brokenStream(): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new Error('connection reset by peer'));
      sent = true;
      controller.enqueue(validEdf.slice(0, validEdf.length >> 1));
    },
  });
}

const octet = 'application/octet-stream';
const sql = "1' OR '1'='1'; DROP TABLE recordings; --";

interface Case {
  name: string;
  run: () => Promise<CallResult>;
  status: number;
  code: string;
  message: RegExp;
}

const cases: Case[] = [
  // Uploads: damaged or wrong files
  { name: 'truncated EDF (last record cut)', run: () => h.upload(h.projectA, malformed['truncatedData']!.bytes, 'cut.edf'), status: 422, code: 'FORMAT_TRUNCATED', message: /truncated: number_of_data_records says 10, the file holds only 9/ },
  { name: 'EDF cut inside the fixed header', run: () => h.upload(h.projectA, malformed['truncatedHeader']!.bytes, 'cut-header.edf'), status: 422, code: 'FORMAT_TRUNCATED', message: /file ends after 200 bytes, but header needs 256/ },
  { name: 'EDF cut inside the signal headers', run: () => h.upload(h.projectA, malformed['truncatedSignalHeaders']!.bytes, 'cut-signals.edf'), status: 422, code: 'FORMAT_TRUNCATED', message: /needs a \d+-byte header, but the file has 556 bytes/ },
  { name: 'a PNG named .edf', run: () => h.upload(h.projectA, malformed['png']!.bytes, 'scan.edf'), status: 422, code: 'FORMAT_INVALID_FIELD', message: /number_of_signals is .*not a number/ },
  { name: 'a PNG', run: () => h.upload(h.projectA, malformed['pngNamedPng']!.bytes, 'scan.png'), status: 415, code: 'FORMAT_UNKNOWN', message: /cannot tell the format of scan.png: not EDF, BDF, BrainVision or NIfTI/ },
  { name: 'a text file', run: () => h.upload(h.projectA, malformed['text']!.bytes, 'notes.txt'), status: 415, code: 'FORMAT_UNKNOWN', message: /cannot tell the format of notes.txt/ },
  { name: 'header claiming 99,999,999 records (~1 TB)', run: () => h.upload(h.projectA, malformed['claimsTerabyte']!.bytes, 'huge.edf'), status: 422, code: 'FORMAT_TRUNCATED', message: /number_of_data_records says 99999999, the file holds only 10/ },
  { name: 'zero signals', run: () => h.upload(h.projectA, malformed['noSignals']!.bytes, 'empty.edf'), status: 422, code: 'FORMAT_INVALID_FIELD', message: /number_of_signals is 0/ },
  { name: '9999 signals claimed', run: () => h.upload(h.projectA, malformed['tooManySignals']!.bytes, 'many.edf'), status: 422, code: 'FORMAT_TRUNCATED', message: /number_of_signals is 9999/ },
  { name: 'a garbled number in a signal header', run: () => h.upload(h.projectA, malformed['garbledNumber']!.bytes, 'garbled.edf'), status: 422, code: 'FORMAT_INVALID_FIELD', message: /samples_per_record\[0\] is "abc", not a number/ },
  { name: 'negative record duration', run: () => h.upload(h.projectA, malformed['negativeRecordDuration']!.bytes, 'neg.edf'), status: 422, code: 'FORMAT_INVALID_FIELD', message: /duration_of_data_record is -1 s/ },
  // Uploads: size
  { name: 'larger than the limit (Content-Length)', run: () => h.upload(h.projectA, new Uint8Array(limit + 1), 'big.edf'), status: 413, code: 'PAYLOAD_TOO_LARGE', message: /larger than the limit of 2097152 bytes/ },
  { name: 'larger than the limit, streamed without a length', run: () => h.call('POST', `/api/projects/${h.projectA}/recordings?fileName=big.edf`, { cookie: h.cookies.clinician, body: streamOf(limit + 70000), contentType: octet }), status: 413, code: 'PAYLOAD_TOO_LARGE', message: /larger than the limit of 2097152 bytes/ },
  { name: 'Content-Length claiming 1 TB', run: () => h.call('POST', `/api/projects/${h.projectA}/recordings?fileName=tb.edf`, { cookie: h.cookies.clinician, body: validEdf as Uint8Array<ArrayBuffer>, contentType: octet, headers: { 'content-length': String(2 ** 40) } }), status: 413, code: 'PAYLOAD_TOO_LARGE', message: /\(1099511627776 bytes\) is larger than the limit/ },
  { name: 'upload interrupted mid-stream', run: () => h.call('POST', `/api/projects/${h.projectA}/recordings?fileName=half.edf`, { cookie: h.cookies.clinician, body: brokenStream(), contentType: octet }), status: 400, code: 'UPLOAD_ABORTED', message: /the upload was interrupted after \d+ bytes: connection reset by peer/ },
  { name: 'empty upload', run: () => h.upload(h.projectA, new Uint8Array(0), 'empty.edf'), status: 400, code: 'EMPTY_UPLOAD', message: /the upload is empty/ },
  { name: 'multipart instead of raw bytes', run: () => h.call('POST', `/api/projects/${h.projectA}/recordings?fileName=a.edf`, { cookie: h.cookies.clinician, body: '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /upload the file as application\/octet-stream, not "multipart\/form-data"/ },
  // Uploads: names
  { name: 'path traversal in the file name', run: () => h.upload(h.projectA, validEdf, '../../etc/passwd.edf'), status: 400, code: 'INVALID_FILE_NAME', message: /must be a plain file name: no folders, "\.\."/ },
  { name: 'Windows path in the file name', run: () => h.upload(h.projectA, validEdf, 'C:\\Windows\\system32\\x.edf'), status: 400, code: 'INVALID_FILE_NAME', message: /must be a plain file name/ },
  { name: 'NUL byte in the file name', run: () => h.upload(h.projectA, validEdf, 'x.edf\u0000.png'), status: 400, code: 'INVALID_FILE_NAME', message: /"x\.edf\?\.png" must be a plain file name/ },
  { name: 'hidden file name', run: () => h.upload(h.projectA, validEdf, '.htaccess'), status: 400, code: 'INVALID_FILE_NAME', message: /leading dot/ },
  { name: '256-character file name', run: () => h.upload(h.projectA, validEdf, `${'a'.repeat(252)}.edf`), status: 400, code: 'INVALID_FILE_NAME', message: /fileName must be 1-255 characters, got 256/ },
  { name: 'no file name', run: () => h.call('POST', `/api/projects/${h.projectA}/recordings`, { cookie: h.cookies.clinician, body: validEdf as Uint8Array<ArrayBuffer>, contentType: octet }), status: 400, code: 'INVALID_ARGUMENT', message: /invalid query: fileName/ },
  // Sessions
  { name: 'upload without a session', run: () => h.call('POST', `/api/projects/${h.projectA}/recordings?fileName=a.edf`, { body: validEdf as Uint8Array<ArrayBuffer>, contentType: octet }), status: 401, code: 'UNAUTHENTICATED', message: /sign in first: no session cookie/ },
  { name: 'forged session cookie', run: () => h.call('GET', `/api/projects/${h.projectA}/recordings`, { cookie: `cajal_session=${'A'.repeat(43)}` }), status: 401, code: 'UNAUTHENTICATED', message: /session is invalid or has expired/ },
  { name: 'session cookie of another format', run: () => h.call('DELETE', `/api/recordings/${recordingA}`, { cookie: `cajal_session=${encodeURIComponent(sql)}` }), status: 401, code: 'UNAUTHENTICATED', message: /session is invalid/ },
  // Another project's ids
  { name: "upload into another project", run: () => h.upload(h.projectB, validEdf, 'x.edf'), status: 403, code: 'FORBIDDEN', message: /not a member of the project \(recording.upload on project:/ },
  { name: "another project's subject", run: () => h.upload(h.projectA, validEdf, 'x.edf', 'clinician', `&subjectId=${subjectB}`), status: 404, code: 'NOT_FOUND', message: /no subject with id ".*" in this project/ },
  { name: "read another project's recording", run: () => h.call('GET', `/api/recordings/${recordingB}/signal?start=0&duration=10`, { cookie: h.cookies.clinician }), status: 403, code: 'FORBIDDEN', message: /not a member/ },
  { name: "delete another project's recording", run: () => h.call('DELETE', `/api/recordings/${recordingB}`, { cookie: h.cookies.clinician }), status: 403, code: 'FORBIDDEN', message: /recording.delete on recording:/ },
  { name: "edit another project's annotation", run: () => h.call('PATCH', `/api/annotations/${annotationB}`, { cookie: h.cookies.researcher, json: { text: 'mine now' } }), status: 403, code: 'FORBIDDEN', message: /annotation.update on annotation:/ },
  { name: "add oneself to another project", run: () => h.call('POST', `/api/projects/${h.projectB}/members`, { cookie: h.cookies.researcher, json: { email: 'researcher@test.local', role: 'researcher' } }), status: 403, code: 'FORBIDDEN', message: /not a member/ },
  { name: "a job on another project's recording", run: () => h.call('POST', '/api/jobs', { cookie: h.cookies.researcher, json: { kind: 'checksum', recordingId: recordingB } }), status: 403, code: 'FORBIDDEN', message: /job.create.checksum/ },
  // SQL metacharacters and malformed requests
  { name: 'SQL in a path id', run: () => h.call('GET', `/api/projects/${encodeURIComponent(sql)}/recordings`, { cookie: h.cookies.admin }), status: 400, code: 'INVALID_ARGUMENT', message: /projectId must be a UUID/ },
  { name: 'SQL in the sign-in email', run: () => h.call('POST', '/api/auth/login', { json: { email: sql, password: sql } }), status: 401, code: 'UNAUTHENTICATED', message: /wrong email or password/ },
  { name: 'SQL in a channel list', run: () => h.call('GET', `/api/recordings/${recordingA}/signal?channels=${encodeURIComponent(sql)}`, { cookie: h.cookies.clinician }), status: 404, code: 'NOT_FOUND', message: /no channel "1' OR/ },
  { name: 'SQL in a member email', run: () => h.call('POST', `/api/projects/${h.projectA}/members`, { cookie: h.cookies.researcher, json: { email: sql, role: 'participant' } }), status: 404, code: 'NOT_FOUND', message: /no user with email/ },
  { name: 'unknown recording id', run: () => h.call('GET', '/api/recordings/00000000-0000-4000-8000-000000000000', { cookie: h.cookies.admin }), status: 404, code: 'NOT_FOUND', message: /no recording with id/ },
  { name: 'malformed JSON', run: () => h.call('POST', `/api/recordings/${recordingA}/annotations`, { cookie: h.cookies.clinician, body: '{"onsetSeconds": 1,', contentType: 'application/json' }), status: 400, code: 'BAD_REQUEST', message: /JSON/i },
  { name: 'JSON with wrong types', run: () => h.call('POST', `/api/recordings/${recordingA}/annotations`, { cookie: h.cookies.clinician, json: { onsetSeconds: '1; DROP TABLE annotations', durationSeconds: 0, text: 'x' } }), status: 400, code: 'INVALID_ARGUMENT', message: /invalid json: onsetSeconds/ },
  { name: 'JSON with an unknown field', run: () => h.call('POST', '/api/projects', { cookie: h.cookies.researcher, json: { name: 'x', datePolicy: 'keep', owner: 'admin' } }), status: 400, code: 'INVALID_ARGUMENT', message: /invalid json/ },
  { name: 'JSON body over the limit', run: () => h.call('POST', `/api/recordings/${recordingA}/annotations`, { cookie: h.cookies.clinician, json: { onsetSeconds: 1, durationSeconds: 0, text: 'x'.repeat(70 * 1024) }, headers: { 'content-length': String(70 * 1024 + 60) } }), status: 413, code: 'PAYLOAD_TOO_LARGE', message: /larger than the limit of 65536 bytes/ },
  { name: 'JSON sent as text/plain', run: () => h.call('POST', `/api/recordings/${recordingA}/annotations`, { cookie: h.cookies.clinician, body: '{}', contentType: 'text/plain', headers: { 'content-length': '2' } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /send the body as application\/json, not "text\/plain"/ },
  { name: 'negative page start', run: () => h.call('GET', `/api/recordings/${recordingA}/signal?start=-5`, { cookie: h.cookies.clinician }), status: 400, code: 'INVALID_ARGUMENT', message: /start must be >= 0/ },
  { name: 'a page of 10^9 seconds', run: () => h.call('GET', `/api/recordings/${recordingA}/signal?duration=1e9`, { cookie: h.cookies.clinician }), status: 400, code: 'INVALID_ARGUMENT', message: /duration must be <= 3600 s/ },
  { name: 'bad channel that does not exist', run: () => h.call('PATCH', `/api/recordings/${recordingA}/channels`, { cookie: h.cookies.clinician, json: { bad: ['Cz', "'; --"] } }), status: 400, code: 'INVALID_ARGUMENT', message: /no channel "'; --" in this recording/ },
  { name: 'participant deleting a recording', run: () => h.call('DELETE', `/api/recordings/${recordingA}`, { cookie: h.cookies.participant }), status: 403, code: 'FORBIDDEN', message: /role "participant" may not recording.delete/ },
];

/** The suite on one database: SQLite (in the data folder) or a PostgreSQL scratch database. */
function hostileSuite(label: string, openDatabase: () => Promise<{ url?: string; drop: () => Promise<void> }>): void {
  let dropDatabase: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const database = await openDatabase();
    dropDatabase = database.drop;
    h = await makeHarness({ maxUploadBytes: limit, maxJsonBytes: 64 * 1024, ...(database.url ? { databaseUrl: database.url } : {}) });
    const a = await h.upload(h.projectA, demoEdf(1, 10), 'a.edf');
    recordingA = (a.body as { recording: { id: string } }).recording.id;
    const subject = await h.call('POST', `/api/projects/${h.projectB}/subjects`, { cookie: h.cookies.otherOwner, json: { code: 'B01' } });
    subjectB = (subject.body as { subject: { id: string } }).subject.id;
    const b = await h.upload(h.projectB, demoEdf(2, 10), 'b.edf', 'otherOwner');
    recordingB = (b.body as { recording: { id: string } }).recording.id;
    const note = await h.call('POST', `/api/recordings/${recordingB}/annotations`, { cookie: h.cookies.otherOwner, json: { onsetSeconds: 1, durationSeconds: 0, text: 'B note' } });
    annotationB = (note.body as { annotation: { id: string } }).annotation.id;
    expect([recordingA, recordingB, annotationB, subjectB].every((id) => id.length === 36)).toBe(true);
    initialRows = (await snapshot()).rows;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await dropDatabase();
  });

  describe(`hostile input (${cases.length} cases) on ${label}`, () => {
    it('has at least 20 cases', () => {
      expect(cases.length).toBeGreaterThanOrEqual(20);
    });

    it.each(cases)('$name -> $status $code, nothing changed', async (c) => {
      const before = await snapshot();
      const result = await c.run();
      expect(result.status, JSON.stringify(result.body)).toBe(c.status);
      const error = errorOf(result);
      expect(error.code).toBe(c.code);
      expect(error.message).toMatch(c.message);
      const after = await snapshot();
      expect(after.rows).toEqual(before.rows);
      expect(after.files).toEqual(before.files);
      const added = await h.services.storage.listAudit({ limit: after.audit - before.audit + 1 });
      for (const entry of added.slice(0, after.audit - before.audit)) expect(entry.outcome, entry.action).not.toBe('allowed');
    });

    it('keeps the data intact after all of it', async () => {
      const { audit, ...rest } = await h.services.storage.countRows();
      expect(rest).toEqual(initialRows);
      expect(rest).toMatchObject({ recordings: 2, projects: 2, blobs: 2 });
      expect(audit).toBeGreaterThan(cases.length);
      const log = await h.services.storage.listAudit({ projectId: h.projectA, limit: 1000 });
      expect(log.find((e) => e.action === 'recording.upload' && e.outcome === 'failed' && /FORMAT_TRUNCATED: the file is truncated/.test(e.detail ?? ''))).toBeDefined();
      expect(log.find((e) => e.userId === h.userIds.participant && e.action === 'recording.delete')).toMatchObject({ outcome: 'denied' });
      expect(h.services.blobs.listFiles().filter((f) => f.startsWith('tmp/'))).toEqual([]);
      const notes = (await h.call('GET', `/api/recordings/${recordingB}/annotations`, { cookie: h.cookies.otherOwner })).body as { annotations: Array<{ id: string; text: string }> };
      expect(notes.annotations.find((a) => a.id === annotationB)?.text).toBe('B note');
    });
  });
}

describe('hostile input on SQLite', () => {
  hostileSuite('SQLite', async () => ({ drop: async () => undefined }));
});
const pgUp = await postgresAnswers();
describeWith('hostile input on PostgreSQL', pgUp, `needs PostgreSQL at ${postgresUrl} (CAJAL_TEST_PG_URL)`, () => {
  hostileSuite('PostgreSQL', () => createScratchDatabase());
});
