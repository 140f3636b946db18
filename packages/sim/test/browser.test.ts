import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath, describeWith } from '@cajal/core/testing';
import { coba, compileNetwork, gridPoints, poissonLif, runSweep } from '../src/index.ts';
import { type PageServer, bundleForBrowser, cobaPageResult, servePages } from './browser/serve.ts';

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
let server: PageServer | undefined;
let base = '';

beforeAll(async () => {
  if (!chromiumPath()) return;
  const page = readFileSync(new URL('./browser/page.html', import.meta.url), 'utf8');
  const js = 'text/javascript';
  const html = 'text/html';
  // pages asked for with ?isolated (and their scripts) are cross-origin isolated: shared memory for the threaded wasm backend
  server = await servePages({
    '/worker.js': [js, await bundleForBrowser(new URL('./browser/coba-worker.ts', import.meta.url))],
    '/sweep-worker.js': [js, await bundleForBrowser(new URL('../src/sweep-worker.web.ts', import.meta.url))],
    '/sweep-page.js': [js, await bundleForBrowser(new URL('./browser/sweep-page.ts', import.meta.url))],
    '/sweep.html': [html, '<!doctype html><title>sweep</title><script src="sweep-page.js"></script>'],
    '/': [html, page],
    '/index.html': [html, page],
  }, (request) => Boolean(request.url?.includes('isolated') || request.headers.referer?.includes('isolated')));
  base = server.base;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describeWith('COBA in a Web Worker in headless Chromium', chromiumPath() !== undefined, 'needs Chromium (/usr/bin/chromium)', () => {
  for (const backend of ['wasm', 'js']) {
    it(`criterion (${backend}): spikes > 0 computed in a worker, raster drawn, count equal to Node's`, async () => {
      const page = await (browser as Browser).newPage();
      try {
        await page.goto(`${base}/?size=4000&duration=0.2&seed=1&backend=${backend}`);
        const result = await cobaPageResult(page, 90_000);
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
      const result = await cobaPageResult(page, 90_000);
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
