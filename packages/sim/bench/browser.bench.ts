/**
 * COBA in headless Chromium (Debian's /usr/bin/chromium through playwright-core), inside a Web
 * Worker, on a cross-origin-isolated page, with 1 and 2 threads (useWebWorkerThreads: nested
 * workers over shared wasm memory). The worker and page are the browser test's
 * (test/browser/coba-worker.ts, page.html). Prints one JSON document: per size, precision and
 * thread count, the loop wall time (sim.run alone, in the worker, best of --repeats; a fresh page
 * and network per repeat), spikes and rate.
 *
 * Usage: npx tsx bench/browser.bench.ts [--sizes 16000,64000,256000] [--threads 1,2] [--precisions double,single] [--repeats 3] [--duration 1]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '@cajal/core/testing';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 && argv[k + 1] !== undefined ? (argv[k + 1] as string) : fallback;
};
const sizes = option('sizes', '16000,64000,256000').split(',').map(Number);
const threadCounts = option('threads', '1,2').split(',').map(Number);
const precisions = option('precisions', 'double,single').split(',');
const repeats = Number(option('repeats', '3'));
const duration = Number(option('duration', '1'));
const executablePath = chromiumPath();
if (!executablePath) throw new Error('no Chromium (/usr/bin/chromium or CHROMIUM_PATH)');

const worker = (await build({ entryPoints: [new URL('../test/browser/coba-worker.ts', import.meta.url).pathname], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome110', logLevel: 'silent' })).outputFiles[0]?.text ?? '';
const page = readFileSync(new URL('../test/browser/page.html', import.meta.url), 'utf8');
const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/worker.js') response.writeHead(200, { 'content-type': 'text/javascript', ...isolation }).end(worker);
  else if (path === '/') response.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(page);
  else response.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
const version = browser.version();
interface Result { spikes: number; loopMs: number; threadsUsed: number; isolated: boolean; rateHz: number; error?: string }
const results: Array<Record<string, unknown>> = [];
try {
  for (const size of sizes) {
    for (const precision of precisions) {
      for (const threads of threadCounts) {
        const loops: number[] = [];
        let last: Result | undefined;
        for (let r = 0; r < repeats; r++) {
          const tab = await browser.newPage();
          try {
            await tab.goto(`${base}/?size=${size}&duration=${duration}&seed=4242&backend=wasm&threads=${threads}&precision=${precision}`);
            await tab.waitForFunction(() => (window as unknown as { cajalResult?: unknown }).cajalResult !== undefined, undefined, { timeout: 600_000 });
            last = await tab.evaluate(() => (window as unknown as { cajalResult: Result }).cajalResult);
          } finally {
            await tab.close();
          }
          if (last.error) throw new Error(last.error);
          loops.push(last.loopMs / 1000);
        }
        const best = Math.min(...loops);
        process.stderr.write(`${size} ${precision} ${threads} thread(s): loop ${best.toFixed(3)} s (${loops.map((x) => x.toFixed(3)).join(', ')}), ${last?.threadsUsed} used, ${last?.rateHz.toFixed(1)} Hz\n`);
        results.push({ neurons: size, precision, threads_asked: threads, threads_used: last?.threadsUsed, isolated: last?.isolated, loop_s: best, loop_s_all: loops, spikes: last?.spikes, mean_rate_hz: last?.rateHz, real_time_factor: duration / best });
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(`${JSON.stringify({ benchmark: 'coba-browser', chromium: version, duration_s: duration, repeats, load_average: loadavg(), cpus: cpus().length, cpu_model: cpus()[0]?.model ?? '', date: new Date().toISOString(), results }, null, 1)}\n`);
