/** The workbench shell: sign-in gate, top bar and hash routes. */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type User } from '../lib/api.ts';
import { navigate, useRoute } from './route.ts';
import { SignIn } from './SignIn.tsx';
import { ProjectsPage } from './ProjectsPage.tsx';
import { ProjectPage } from './ProjectPage.tsx';
import { Viewer } from './Viewer.tsx';
import { JobsPage } from './JobsPage.tsx';

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState('');
  const route = useRoute();

  const refresh = useCallback(() => {
    api.me().then(
      (r) => setUser(r.user),
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setUser(null);
        else setError(e instanceof Error ? e.message : String(e));
      },
    );
  }, []);
  useEffect(refresh, [refresh]);

  if (error) return <p className="error" role="alert">Cannot reach the server: {error}</p>;
  if (user === undefined) return <p className="muted">Loading…</p>;
  if (user === null) return <SignIn onSignedIn={setUser} />;

  const [section, id] = route;
  let page;
  if (section === 'projects' && id) page = <ProjectPage projectId={id} />;
  else if (section === 'recordings' && id) page = <Viewer key={id} recordingId={id} />;
  else if (section === 'jobs') page = <JobsPage focusJobId={id} />;
  else page = <ProjectsPage />;

  return (
    <div className={section === 'recordings' ? 'shell shell-wide' : 'shell'}>
      <header className="topbar">
        <a href="#/projects" className="brand">Cajal</a>
        <nav>
          <a href="#/projects">Projects</a>
          <a href="#/jobs">Jobs</a>
        </nav>
        <span className="muted" data-testid="signed-in-as">{user.email} ({user.role})</span>
        <button
          onClick={() => {
            void api.logout().finally(() => {
              setUser(null);
              navigate('projects');
            });
          }}
        >
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </div>
  );
}
