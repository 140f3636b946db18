import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { makeDemoEeg } from '@cajal/core';
import { chromiumArgs, chromiumPath, describeShared, describeWith, hasShared, sharedPath } from '@cajal/core/testing';
import { writeEdf } from '@cajal/formats';
import { analyzeFile } from './analyze.ts';
import { renderAnalysisReport } from './analyze-report.ts';

/**
 * The `cajal analyze` HTML report in headless Chromium (Debian's, through playwright-core):
 * every chart (`svg.chart`) must have drawn marks with a non-empty box inside the chart, the
 * page must fetch nothing, and a full-page screenshot is saved (its path is printed).
 */
interface ChartCheck {
  name: string;
  marks: number;
  visibleMarks: number;
  width: number;
  height: number;
}

const folder = mkdtempSync(join(tmpdir(), 'cajal-analyze-report-'));
let browser: Browser | undefined;

beforeAll(async () => {
  if (chromiumPath()) browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Open `html`, measure every chart, save a screenshot; returns the checks and the screenshot path. */
async function openReport(html: string, name: string): Promise<{ charts: ChartCheck[]; screenshot: string; requests: string[]; text: string }> {
  const file = join(folder, `${name}.html`);
  writeFileSync(file, html);
  const page = await (browser as Browser).newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(pathToFileURL(file).href);
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const marks = [...svg.querySelectorAll('path, circle, rect, line')] as SVGGraphicsElement[];
        const visible = marks.filter((m) => {
          const b = m.getBBox();
          const r = m.getBoundingClientRect();
          // A mark counts when it covers some area (or is a line with length) inside the chart.
          return (b.width > 0 || b.height > 0) && r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
        });
        return { name: svg.getAttribute('data-chart') ?? '', marks: marks.length, visibleMarks: visible.length, width: box.width, height: box.height };
      }),
    );
    const screenshot = join(folder, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`cajal analyze report screenshot (${name}): ${screenshot}`);
    const text = await page.innerText('body');
    return { charts, screenshot, requests, text };
  } finally {
    await page.close();
  }
}

function checkCharts(charts: ChartCheck[], bands: string[]): void {
  const names = charts.map((c) => c.name);
  for (const expected of ['traces', 'psd', ...bands.map((b) => `headmap-${b}`), ...bands.map((b) => `headmap-absolute-${b}`), 'connectivity-msc', 'connectivity-wpli', 'connectivity-plv', 'graph-msc', 'graph-wpli', 'graph-plv']) {
    expect(names, `chart ${expected}`).toContain(expected);
  }
  for (const chart of charts) {
    expect(chart.width, `${chart.name} width`).toBeGreaterThan(150);
    expect(chart.height, `${chart.name} height`).toBeGreaterThan(150);
    // Head maps: colour steps + head + electrodes; matrices: one rect per cell; traces: one path per channel.
    expect(chart.visibleMarks, `${chart.name} drawn marks`).toBeGreaterThan(15);
  }
}

describeWith('cajal analyze report in headless Chromium', chromiumPath() !== undefined, 'needs Chromium (/usr/bin/chromium)', () => {
  it('SIMULATED demo EEG: every chart is drawn, nothing is fetched, screenshot saved', async () => {
    const edf = join(folder, 'demo.edf');
    writeFileSync(edf, writeEdf(makeDemoEeg({ seed: 3, durationSeconds: 40 })).bytes);
    const report = await analyzeFile(edf, { quiet: true, workers: '0' });
    const { charts, requests, text } = await openReport(renderAnalysisReport(report), 'demo');
    checkCharts(charts, ['delta', 'theta', 'alpha', 'beta']);
    expect(charts.length).toBe(2 + 2 * 4 + 3 * 2);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(text).toContain('SIMULATED');
    expect(text).toContain('All 19 channels have a 10-20 / 10-10 position');
  });
});

describeShared('cajal analyze report on a real scalp EEG in headless Chromium', ['data/eegio-seizure/scalp_test.edf'], () => {
  it.skipIf(!chromiumPath())('NIH scalp EEG, --channels all (42 channels, 15 without 10-20 / 10-10 positions): charts drawn, the left-out channels named', async () => {
    expect(hasShared('data/eegio-seizure/scalp_test.edf')).toBe(true);
    const report = await analyzeFile(sharedPath('data', 'eegio-seizure', 'scalp_test.edf'), { quiet: true, workers: '0', lineFreq: '60', channels: 'all' });
    const { charts, text } = await openReport(renderAnalysisReport(report), 'scalp_test');
    checkCharts(charts, ['delta', 'theta', 'alpha', 'beta']);
    expect(text).toMatch(/left out \(no standard position\): .*DC01/);
  });
});
