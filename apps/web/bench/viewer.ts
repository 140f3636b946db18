/**
 * Viewer figures in headless Chromium (playwright-core + performance marks in the viewer code):
 *   - time from opening a 1-hour recording to its first page drawn (median over fresh page
 *     loads): from the viewer's open mark, and from the navigation start (app load included),
 *   - per page flip (PageDown -> page drawn): median and p95, rapid (next key as soon as the
 *     page is drawn) and paced (250 ms between keys, so prefetch can work as it does for a reader),
 *   - smoothness while paging (a key every 100 ms, like a held PageDown): browser frame
 *     intervals from a requestAnimationFrame loop and long tasks (> 50 ms), with no annotations
 *     and again after 10,000 annotations were stored on the recording (reloaded).
 * Modes: default: the real server (apps/server on a temp data folder, SQLite) with a
 * synthetic 1-hour 19-channel 256 Hz EDF+ uploaded through the API;
 * `--mock`: the mocked API (test/mock-api.ts) served through Playwright routing.
 * Prints JSON. Run: `npm run bench -w @cajal/web -- [--mock] [--flips 100] [--opens 5]`.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { createRandom } from '@cajal/core';
import { buildWeb, launchBrowser, serveBuiltApp } from '../test/harness.ts';
import { MockApi, tenTwentyLabels } from '../test/mock-api.ts';
import { startBenchServer } from './server-setup.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const mock = args.includes('--mock');
const flips = option('--flips', 100);
const opens = option('--opens', 5);
const annotationCount = option('--annotations', 10_000);
const durationSeconds = 3600;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
const round = (x: number): number => Math.round(x * 10) / 10;
const summary = (values: number[]) => ({ median: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)), count: values.length });

/** Seeded annotations spread over the recording (half instants, half spans up to 5 s). */
function syntheticAnnotations(count: number): { onsetSeconds: number; durationSeconds: number; text: string }[] {
  const random = createRandom(7);
  return Array.from({ length: count }, (_, i) => ({
    onsetSeconds: Math.round(random.uniform() * (durationSeconds - 5) * 100) / 100,
    durationSeconds: random.uniform() < 0.5 ? 0 : Math.round(random.uniform() * 500) / 100,
    text: `bench event ${i}`,
  }));
}

async function pageFlips(page: Page, count: number, pauseMs: number): Promise<number[]> {
  const before = await page.evaluate(() => window.__cajalPerf?.flipMs.length ?? 0);
  for (let i = 0; i < count; i++) {
    const drawn = await page.evaluate(() => window.__cajalPerf?.pagesDrawn ?? 0);
    await page.keyboard.press('PageDown');
    await page.waitForFunction((n) => (window.__cajalPerf?.pagesDrawn ?? 0) > n, drawn);
    if (pauseMs > 0) await page.waitForTimeout(pauseMs);
  }
  return page.evaluate((from) => window.__cajalPerf?.flipMs.slice(from) ?? [], before);
}

/**
 * Open the recording `opens` times (a fresh page load each time); returns per open the time
 * from the viewer's open mark and from the navigation start to the first page drawn (ms).
 */
async function openTimes(page: Page, url: string, count: number): Promise<{ fromOpen: number[]; fromNavigation: number[] }> {
  const fromOpen: number[] = [];
  const fromNavigation: number[] = [];
  for (let i = 0; i < count; i++) {
    // Via about:blank: a goto to the URL already shown (same hash) would not load the page again.
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForFunction(() => (window.__cajalPerf?.firstPageMs.length ?? 0) >= 1, undefined, { timeout: 60_000 });
    fromOpen.push(await page.evaluate(() => window.__cajalPerf!.firstPageMs[0]!));
    fromNavigation.push(await page.evaluate(() => window.__cajalPerf!.firstPageSinceNavigationMs[0]!));
  }
  return { fromOpen, fromNavigation };
}
const opened = (t: { fromOpen: number[]; fromNavigation: number[] }) => ({
  median: round(quantile(t.fromOpen, 0.5)), runs: t.fromOpen.map(round),
  fromNavigationStart: { median: round(quantile(t.fromNavigation, 0.5)), runs: t.fromNavigation.map(round) },
});

/**
 * Page with a key every `everyMs` (a held PageDown) while a requestAnimationFrame loop records
 * frame intervals and a PerformanceObserver counts long tasks. Flips are not awaited one by one.
 */
