/**
 * The viewer draws each sample at its own time, in headless Chromium against the real server
 * (apps/server startServer on a temp data folder serving a fresh Vite build), reading the drawn
 * sample positions from the engine (`window.__cajalViewer.drawnTraces()`), not a screenshot:
 * (a) an EDF+D written by Cajal's EDF+ writer, 10 Hz at 0-5 s and 3 Hz at 10-15 s: the 3 Hz
 *     signal is drawn at 10-15 s and a 5-s page over the gap shows no signal;
 * (b) a real EDF+ whose first record starts at +0.39 s (mne-testing-data subsecond_starttime.edf):
 *     `GET /signal?start=0&duration=2` gives each channel's true start, drawn there;
 * (c) the viewer's filtered, montaged page equals @cajal/signal's `applyMontage` then
 *     `applyDisplayFilter` of the same samples.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createRecording } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { chromiumPath, describeWith, hasShared, sharedPath } from '@cajal/core/testing';
import { decodeSignalPage, writeEdf } from '@cajal/formats';
import { applyDisplayFilter, applyMontage } from '@cajal/signal';
import type { RunningServer } from '@cajal/server';
import type { DrawnTrace } from '../src/ui/viewer-engine.ts';
import { launchBrowser, startWorkbench } from './harness.ts';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 100 });

const subsecondPath = sharedPath('data', 'mne-testing-data', 'EDF', 'subsecond_starttime.edf');
const ready = chromiumPath() !== undefined && hasShared('data/mne-testing-data/EDF/subsecond_starttime.edf');

/** 10-20 electrodes at 200 Hz: 10 Hz at 0-5 s, then (after a 5-s gap) 3 Hz at 10-15 s; a phase per channel. */
const rate = 200;
const labels = ['Fp1', 'F7', 'T3', 'T5', 'O1', 'F3', 'C3', 'P3', 'Fz', 'Cz', 'Pz'];
function gappedEdf(): Uint8Array {
  const perSegment = 5 * rate;
  const channels: Channel[] = labels.map((label, c) => {
    const samples = new Float32Array(2 * perSegment);
    for (let i = 0; i < perSegment; i++) {
      samples[i] = 40 * Math.sin(2 * Math.PI * 10 * (i / rate) + c);
      samples[perSegment + i] = 60 * Math.sin(2 * Math.PI * 3 * (i / rate) + c);
    }
    return { label, unit: 'uV', sampleRateHz: rate, sampleCount: samples.length, type: 'eeg', samples, physicalMin: -200, physicalMax: 200 };
  });
  const recording = createRecording({ channels, segments: [{ onsetSeconds: 0, durationSeconds: 5 }, { onsetSeconds: 10, durationSeconds: 5 }], startTime: new Date(Date.UTC(2020, 0, 1)) });
  return writeEdf(recording, { recordDurationSeconds: 1 }).bytes;
}

/** Correlation of drawn samples with a sine of `hz` at the drawn times (best phase). */
function sineFit(trace: DrawnTrace, hz: number): number {
  const times = trace.pieces.flatMap((p) => p.times);
  const values = trace.samples.flat();
  let sc = 0, cc = 0, ss = 0, vs = 0, vc = 0, vv = 0;
  times.forEach((t, i) => {
    const s = Math.sin(2 * Math.PI * hz * t);
    const c = Math.cos(2 * Math.PI * hz * t);
    const v = values[i] as number;
    ss += s * s; cc += c * c; sc += s * c; vs += v * s; vc += v * c; vv += v * v;
  });
  // Least squares of v on [s, c]: explained fraction of the variance.
  const det = ss * cc - sc * sc;
  const a = (vs * cc - vc * sc) / det;
  const b = (vc * ss - vs * sc) / det;
  return Math.sqrt((a * vs + b * vc) / vv);
}

