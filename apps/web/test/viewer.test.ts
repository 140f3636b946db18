/**
 * The viewer in headless Chromium against the mocked API (test/mock-api.ts): first page
 * drawn, keyboard paging, montage switch, an annotation added and kept across a reload, and
 * 10,000 annotations still paging. Criteria: the page index and montage shown follow the
 * keys; the canvas is not blank; the annotation posted is listed after reload.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, describeWith } from '@cajal/core/testing';
import { buildWeb, launchBrowser, serveBuiltApp } from './harness.ts';
import { MockApi, tenTwentyLabels } from './mock-api.ts';

/** expect.poll with room for a loaded machine (the default gives up after 1 s). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 100 });

const origin = 'http://cajal.test';

describeWith('viewer against the mocked API', chromiumPath() !== undefined, 'needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH)', () => {
  let browser: Browser;
  let dist: string;
  const shots = mkdtempSync(join(tmpdir(), 'cajal-web-shots-'));

  beforeAll(async () => {
    dist = await buildWeb();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(mock: MockApi): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await serveBuiltApp(context, dist, origin);
    await mock.install(context, origin);
    const page = await context.newPage();
    await page.goto(`${origin}/#/recordings/r1`);
    await page.waitForFunction(() => (window.__cajalPerf?.firstPageMs.length ?? 0) >= 1);
    return page;
  }

  const drawn = (page: Page) => page.evaluate(() => window.__cajalPerf?.pagesDrawn ?? 0);

  it('draws, pages with the keyboard, switches montage, and keeps an annotation across reload', async () => {
    const mock = new MockApi({ durationSeconds: 600, sampleRateHz: 256, labels: tenTwentyLabels, annotationCount: 0 });
    const page = await open(mock);
    const status = page.getByTestId('page-status');
    await poll(() => status.getAttribute('data-page')).toBe('0');
    // Not blank: the canvas has dark trace pixels.
    const dark = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 80 && d[i + 1]! < 80 && d[i + 2]! < 80) n++;
      return n;
    });
    expect(dark).toBeGreaterThan(1000);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await poll(() => status.getAttribute('data-page')).toBe('2');
    await page.keyboard.press('PageUp');
    await poll(() => status.getAttribute('data-page')).toBe('1');
    await page.keyboard.press('End');
    await poll(() => status.getAttribute('data-page')).toBe('59');
    await page.keyboard.press('Home');
    await poll(() => status.getAttribute('data-page')).toBe('0');
    const before = await drawn(page);
    await page.getByTestId('montage').selectOption('double-banana');
    await poll(() => status.getAttribute('data-montage')).toBe('double-banana');
    await poll(() => drawn(page)).toBeGreaterThan(before);
    await page.screenshot({ path: join(shots, 'mock-bipolar.png') });
    // Annotate with the "a" key at the page centre.
    await page.keyboard.press('a');
    await page.getByTestId('annotation-text').fill('spike-wave (test)');
    await page.getByTestId('annotation-save').click();
    await poll(() => mock.annotations.length).toBe(1);
    expect(mock.annotations[0]!.onsetSeconds).toBeCloseTo(5, 1);
    await page.reload();
    await page.waitForFunction(() => (window.__cajalPerf?.firstPageMs.length ?? 0) >= 1);
    await poll(() => page.getByTestId('page-annotations').textContent()).toContain('spike-wave (test)');
    // Click-drag adds a span annotation.
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    await page.mouse.move(box.x + 300, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + 500, box.y + 220, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('annotation-text').fill('artefact');
    await page.getByTestId('annotation-save').click();
    await poll(() => mock.annotations.length).toBe(2);
    expect(mock.annotations[1]!.durationSeconds).toBeGreaterThan(0.5);
    await page.context().close();
  });

  it('stays usable with 10,000 annotations: pages flip and only the visible ones are listed', async () => {
    const mock = new MockApi({ durationSeconds: 3600, sampleRateHz: 256, labels: tenTwentyLabels, annotationCount: 10_000 });
    const page = await open(mock);
    const status = page.getByTestId('page-status');
    for (let i = 1; i <= 20; i++) {
      await page.keyboard.press('PageDown');
      await poll(() => status.getAttribute('data-page')).toBe(String(i));
    }
    const listed = await page.getByTestId('page-annotations').locator('li').count();
    expect(listed).toBeGreaterThan(5);
    expect(listed).toBeLessThan(100);
    expect(await page.evaluate(() => window.__cajalPerf?.flipMs.length ?? 0)).toBeGreaterThanOrEqual(20);
    await page.screenshot({ path: join(shots, 'mock-10k-annotations.png') });
    await page.context().close();
  });
});
