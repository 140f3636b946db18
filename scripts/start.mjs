#!/usr/bin/env node
// `npm start`: until the workbench server exists, show the CLI's help and `cajal info` on a
// demo recording the project generates itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'apps/cli/bin/cajal.mjs');
const server = join(root, 'apps/server/src/main.ts');
if (existsSync(server)) {
  const r = spawnSync(process.execPath, [cli, 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
spawnSync(process.execPath, [cli, '--help'], { stdio: 'inherit' });
const r = spawnSync(process.execPath, [cli, 'demo'], { stdio: 'inherit' });
process.exit(r.status ?? 0);