describeWith('viewer draws samples at their own times (real server, headless Chromium)', ready, 'needs Chromium (/usr/bin/chromium) and ../shared/data/mne-testing-data/EDF/subsecond_starttime.edf', () => {
  let server: RunningServer;
  let browser: Browser;
  let cookie = '';
  let projectId = '';
  const work = mkdtempSync(join(tmpdir(), 'cajal-web-times-'));

  beforeAll(async () => {
    ({ server, cookie } = await startWorkbench(work));
    const project = (await (await fetch(`${server.url}/api/projects`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'times', datePolicy: 'keep' }) })).json()) as { project: { id: string } };
    projectId = project.project.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function upload(name: string, bytes: Uint8Array): Promise<string> {
    const response = await fetch(`${server.url}/api/projects/${projectId}/recordings?fileName=${name}`, { method: 'POST', headers: { cookie, 'content-type': 'application/octet-stream' }, body: bytes as Uint8Array<ArrayBuffer> });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { recording: { id: string } }).recording.id;
  }

  async function openViewer(recordingId: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addCookies([{ name: cookie.split('=')[0]!, value: cookie.slice(cookie.indexOf('=') + 1), url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/#/recordings/${encodeURIComponent(recordingId)}`);
    await page.waitForFunction(() => (window.__cajalPerf?.firstPageMs.length ?? 0) >= 1, undefined, { timeout: 60_000 });
    return page;
  }

  /** The engine's drawn traces once page `index` is shown. */
  async function drawnAt(page: Page, index: number): Promise<{ traces: DrawnTrace[]; frame: { width: number; labelWidth: number; windowStartSeconds: number; windowSeconds: number } }> {
    await poll(() => page.getByTestId('page-status').getAttribute('data-page')).toBe(String(index));
    await poll(() => page.evaluate(() => window.__cajalViewer?.frame().traces.length ?? 0)).toBeGreaterThan(0);
    return page.evaluate(() => {
      const engine = window.__cajalViewer!;
      const { width, labelWidth, windowStartSeconds, windowSeconds } = engine.frame();
      return { traces: engine.drawnTraces(), frame: { width, labelWidth, windowStartSeconds, windowSeconds } };
    });
  }

  it('(a) EDF+D: the 3 Hz signal is drawn at 10-15 s, the 10 Hz at 0-5 s, and a 5-s page over the gap shows no signal', async () => {
    const id = await upload('gapped.edf', gappedEdf());
    const page = await openViewer(id);
    const first = await drawnAt(page, 0);
    for (const trace of first.traces) {
      expect(trace.pieces).toHaveLength(1);
      const times = trace.pieces[0]!.times;
      expect(times[0]).toBeCloseTo(0, 9);
      expect(times.at(-1)!).toBeCloseTo(5 - 1 / rate, 9);
      // The display filters (0.5-70 Hz) leave a small edge transient at the segment's ends.
      expect(sineFit(trace, 10)).toBeGreaterThan(0.9);
      expect(sineFit(trace, 3)).toBeLessThan(0.3);
    }
    await page.keyboard.press('PageDown');
    const second = await drawnAt(page, 1);
    const { width, labelWidth } = second.frame;
    for (const trace of second.traces) {
      expect(trace.pieces).toHaveLength(1);
      const { times, xs } = trace.pieces[0]!;
      expect(times[0]).toBeCloseTo(10, 9);
      expect(times.at(-1)!).toBeCloseTo(15 - 1 / rate, 9);
      expect(xs[0]).toBeCloseTo(labelWidth, 6);
      expect(xs.at(-1)!).toBeCloseTo(labelWidth + ((15 - 1 / rate - 10) / 10) * (width - labelWidth), 6);
      expect(sineFit(trace, 3)).toBeGreaterThan(0.9);
      expect(sineFit(trace, 10)).toBeLessThan(0.3);
    }
    // 5-s pages: page 1 is 5-10 s, the gap.
    await page.getByTestId('page-seconds').selectOption('5');
    await page.keyboard.press('Home');
    await drawnAt(page, 0);
    await page.keyboard.press('PageDown');
    await poll(() => page.getByTestId('page-status').getAttribute('data-page')).toBe('1');
    await poll(() => page.evaluate(() => window.__cajalViewer!.frame().windowStartSeconds)).toBe(5);
    await poll(() => page.evaluate(() => window.__cajalViewer!.drawnTraces().map((t) => t.pieces.length))).toEqual(labels.map(() => 0));
    await page.keyboard.press('PageDown');
    const third = await drawnAt(page, 2);
    for (const trace of third.traces) expect(trace.pieces[0]!.times[0]).toBeCloseTo(10, 9);
    await page.context().close();
  });

  it('(b) real EDF+ with a first record at +0.39 s: the page gives each channel its true start and the viewer draws the first sample there', async () => {
    const id = await upload('subsecond_starttime.edf', new Uint8Array(readFileSync(subsecondPath)));
    const response = await fetch(`${server.url}/api/recordings/${id}/signal?start=0&duration=2`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const signal = decodeSignalPage(new Uint8Array(await response.arrayBuffer()));
    expect(signal.channels.length).toBeGreaterThan(0);
    for (const channel of signal.channels) {
      expect(channel.firstSampleSeconds).toBeCloseTo(0.3945312, 6);
      expect(channel.runs[0]!.startSeconds).toBeCloseTo(0.3945312, 6);
    }
    expect(signal.segments[0]!.onsetSeconds).toBeCloseTo(0.3945312, 6);
    const page = await openViewer(id);
    const drawn = await drawnAt(page, 0);
    const { width, labelWidth, windowSeconds } = drawn.frame;
    for (const trace of drawn.traces) {
      const { times, xs } = trace.pieces[0]!;
      expect(times[0]).toBeCloseTo(0.3945312, 6);
      expect(xs[0]).toBeCloseTo(labelWidth + (0.3945312 / windowSeconds) * (width - labelWidth), 4);
    }
    await page.context().close();
  });

  it('(c) the drawn double-banana page equals signal\'s applyMontage then applyDisplayFilter of the page\'s samples', async () => {
    const id = await upload('gapped-banana.edf', gappedEdf());
    const page = await openViewer(id);
    await page.getByTestId('montage').selectOption('double-banana');
    await poll(() => page.getByTestId('page-status').getAttribute('data-montage')).toBe('double-banana');
    await page.keyboard.press('PageDown');
    await drawnAt(page, 1);
    await poll(() => page.evaluate(() => window.__cajalViewer!.drawnTraces()[0]?.label)).toBe('Fp1-F7');
    const drawn = await page.evaluate(() => window.__cajalViewer!.drawnTraces());
    // The same padded span the viewer fetched for page 1 (8-22 s, clipped to the 15-s recording).
    const response = await fetch(`${server.url}/api/recordings/${id}/signal?start=8&duration=7`, { headers: { cookie } });
    const signal = decodeSignalPage(new Uint8Array(await response.arrayBuffer()));
    const channels: Channel[] = signal.channels.map((c) => ({ label: c.label, unit: c.unit, sampleRateHz: c.sampleRateHz, sampleCount: c.samples.length, type: 'eeg', samples: c.samples }));
    const montaged = applyMontage(channels, 'double-banana');
    expect(drawn.map((t) => t.label)).toEqual(montaged.map((c) => c.label));
    const filters = { highPassHz: 0.5, lowPassHz: 70 };
    montaged.forEach((channel, i) => {
      const expected = Array.from(applyDisplayFilter(channel.samples, rate, filters));
      const trace = drawn[i]!;
      expect(trace.pieces).toHaveLength(1);
      expect(trace.pieces[0]!.times[0]).toBeCloseTo(10, 9);
      expect(trace.samples[0]).toEqual(expected);
    });
    await page.context().close();
  });
});
