#!/usr/bin/env node
// `npm start [-- cajal serve options]`: build the web app when apps/web/dist is missing or stale
// (vite build), then run `cajal serve` on the embedded defaults: SQLite and the recordings store
// under ./.cajal-data, in-process jobs, http://127.0.0.1:8080. On first start it prints the
// administrator account (password shown once) and makes a demo project of SIMULATED EEG.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'apps/cli/bin/cajal.mjs');
const webIndex = join(root, 'apps/web/dist/index.html');

/** Newest modification time (ms) of the files under `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const webSources = [join(root, 'apps/web/src'), join(root, 'apps/web/index.html')];
const stale = () => statSync(webIndex).mtimeMs < Math.max(...webSources.filter(existsSync).map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)));

if (!existsSync(webIndex) || stale()) {
  process.stdout.write('building the web app (apps/web, vite build)...\n');
  const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '-w', '@cajal/web'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(webIndex)) {
    process.stderr.write('the web app did not build; serving the API only\n');
  }
}

const child = spawn(process.execPath, [cli, 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
