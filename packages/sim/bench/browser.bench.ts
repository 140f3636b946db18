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
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '@cajal/core/testing';
import { type CobaPageResult, bundleForBrowser, cobaPageResult, servePages } from '../test/browser/serve.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '16000,64000,256000' },
    threads: { type: 'string', default: '1,2' },
    precisions: { type: 'string', default: 'double,single' },
    repeats: { type: 'string', default: '3' },
    duration: { type: 'string', default: '1' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const threadCounts = args.threads.split(',').map(Number);
const precisions = args.precisions.split(',');
const repeats = Number(args.repeats);
const duration = Number(args.duration);
const executablePath = chromiumPath();
if (!executablePath) throw new Error('no Chromium (/usr/bin/chromium or CHROMIUM_PATH)');

const page = readFileSync(new URL('../test/browser/page.html', import.meta.url), 'utf8');
const server = await servePages({
  '/worker.js': ['text/javascript', await bundleForBrowser(new URL('../test/browser/coba-worker.ts', import.meta.url))],
  '/': ['text/html', page],
}, () => true);
const base = server.base;
const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
const version = browser.version();
const results: Array<Record<string, unknown>> = [];
try {
  for (const size of sizes) {
    for (const precision of precisions) {
      for (const threads of threadCounts) {
        const loops: number[] = [];
        let last: CobaPageResult | undefined;
        for (let r = 0; r < repeats; r++) {
          const tab = await browser.newPage();
          try {
            await tab.goto(`${base}/?size=${size}&duration=${duration}&seed=4242&backend=wasm&threads=${threads}&precision=${precision}`);
            last = await cobaPageResult(tab, 600_000);
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
  await server.close();
}
process.stdout.write(`${JSON.stringify({ benchmark: 'coba-browser', chromium: version, duration_s: duration, repeats, load_average: loadavg(), cpus: cpus().length, cpu_model: cpus()[0]?.model ?? '', date: new Date().toISOString(), results }, null, 1)}\n`);
