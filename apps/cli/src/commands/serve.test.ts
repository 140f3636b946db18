/**
 * `cajal serve` as a user runs it: a child process on a free port and a temp data folder.
 * First start prints the admin account once and makes the SIMULATED demo project; the API
 * answers; SIGTERM stops it cleanly; a second start on the same folder prints no password.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const data = mkdtempSync(join(tmpdir(), 'cajal-serve-test-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

/** Start `cajal serve`, wait for its banner, run `use(url, banner)`, then SIGTERM and wait. */
async function withServe(use: (url: string, banner: string) => Promise<void>): Promise<number | null> {
  const child = spawn(process.execPath, [join(root, 'apps/cli/bin/cajal.mjs'), 'serve', '--port', '0', '--data', data, '--web', join(data, 'no-web')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const until = Date.now() + 90_000;
    while (!/web app: .*\n/.test(output) || (/First start/.test(output) && !/A demo project/.test(output))) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`cajal serve did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const url = /cajal workbench at (http:\/\/[^/\s]+)\//.exec(output)?.[1] as string;
    await use(url, output);
  } finally {
    child.kill('SIGTERM');
  }
  return exited;
}

describe('cajal serve', () => {
  it('prints the first admin once, serves the API with the demo project, and stops on SIGTERM', async () => {
    let password = '';
    const first = await withServe(async (url, banner) => {
      password = /password: (\S+)/.exec(banner)?.[1] ?? '';
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(banner).toMatch(/database: SQLite/);
      expect(banner).toMatch(/jobs: in-process worker pool/);
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@cajal.local', password }) });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const projects = (await (await fetch(`${url}/api/projects`, { headers: { cookie } })).json()) as { projects: Array<{ id: string; name: string }> };
      expect(projects.projects.map((p) => p.name)).toEqual(['Demo (SIMULATED EEG)']);
      const recordings = (await (await fetch(`${url}/api/projects/${projects.projects[0]!.id}/recordings`, { headers: { cookie } })).json()) as { recordings: Array<{ simulated: boolean; name: string }> };
      expect(recordings.recordings).toHaveLength(2);
      expect(recordings.recordings.every((r) => r.simulated && r.name.startsWith('SIMULATED-01-'))).toBe(true);
    });
    expect(first).toBe(0);
    const second = await withServe(async (url, banner) => {
      expect(banner).not.toMatch(/password/);
      expect((await fetch(`${url}/api/me`)).status).toBe(401);
    });
    expect(second).toBe(0);
  }, 180_000);
});
