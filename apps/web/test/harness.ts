/**
 * Shared pieces of the browser tests and the bench: build the web app with Vite into a
 * folder, launch Debian's Chromium through playwright-core, and serve a built app plus a
 * mocked API through Playwright routing (no HTTP server needed for the mocked runs).
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '@cajal/core/testing';
import { startServer, type RunningServer } from '@cajal/server';

export const webRoot = resolve(import.meta.dirname, '..');

/** Vite-build the app into `outDir` (default: a new temp folder); returns the folder. */
export async function buildWeb(outDir = mkdtempSync(join(tmpdir(), 'cajal-web-'))): Promise<string> {
  await build({ configFile: join(webRoot, 'vite.config.ts'), root: webRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** Launch headless Debian Chromium with the project's flags. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** Serve the built app from `distDir` for every non-/api request of `context` (SPA fallback to index.html). */
export async function serveBuiltApp(context: BrowserContext, distDir: string, origin: string): Promise<void> {
  await context.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/api/')) return route.fallback();
    let file = join(distDir, decodeURIComponent(url.pathname));
    if (!file.startsWith(distDir) || !existsSync(file) || url.pathname === '/') file = join(distDir, 'index.html');
    await route.fulfill({ status: 200, contentType: types[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
}

/**
 * Build the web into `work`/dist and start the real server on `work`/data serving it (SQLite,
 * in-process jobs, one worker thread), signed in as the bootstrap admin: returns the server and
 * the admin's session cookie ("name=value") for API calls.
 */
export async function startWorkbench(work: string): Promise<{ server: RunningServer; cookie: string }> {
  const dist = await buildWeb(join(work, 'dist'));
  const server = await startServer({ port: 0, dataDir: join(work, 'data'), webDir: dist, workerThreads: 1 }, { demo: false });
  const admin = server.bootstrap.admin!;
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: admin.password }) });
  if (login.status !== 200) throw new Error(`admin sign-in answered ${login.status}: ${await login.text()}`);
  return { server, cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] as string };
}