async function smoothness(page: Page, count: number, everyMs: number) {
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__long = [];
    window.__run = true;
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__long.push(entry.duration); }).observe({ type: 'longtask' });
    let last = performance.now();
    function tick(now) {
      window.__frames.push(now - last);
      last = now;
      if (window.__run) requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  })()`);
  const flipsBefore = await page.evaluate(() => window.__cajalPerf?.flipMs.length ?? 0);
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(everyMs);
  }
  await page.waitForTimeout(300);
  const { frames, long, flipMs } = await page.evaluate((from) => {
    const w = window as unknown as { __frames: number[]; __long: number[]; __run: boolean };
    w.__run = false;
    return { frames: w.__frames.slice(1), long: w.__long, flipMs: window.__cajalPerf?.flipMs.slice(from) ?? [] };
  }, flipsBefore);
  return {
    frameMs: { median: round(quantile(frames, 0.5)), p95: round(quantile(frames, 0.95)), p99: round(quantile(frames, 0.99)), max: round(Math.max(...frames)), count: frames.length, over50ms: frames.filter((f) => f > 50).length },
    longTasks: { count: long.length, maxMs: round(long.length ? Math.max(...long) : 0) },
    flipMs: summary(flipMs),
  };
}

async function main(): Promise<void> {
  const dist = await buildWeb();
  const browser = await launchBrowser();
  let origin = 'http://cajal.test';
  let recordingId = 'r1';
  let stop = async (): Promise<void> => undefined;
  let addAnnotations: (a: ReturnType<typeof syntheticAnnotations>) => Promise<void>;
  let source = 'mocked API: synthetic 19-channel 256 Hz, 1 h, generated per request';
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  if (mock) {
    const api = new MockApi({ durationSeconds, sampleRateHz: 256, labels: tenTwentyLabels, annotationCount: 0 });
    await serveBuiltApp(context, dist, origin);
    await api.install(context, origin);
    addAnnotations = async (list) => {
      list.forEach((a, i) => api.annotations.push({ id: `b${i}`, ...a }));
    };
  } else {
    const server = await startBenchServer(dist);
    origin = server.url;
    recordingId = server.recordingId;
    stop = server.stop;
    source = server.description;
    addAnnotations = server.addAnnotations;
    await context.addCookies(server.cookies.map((c) => ({ ...c, url: origin })));
  }
  const url = `${origin}/#/recordings/${recordingId}`;
  const page = await context.newPage();
  const firstPage = await openTimes(page, url, opens);
  const rapid = await pageFlips(page, flips, 0);
  const paced = await pageFlips(page, Math.min(flips, 40), 250);
  await page.keyboard.press('Home');
  await page.getByTestId('montage').selectOption('double-banana');
  const bipolar = await pageFlips(page, Math.min(flips, 40), 250);
  await page.getByTestId('montage').selectOption('as-recorded');
  await page.keyboard.press('Home');
  const smoothPlain = await smoothness(page, 60, 100);

  const added = Date.now();
  await addAnnotations(syntheticAnnotations(annotationCount));
  const storeSeconds = (Date.now() - added) / 1000;
  const firstPageAnnotated = await openTimes(page, url, Math.min(opens, 3));
  const listed = await page.getByTestId('page-annotations').locator('li').count();
  const smoothAnnotated = await smoothness(page, 60, 100);
  const rapidAnnotated = await pageFlips(page, Math.min(flips, 40), 0);

  await browser.close();
  await stop();
  const chromium = execFileSync('/usr/bin/chromium', ['--version']).toString().trim();
  console.log(JSON.stringify({
    bench: 'web viewer',
    date: new Date().toISOString(),
    machine: `${cpus().length}-core shared dev VM (${cpus()[0]?.model ?? 'cpu'}), node ${process.version}, ${chromium} headless`,
    source,
    viewport: '1600x1000 CSS px, 10 s pages, HP 0.5 Hz + LP 70 Hz display filters',
    openToFirstPageMs: opened(firstPage),
    flipRapidMs: summary(rapid),
    flipPacedMs: summary(paced),
    flipPacedBipolarMs: summary(bipolar),
    pagingEvery100ms: smoothPlain,
    with10kAnnotations: {
      annotations: annotationCount,
      storedInSeconds: round(storeSeconds),
      listedOnFirstPage: listed,
      openToFirstPageMs: opened(firstPageAnnotated),
      pagingEvery100ms: smoothAnnotated,
      flipRapidMs: summary(rapidAnnotated),
    },
  }, null, 1));
}

await main();
