/**
 * The bench's server, in its own process (so the load generator does not share its event
 * loop): starts on a free loopback port over a temp data folder and prints one JSON line
 * {url, admin}; stops on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'cajal-bench-'));
const server = await startServer({ port: 0, dataDir: dir, workerThreads: 1 }, { demo: false });
process.stdout.write(`${JSON.stringify({ url: server.url, admin: server.bootstrap.admin })}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
