/** Sign-in form: POST /api/auth/login sets the HTTP-only session cookie. */
import { useState, type FormEvent } from 'react';
import { api, type User } from '../lib/api.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError('');
    api.login(email, password).then(
      (r) => onSignedIn(r.user),
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        setBusy(false);
      },
    );
  };

  return (
    <form className="signin" onSubmit={submit}>
      <h1>Cajal workbench</h1>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <button type="submit" disabled={busy}>Sign in</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
