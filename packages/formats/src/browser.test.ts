import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { chromiumArgs, chromiumPath, describeShared, describeWith, sharedPath } from '@cajal/core/testing';
import { openRecordingFile } from './node.ts';

/**
 * The formats reader in a browser: headless Chromium (Debian's, through playwright-core) loads a
 * page whose script is this package bundled by esbuild for the browser. A real file from
 * ../shared/data is given to its <input type=file>; the page opens the `File` with
 * `openRecording` (a Blob source: only the byte ranges it needs are sliced) and lists the
 * channels. The labels, units, rates, sample counts and the first second of channel 0 it shows
 * must equal what the Node reader gives for the same file read from its path.
 */

/** The page script: list a chosen file's channels; first second of channel 0 as JSON. */
const pageScript = `
import { openRecording } from './index.ts';
const input = document.getElementById('file');
const status = document.getElementById('status');
input.addEventListener('change', async () => {
  const list = document.getElementById('channels');
  list.replaceChildren();
  status.textContent = 'reading';
  try {
    const file = input.files[0];
    const opened = await openRecording(file);
    for (const channel of opened.header.channels) {
      const item = document.createElement('li');
      item.textContent = channel.label;
      item.dataset.unit = channel.unit;
      item.dataset.rate = String(channel.sampleRateHz);
      item.dataset.count = String(channel.sampleCount);
      list.append(item);
    }
    const first = await opened.readChannel(0, { startSeconds: 0, endSeconds: 1 });
    document.getElementById('samples').textContent = JSON.stringify(Array.from(first));
    document.getElementById('format').textContent = opened.header.format;
    await opened.close();
    status.textContent = 'done';
  } catch (error) {
    status.textContent = 'error ' + (error.code ?? '') + ': ' + error.message;
  }
});
`;

interface Shown {
  status: string;
  format: string;
  channels: Array<{ label: string; unit: string; rate: number; count: number }>;
  samples: number[];
}

const files = ['mne-testing-data/EDF/test_generator_2.edf', 'eegio-seizure/scalp_test.edf', 'edfio/short_psg.bdf'];
let browser: Browser | undefined;
let html = '';

beforeAll(async () => {
  if (!chromiumPath()) return;
  const bundle = await build({
    stdin: { contents: pageScript, resolveDir: import.meta.dirname, loader: 'ts', sourcefile: 'page.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  const script = (bundle.outputFiles[0]?.text ?? '').replace(/<\/script/gi, '<\\/script');
  html = `<!doctype html><meta charset="utf-8"><title>channels</title>
<input type="file" id="file"><p id="status">idle</p><p id="format"></p><ol id="channels"></ol><pre id="samples"></pre>
<script type="module">${script}</script>`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
});
afterAll(async () => {
  await browser?.close();
});

async function showFile(path: string): Promise<{ shown: Shown; requests: string[] }> {
  const page: Page = await (browser as Browser).newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.setContent(html);
    await page.setInputFiles('#file', path);
    await page.waitForFunction(() => /^(done|error)/.test(document.getElementById('status')?.textContent ?? ''), undefined, { timeout: 30_000 });
    const shown = await page.evaluate(() => ({
      status: document.getElementById('status')?.textContent ?? '',
      format: document.getElementById('format')?.textContent ?? '',
      channels: [...document.querySelectorAll<HTMLLIElement>('#channels li')].map((li) => ({
        label: li.textContent ?? '',
        unit: li.dataset['unit'] ?? '',
        rate: Number(li.dataset['rate']),
        count: Number(li.dataset['count']),
      })),
      samples: JSON.parse(document.getElementById('samples')?.textContent || '[]') as number[],
    }));
    return { shown, requests };
  } finally {
    await page.close();
  }
}

describeWith('formats in headless Chromium', chromiumPath() !== undefined, 'needs Chromium (apt-get install -y chromium)', () => {
  describeShared('reading a real EDF/BDF from a File', files.map((f) => `data/${f}`), () => {
    for (const file of files) {
      it(`${file}: the page lists the same channels as the Node reader, and the same first second of channel 0`, async () => {
        const path = sharedPath('data', file);
        const { shown, requests } = await showFile(path);
        expect(shown.status).toBe('done');
        const opened = await openRecordingFile(path);
        try {
          const expected = opened.header.channels;
          expect(shown.channels.map((c) => c.label)).toEqual(expected.map((c) => c.label));
          expect(shown.channels.map((c) => c.unit)).toEqual(expected.map((c) => c.unit));
          expect(shown.channels.map((c) => c.rate)).toEqual(expected.map((c) => c.sampleRateHz));
          expect(shown.channels.map((c) => c.count)).toEqual(expected.map((c) => c.sampleCount));
          expect(shown.format).toBe(opened.header.format);
          const first = await opened.readChannel(0, { startSeconds: 0, endSeconds: 1 });
          expect(shown.samples.length).toBe(first.length);
          expect(Float32Array.from(shown.samples)).toEqual(first);
          console.log(`browser read ${file}: ${shown.channels.length} channels (${shown.channels.slice(0, 4).map((c) => c.label).join(', ')}, ...), format ${shown.format}`);
        } finally {
          await opened.close();
        }
        // The page is self-contained: the file came through the input, nothing was fetched.
        expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
      });
    }

    it('a file that is not a recording shows a typed error, not a crash', async () => {
      const { shown } = await showFile(join(import.meta.dirname, 'index.ts'));
      expect(shown.status).toMatch(/^error FORMAT_UNKNOWN: cannot tell the format of index\.ts/);
      expect(shown.channels).toEqual([]);
    });
  });
});
