/** The projects the user belongs to, and a form to create one (admins and researchers). */
import { useEffect, useState, type FormEvent } from 'react';
import { api, type Project } from '../lib/api.ts';

export function ProjectsPage() {
  const [projects, setProjects] = useState<Project[]>();
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const [datePolicy, setDatePolicy] = useState('year');

  const load = (): void => {
    api.projects().then((r) => setProjects(r.projects), (e: unknown) => setError(String((e as Error).message)));
  };
  useEffect(load, []);

  const create = (event: FormEvent): void => {
    event.preventDefault();
    setError('');
    api.createProject(name, datePolicy).then(() => {
      setName('');
      load();
    }, (e: unknown) => setError((e as Error).message));
  };

  return (
    <section>
      <h1>Projects</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {!projects ? <p className="muted">Loading…</p> : projects.length === 0 ? <p className="muted">No projects yet.</p> : (
        <table className="list">
          <thead><tr><th>Name</th><th>Your role</th><th>Date policy</th></tr></thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.id}>
                <td><a href={`#/projects/${encodeURIComponent(p.id)}`}>{p.name}</a></td>
                <td>{p.role}</td>
                <td>{p.datePolicy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline" onSubmit={create}>
        <input placeholder="New project name" value={name} onChange={(e) => setName(e.target.value)} required />
        <select value={datePolicy} onChange={(e) => setDatePolicy(e.target.value)} title="What de-identification keeps of recording dates">
          <option value="keep">keep dates</option>
          <option value="year">keep the year</option>
          <option value="shift">shift dates</option>
          <option value="remove">remove dates</option>
        </select>
        <button type="submit">Create project</button>
      </form>
    </section>
  );
}
