/**
 * Jobs: the server's list (GET /api/jobs, newest first), each job with live progress from
 * /api/jobs/:id/events (server-sent "job" events, one snapshot per change, until the job ends),
 * cancel, and results as charts.
 */
import { useEffect, useState } from 'react';
import { api, type Job } from '../lib/api.ts';
import { jobResultOf } from '../lib/analysis-result.ts';
import { AnalysisCharts } from './AnalysisCharts.tsx';

const ended = (status: Job['status']): boolean => status === 'done' || status === 'failed' || status === 'cancelled';

function JobCard({ initial }: { initial: Job }) {
  const [job, setJob] = useState<Job>(initial);
  const [error, setError] = useState('');
  const jobId = initial.id;

  useEffect(() => {
    if (ended(initial.status)) return undefined;
    const source = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events`);
    source.addEventListener('job', (event: MessageEvent<string>) => {
      const snapshot = JSON.parse(event.data) as Job;
      setJob(snapshot);
      if (ended(snapshot.status)) source.close();
    });
    source.onerror = () => {
      // The stream broke off (server restarted, network): show the job as stored now.
      source.close();
      api.job(jobId).then((again) => setJob(again.job), (e: unknown) => setError((e as Error).message));
    };
    return () => source.close();
  }, [jobId, initial.status]);

  if (error) return <div className="card"><b>Job {jobId}</b> <span className="error">{error}</span></div>;
  const analysis = jobResultOf(job, 'analyze');
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
      {analysis && <AnalysisCharts result={analysis} />}
      {job.status === 'done' && job.kind !== 'analyze' && <pre className="result">{JSON.stringify(job.result, null, 1).slice(0, 4000)}</pre>}
    </div>
  );
}

export function JobsPage({ focusJobId }: { focusJobId?: string }) {
  const [jobs, setJobs] = useState<Job[]>();
  const [error, setError] = useState('');
  useEffect(() => {
    api.jobs().then(setJobs, (e: unknown) => setError((e as Error).message));
  }, [focusJobId]);
  const focused = jobs?.find((j) => j.id === focusJobId);
  const list = jobs && focused ? [focused, ...jobs.filter((j) => j !== focused)] : jobs;
  return (
    <section>
      <h1>Jobs</h1>
      {error && <p className="error">{error}</p>}
      {!list && !error && <p className="muted">Loading…</p>}
      {list?.length === 0 && <p className="muted">No jobs yet. Start one with “Analyze” on a recording.</p>}
      {list?.map((job) => <JobCard key={job.id} initial={job} />)}
    </section>
  );
}
