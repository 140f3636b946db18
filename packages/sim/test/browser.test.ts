import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath, describeWith } from '@cajal/core/testing';
import { coba, compileNetwork, gridPoints, poissonLif, runSweep } from '../src/index.ts';

/**
 * The COBA example in headless Chromium (Debian's, through playwright-core), inside a Web
 * Worker: the worker is bundled from the TypeScript sources with esbuild, the page draws the
 * returned spikes as a raster on a canvas. Criteria: the page reports spikes > 0, computed in a
 * worker; the canvas has drawn dots; the spike count equals the same simulation in Node
 * (same seed, same kernels: the simulator is deterministic across engines), for the wasm and
 * js backends. And a parameter sweep on a pool of two Web Workers (createWebSweepPool) returns
 * the table Node computes in-process.
 */
let browser: Browser | undefined;
let server: Server | undefined;
let base = '';

beforeAll(async () => {
  if (!chromiumPath()) return;
  const bundle = async (entry: string): Promise<string> => {
    const out = await build({ entryPoints: [new URL(entry, import.meta.url).pathname], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' });
    return out.outputFiles[0]?.text ?? '';
  };
  const files: Record<string, string> = {
    '/worker.js': await bundle('./browser/coba-worker.ts'),
    '/sweep-worker.js': await bundle('../src/sweep-worker.web.ts'),
    '/sweep-page.js': await bundle('./browser/sweep-page.ts'),
  };
  const page = readFileSync(new URL('./browser/page.html', import.meta.url), 'utf8');
  server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const script = files[path ?? ''];
    // cross-origin isolated (shared memory for the threaded wasm backend) on ?isolated
    const isolation = request.url?.includes('isolated') || request.headers.referer?.includes('isolated') ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    if (script !== undefined) response.writeHead(200, { 'content-type': 'text/javascript', ...isolation }).end(script);
    else if (path === '/sweep.html') response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sweep</title><script src="sweep-page.js"></script>');
    else if (path === '/' || path === '/index.html') response.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(page);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describeWith('COBA in a Web Worker in headless Chromium', chromiumPath() !== undefined, 'needs Chromium (/usr/bin/chromium)', () => {
  for (const backend of ['wasm', 'js']) {
    it(`criterion (${backend}): spikes > 0 computed in a worker, raster drawn, count equal to Node's`, async () => {
      const page = await (browser as Browser).newPage();
      try {
        await page.goto(`${base}/?size=4000&duration=0.2&seed=1&backend=${backend}`);
        await page.waitForFunction(() => (window as unknown as { cajalResult?: unknown }).cajalResult !== undefined, undefined, { timeout: 90_000 });
        const result = await page.evaluate(() => (window as unknown as { cajalResult: { spikes?: number; backend?: string; inWorker?: boolean; error?: string } }).cajalResult);
        expect(result.error).toBeUndefined();
        expect(result.inWorker).toBe(true);
        expect(result.backend).toBe(backend);
        const drawn = await page.evaluate(() => {
          const canvas = document.getElementById('raster') as HTMLCanvasElement;
          const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
          let dark = 0;
          for (let k = 0; k < data.length; k += 4) if ((data[k] as number) < 128) dark++;
          return dark;
        });
        expect(result.spikes).toBeGreaterThan(0);
        expect(drawn).toBeGreaterThan(100);
        expect(await page.textContent('#count')).toBe(String(result.spikes));
        const sim = compileNetwork(coba({ size: 4000, seed: 1, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] }), backend);
        await sim.run(0.2);
        expect(result.spikes).toBe(sim.monitors.spikes['spikes']?.neuron.length);
      } finally {
        await page.close();
      }
    }, 120_000);
  }

  it('criterion: on a cross-origin-isolated page, 2 threads (nested Web Workers over shared wasm memory) give Node\'s spikes', async () => {
    const page = await (browser as Browser).newPage();
    try {
      await page.goto(`${base}/?size=16000&duration=0.05&seed=2&backend=wasm&threads=2&isolated=1`);
      await page.waitForFunction(() => (window as unknown as { cajalResult?: unknown }).cajalResult !== undefined, undefined, { timeout: 90_000 });
      const result = await page.evaluate(() => (window as unknown as { cajalResult: { spikes?: number; threadsUsed?: number; isolated?: boolean; error?: string } }).cajalResult);
      expect(result.error).toBeUndefined();
      expect(result.isolated).toBe(true);
      expect(result.threadsUsed).toBe(2);
      const sim = compileNetwork(coba({ size: 16000, seed: 2, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] }), 'wasm');
      await sim.run(0.05);
      expect(result.spikes).toBeGreaterThan(1000);
      expect(result.spikes).toBe(sim.monitors.spikes['spikes']?.neuron.length);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('criterion: a 2 x 2 sweep on a pool of two Web Workers returns the same table as Node in-process', async () => {
    const page = await (browser as Browser).newPage();
    try {
      await page.goto(`${base}/sweep.html`);
      await page.waitForFunction(() => (window as unknown as { sweepResult?: unknown }).sweepResult !== undefined, undefined, { timeout: 90_000 });
      const table = await page.evaluate(() => (window as unknown as { sweepResult: unknown }).sweepResult);
      const points = gridPoints([{ name: 'Input.rate', from: 8, to: 20, steps: 2 }, { name: 'we', from: 0.5, to: 0.8, steps: 2 }]);
      const expected = await runSweep(poissonLif({ size: 20, inputs: 100, seed: 3 }), points, { durationSeconds: 0.2 });
      expect(JSON.parse(JSON.stringify(table))).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(expected.rows.every((r) => r.total_spikes > 0)).toBe(true);
    } finally {
      await page.close();
    }
  }, 120_000);
});
