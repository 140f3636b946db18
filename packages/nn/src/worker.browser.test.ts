import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath, describeWith } from '@cajal/core/testing';
import type { TrainConfig } from './config.ts';
import type { PageState } from './browser/page.entry.ts';

/**
 * Training in a Web Worker in headless Chromium (Debian's, via playwright-core). The page and
 * worker are bundled with esbuild from browser/*.entry.ts and served from 127.0.0.1. The
 * worker trains a small MLP on the two-spirals set and posts each epoch; the page draws the
 * loss on a canvas. Criteria: the run finishes without error; at least 10 epochs arrive; the
 * last train loss is below 60% of the first; the canvas has drawn (non-white) pixels; the
 * main thread kept ticking during training (it was not blocked); packed weights came back.
 */
const CONFIG: TrainConfig = {
  name: 'browser spirals',
  model: { input_shape: [2], seed: 1, layers: [{ type: 'dense', units: 32 }, { type: 'relu' }, { type: 'dense', units: 32 }, { type: 'relu' }, { type: 'dense', units: 2 }] },
  dataset: { kind: 'spirals', points: 100, classes: 2, noise: 0.05 },
  training: { optimizer: 'adam', learningRate: 0.01, epochs: 40, batchSize: 16, seed: 1 },
};

const folder = mkdtempSync(join(tmpdir(), 'cajal-nn-worker-'));
let browser: Browser | undefined;
let server: Server | undefined;
let origin = '';

const available = chromiumPath() !== undefined;

beforeAll(async () => {
  if (!available) return;
  const here = resolve(import.meta.dirname, 'browser');
  await build({ entryPoints: { worker: join(here, 'worker.entry.ts'), page: join(here, 'page.entry.ts') }, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outdir: folder, logLevel: 'warning' });
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>nn worker</title></head><body>
<canvas id="loss" width="480" height="240"></canvas><p id="status">starting</p>
<script>window.cajalConfig = ${JSON.stringify(CONFIG)};</script><script src="./page.js"></script></body></html>`;
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else if (path === '/page.js' || path === '/worker.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(folder, path.slice(1))));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  rmSync(folder, { recursive: true, force: true });
});

describeWith('nn training in a Web Worker (headless Chromium)', available, 'Chromium not installed (/usr/bin/chromium)', () => {
  it('the page shows the loss falling while a worker trains', async () => {
    const page = await (browser as Browser).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (window as unknown as { cajalTraining?: { done: boolean } }).cajalTraining?.done === true, undefined, { timeout: 120_000, polling: 200 });
    const state = await page.evaluate(() => (window as unknown as { cajalTraining: PageState }).cajalTraining);
    const inked = await page.evaluate(() => {
      const canvas = document.getElementById('loss') as HTMLCanvasElement;
      const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] as number) < 200 || (pixels[i + 1] as number) < 200) count++;
      return count;
    });
    const status = await page.textContent('#status');
    await page.close();
    console.log(`worker training: ${state.losses.length} epochs, loss ${state.losses[0]?.toFixed(4)} → ${state.losses.at(-1)?.toFixed(4)}, accuracy ${state.accuracy}, ${inked} inked pixels, ${state.mainThreadTicks} main-thread ticks, gemm ${state.gemm}; status "${status}"`);
    expect(errors).toEqual([]);
    expect(state.error).toBeNull();
    expect(state.losses.length).toBeGreaterThanOrEqual(10);
    expect(state.losses.at(-1) as number).toBeLessThan(0.6 * (state.losses[0] as number));
    expect(inked).toBeGreaterThan(100);
    expect(state.mainThreadTicks).toBeGreaterThan(5);
    expect(state.weightBytes).toBeGreaterThan(4 * (2 * 32 + 32 * 32 + 32 * 2));
    expect(status).toContain('done');
    expect(state.gemm).toBe('wasm-simd');
  }, 180_000);
});
