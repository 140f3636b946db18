/** A project: its recordings (open, analyse, delete), the streaming upload, subjects with consent records, and members. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, uploadRecording, type Member, type RecordingSummary, type Subject } from '../lib/api.ts';
import { navigate } from './route.ts';

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

export function ProjectPage({ projectId }: { projectId: string }) {
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [recordings, setRecordings] = useState<RecordingSummary[]>();
  const [error, setError] = useState('');
  const [code, setCode] = useState('');
  const [consentScope, setConsentScope] = useState('');
  const [consentDate, setConsentDate] = useState('');
  const [members, setMembers] = useState<Member[]>();
  const [memberEmail, setMemberEmail] = useState('');
  const [memberRole, setMemberRole] = useState('researcher');
  const [subjectId, setSubjectId] = useState('');
  const [upload, setUpload] = useState<{ name: string; sent: number; total: number; abort: () => void }>();
  const [uploadError, setUploadError] = useState('');
  const [uploadDone, setUploadDone] = useState('');

  const load = (): void => {
    api.subjects(projectId).then((r) => setSubjects(r.subjects), (e: unknown) => setError((e as Error).message));
    api.recordings(projectId).then((r) => setRecordings(r.recordings), (e: unknown) => setError((e as Error).message));
    // Members are visible to staff only; a participant simply sees no list.
    api.members(projectId).then((r) => setMembers(r.members), () => setMembers(undefined));
  };
  useEffect(load, [projectId]);

  const addSubject = (event: FormEvent): void => {
    event.preventDefault();
    const consent = consentScope.trim() ? { scope: consentScope.trim(), givenAt: consentDate || new Date().toISOString().slice(0, 10) } : undefined;
    api.createSubject(projectId, code, consent).then(() => {
      setCode('');
      setConsentScope('');
      setConsentDate('');
      load();
    }, (e: unknown) => setError((e as Error).message));
  };

  const addMember = (event: FormEvent): void => {
    event.preventDefault();
    api.addMember(projectId, memberEmail, memberRole).then(() => {
      setMemberEmail('');
      load();
    }, (e: unknown) => setError((e as Error).message));
  };

  const startUpload = (file: File): void => {
    setUploadError('');
    setUploadDone('');
    const task = uploadRecording(projectId, subjectId || undefined, file, (sent, total) => setUpload((u) => (u ? { ...u, sent, total } : u)));
    setUpload({ name: file.name, sent: 0, total: file.size, abort: task.abort });
    task.done.then(
      (r) => {
        setUpload(undefined);
        setUploadDone(`Uploaded ${r.recording.name} (${r.recording.channelCount} channels, ${formatDuration(r.recording.durationSeconds)}).`);
        load();
      },
      (e: unknown) => {
        setUpload(undefined);
        setUploadError((e as Error).message);
      },
    );
  };

  const analyze = (recordingId: string): void => {
    api.createJob('analyze', recordingId, {}).then((r) => navigate('jobs', r.job.id), (e: unknown) => setError((e as Error).message));
  };

  const remove = (recording: RecordingSummary): void => {
    if (!confirm(`Delete ${recording.name}? This cannot be undone.`)) return;
    api.deleteRecording(recording.id).then(load, (e: unknown) => setError((e as Error).message));
  };

  return (
    <section>
      <p><a href="#/projects">← Projects</a></p>
      {error && <p className="error" role="alert">{error}</p>}
      <h2>Recordings</h2>
      {!recordings ? <p className="muted">Loading…</p> : recordings.length === 0 ? <p className="muted">No recordings yet.</p> : (
        <table className="list" data-testid="recordings">
          <thead><tr><th>Name</th><th>Format</th><th>Channels</th><th>Duration</th><th>Size</th><th /></tr></thead>
          <tbody>
            {recordings.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`#/recordings/${encodeURIComponent(r.id)}`}>{r.name}</a>
                  {r.simulated && <span className="tag">simulated</span>}
                </td>
                <td>{r.format}</td>
                <td>{r.channelCount}</td>
                <td>{formatDuration(r.durationSeconds)}</td>
                <td>{formatBytes(r.sizeBytes)}</td>
                <td>
                  <button onClick={() => analyze(r.id)}>Analyze</button>{' '}
                  <button className="danger" onClick={() => remove(r)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="upload">
        <label>
          Upload a recording (EDF, BDF, BrainVision…) for subject{' '}
          <select data-testid="upload-subject" value={subjectId} onChange={(e) => setSubjectId(e.target.value)}>
            <option value="">(none)</option>
            {subjects.map((s) => <option key={s.id} value={s.id}>{s.code}</option>)}
          </select>{' '}
          <input type="file" data-testid="upload-input" disabled={!!upload} onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) startUpload(file);
            e.target.value = '';
          }} />
        </label>
        {upload && (
          <div data-testid="upload-progress">
            Uploading {upload.name}: <progress max={upload.total || 1} value={upload.sent} /> {Math.round((100 * upload.sent) / (upload.total || 1))}%{' '}
            <button onClick={upload.abort}>Cancel</button>
          </div>
        )}
        {uploadError && <p className="error" role="alert" data-testid="upload-error">Upload refused: {uploadError}</p>}
        {uploadDone && <p className="ok" data-testid="upload-done">{uploadDone}</p>}
      </div>
      <h2>Subjects</h2>
      <ul data-testid="subjects">
        {subjects.map((s) => (
          <li key={s.id}>
            {s.code}{' '}
            {s.consent
              ? <span className="tag" title={`given ${s.consent.givenAt}${s.consent.expiresAt ? `, expires ${s.consent.expiresAt}` : ''}`}>consent: {s.consent.scope}</span>
              : <span className="tag warn">no consent record</span>}
          </li>
        ))}
      </ul>
      <form className="inline" onSubmit={addSubject}>
        <input placeholder="Subject code (no names)" value={code} onChange={(e) => setCode(e.target.value)} required title="a pseudonym: 1-40 letters, digits, - or _" />
        <input placeholder="Consent scope (optional)" value={consentScope} onChange={(e) => setConsentScope(e.target.value)} />
        <input type="date" aria-label="Consent given on" value={consentDate} onChange={(e) => setConsentDate(e.target.value)} />
        <button type="submit">Add subject</button>
      </form>
      {members && (
        <>
          <h2>Members</h2>
          <table className="list" data-testid="members">
            <thead><tr><th>Email</th><th>Role</th></tr></thead>
            <tbody>{members.map((m) => <tr key={m.userId}><td>{m.email}</td><td>{m.role}</td></tr>)}</tbody>
          </table>
          <form className="inline" onSubmit={addMember}>
            <input type="email" placeholder="Member email (existing account)" value={memberEmail} onChange={(e) => setMemberEmail(e.target.value)} required />
            <select value={memberRole} onChange={(e) => setMemberRole(e.target.value)} aria-label="Member role">
              <option value="clinician">clinician</option>
              <option value="researcher">researcher</option>
              <option value="participant">participant</option>
            </select>
            <button type="submit">Add member</button>
          </form>
        </>
      )}
    </section>
  );
}
