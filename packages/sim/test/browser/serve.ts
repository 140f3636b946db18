import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';

/**
 * What the browser test and the browser bench share: TypeScript entries bundled for a page or
 * a worker, and a local server for them.
 */

/** One IIFE bundle of a TypeScript entry, for a page or a classic worker. */
export async function bundleForBrowser(entry: URL): Promise<string> {
  const out = await build({ entryPoints: [entry.pathname], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' });
  return out.outputFiles[0]?.text ?? '';
}

/** The headers that make a page (and its workers) cross-origin isolated, so it may share wasm memory. */
export const isolationHeaders = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

export interface PageServer {
  base: string;
  close(): Promise<void>;
}

/**
 * Serve `files` (path -> [content type, body]) on 127.0.0.1, with the isolation headers where
 * `isolated(request)` says so; anything else is a 404.
 */
export async function servePages(files: Record<string, [string, string]>, isolated: (request: IncomingMessage) => boolean): Promise<PageServer> {
  const server = createServer((request, response) => {
    const file = files[(request.url ?? '/').split('?')[0] ?? ''];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file[0], ...(isolated(request) ? isolationHeaders : {}) }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the COBA page (page.html, running coba-worker.ts) leaves in `window.cajalResult`. */
export interface CobaPageResult {
  spikes: number;
  backend: string;
  inWorker: boolean;
  wallMs: number;
  /** sim.run alone, in the worker. */
  loopMs: number;
  threadsUsed: number;
  isolated: boolean;
  rateHz: number;
  error?: string;
}

/** Wait for the COBA page in `page` to finish and return its result. */
export async function cobaPageResult(page: Page, timeoutMs: number): Promise<CobaPageResult> {
  await page.waitForFunction(() => (window as unknown as { cajalResult?: unknown }).cajalResult !== undefined, undefined, { timeout: timeoutMs });
  return page.evaluate(() => (window as unknown as { cajalResult: CobaPageResult }).cajalResult);
}
