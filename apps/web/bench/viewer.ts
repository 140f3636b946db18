/**
 * Viewer figures in headless Chromium (playwright-core + performance marks):
 *   - time from opening a 1-hour recording to its first page drawn (median over opens),
 *   - per page flip (PageDown -> page drawn): median and p95, rapid (next key as soon as the
 *     page is drawn) and paced (250 ms between keys, so prefetch can work as it does for a reader).
 * Modes: `--server` (default when apps/server can start): the real server on a temp data
 * folder with a synthetic 1-hour 19-channel 256 Hz EDF uploaded through the API;
 * `--mock`: the mocked API (test/mock-api.ts) served through Playwright routing.
 * Prints JSON. Run: `nice npx tsx apps/web/bench/viewer.ts [--mock] [--flips 100] [--opens 5]`.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
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

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
const round = (x: number): number => Math.round(x * 10) / 10;

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

async function main(): Promise<void> {
  const dist = await buildWeb();
  const browser = await launchBrowser();
  let origin = 'http://cajal.test';
  let recordingId = 'r1';
  let stop = async (): Promise<void> => undefined;
  let source = 'mocked API: synthetic 19-channel 256 Hz, 1 h, generated per request';
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  if (mock) {
    await serveBuiltApp(context, dist, origin);
    await new MockApi({ durationSeconds: 3600, sampleRateHz: 256, labels: tenTwentyLabels, annotationCount: 10_000 }).install(context, origin);
  } else {
    const server = await startBenchServer(dist);
    origin = server.url;
    recordingId = server.recordingId;
    stop = server.stop;
    source = server.description;
    await context.addCookies(server.cookies.map((c) => ({ ...c, url: origin })));
  }
  const page = await context.newPage();
  const firstPage: number[] = [];
  for (let i = 0; i < opens; i++) {
    await page.goto(`${origin}/#/recordings/${recordingId}`);
    await page.waitForFunction(() => (window.__cajalPerf?.firstPageMs.length ?? 0) >= 1, undefined, { timeout: 60_000 });
    firstPage.push(await page.evaluate(() => window.__cajalPerf!.firstPageMs[0]!));
    if (i < opens - 1) await page.goto('about:blank');
  }
  const rapid = await pageFlips(page, flips, 0);
  const paced = await pageFlips(page, Math.min(flips, 40), 250);
  await page.keyboard.press('Home');
  await page.getByTestId('montage').selectOption('bipolar');
  const bipolar = await pageFlips(page, Math.min(flips, 40), 250);
  await browser.close();
  await stop();
  const chromium = execFileSync('/usr/bin/chromium', ['--version']).toString().trim();
  console.log(JSON.stringify({
    bench: 'web viewer',
    date: new Date().toISOString(),
    machine: `${cpus().length}-core shared dev VM (${cpus()[0]?.model ?? 'cpu'}), node ${process.version}, ${chromium} headless`,
    source,
    viewport: '1600x1000 CSS px, 10 s pages, HP 0.5 Hz + LP 70 Hz display filters',
    openToFirstPageMs: { median: round(quantile(firstPage, 0.5)), runs: firstPage.map(round) },
    flipRapidMs: { median: round(quantile(rapid, 0.5)), p95: round(quantile(rapid, 0.95)), count: rapid.length },
    flipPacedMs: { median: round(quantile(paced, 0.5)), p95: round(quantile(paced, 0.95)), count: paced.length },
    flipPacedBipolarMs: { median: round(quantile(bipolar, 0.5)), p95: round(quantile(bipolar, 0.95)), count: bipolar.length },
  }, null, 1));
}

await main();
