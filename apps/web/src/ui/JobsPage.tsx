/**
 * Jobs: the server's list when it has one (GET /api/jobs), else those started in this browser;
 * each with live progress from /api/jobs/:id/events (SSE), cancel, and results as charts.
 */
import { useEffect, useState } from 'react';
import { api, type Job } from '../lib/api.ts';
import { knownJobs } from './route.ts';
import { AnalysisCharts } from './AnalysisCharts.tsx';

const ended = (status: Job['status']): boolean => status === 'done' || status === 'failed' || status === 'cancelled';

function readSnapshot(data: string): Job | undefined {
  try {
    const parsed = JSON.parse(data) as { job?: Job } & Partial<Job>;
    return parsed.job ?? (parsed.id ? (parsed as Job) : undefined);
  } catch {
    return undefined;
  }
}

function JobCard({ jobId }: { jobId: string }) {
  const [job, setJob] = useState<Job>();
  const [error, setError] = useState('');

  useEffect(() => {
    let source: EventSource | undefined;
    let closed = false;
    api.job(jobId).then((r) => {
      if (closed) return;
      setJob(r.job);
      if (ended(r.job.status)) return;
      source = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events`);
      const onSnapshot = (event: MessageEvent<string>): void => {
        const snapshot = readSnapshot(event.data);
        if (!snapshot) return;
        setJob(snapshot);
        if (ended(snapshot.status)) source?.close();
      };
      source.onmessage = onSnapshot;
      for (const name of ['progress', 'job', 'snapshot', 'done']) source.addEventListener(name, onSnapshot as EventListener);
      source.onerror = () => {
        source?.close();
        api.job(jobId).then((again) => setJob(again.job), () => undefined);
      };
    }, (e: unknown) => setError((e as Error).message));
    return () => {
      closed = true;
      source?.close();
    };
  }, [jobId]);

  if (error) return <div className="card"><b>Job {jobId}</b> <span className="error">{error}</span></div>;
  if (!job) return <div className="card muted">Job {jobId}…</div>;
  const done = job.progress?.done ?? 0;
  const total = job.progress?.total ?? 0;
  return (
    <div className="card" data-testid={`job-${job.id}`}>
      <b>{job.kind}</b> <span className={`status status-${job.status}`} data-testid="job-status">{job.status}</span>
      {job.progress?.stage && <span className="muted"> — {job.progress.stage}</span>}
      <div>
        <progress max={total || 1} value={job.status === 'done' ? total || 1 : done} /> {total > 0 ? `${Math.round((100 * done) / total)}%` : ''}
        {!ended(job.status) && <button onClick={() => api.cancelJob(job.id).then((r) => setJob(r.job), (e: unknown) => setError((e as Error).message))}>Cancel</button>}
      </div>
      {job.status === 'failed' && <p className="error">{typeof job.error === 'string' ? job.error : JSON.stringify(job.error)}</p>}
      {job.status === 'done' && job.kind === 'analyze' && <AnalysisCharts result={job.result} />}
      {job.status === 'done' && job.kind !== 'analyze' && <pre className="result">{JSON.stringify(job.result, null, 1).slice(0, 4000)}</pre>}
    </div>
  );
}

export function JobsPage({ focusJobId }: { focusJobId?: string }) {
  const [serverIds, setServerIds] = useState<string[]>();
  useEffect(() => {
    api.jobs().then((jobs) => jobs && setServerIds(jobs.map((j) => j.id)), () => undefined);
  }, []);
  const ids = serverIds ?? knownJobs();
  const list = focusJobId ? [focusJobId, ...ids.filter((j) => j !== focusJobId)] : ids;
  return (
    <section>
      <h1>Jobs</h1>
      {list.length === 0 && <p className="muted">No jobs started from this browser yet. Start one with “Analyze” on a recording.</p>}
      {list.map((id) => <JobCard key={id} jobId={id} />)}
    </section>
  );
}
