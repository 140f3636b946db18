/**
 * End to end in headless Chromium against the real server (apps/server startServer on a temp
 * data folder, SQLite, in-process jobs) serving a fresh Vite build: sign in, create a project,
 * upload a real EDF (eegio-seizure scalp_test.edf, 42 channels at 200 Hz, 236 s), open it,
 * page through with the keyboard, switch montage, add an annotation, reload and see it kept;
 * edit and delete annotations, mark a bad channel (saved on the server). The upload is
 * throttled (Chromium network emulation) so its progress bar is seen part way.
 * A user who is a clinician elsewhere but not a member here gets 403 and the attempt is in the
 * project's audit log (read through the admin's audit API).
 * A file that is not a recording is refused with the server's message shown. An "analyze" job
 * started from the project page is followed live (SSE) to "done" and its charts are drawn.
 * Screenshots go to a temp folder printed on the console.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, describeWith, hasShared, sharedPath } from '@cajal/core/testing';
import type { RunningServer } from '@cajal/server';
import { launchBrowser, startWorkbench } from './harness.ts';

/** expect.poll with room for a loaded machine (the default gives up after 1 s). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 100 });

const edfPath = sharedPath('data', 'eegio-seizure', 'scalp_test.edf');
const ready = chromiumPath() !== undefined && hasShared('data/eegio-seizure/scalp_test.edf');

describeWith('workbench end to end (real server, headless Chromium)', ready, 'needs Chromium (/usr/bin/chromium) and ../shared/data/eegio-seizure/scalp_test.edf', () => {
  let server: RunningServer;
  let browser: Browser;
  const work = mkdtempSync(join(tmpdir(), 'cajal-web-e2e-'));
  const shots = join(work, 'screenshots');
  const outsider = { email: 'outsider@example.org', password: 'not-a-member-42' };

  beforeAll(async () => {
    // Signed in as the admin (the harness refuses a failed sign-in).
    const started = await startWorkbench(work);
    server = started.server;
    const cookie = started.cookie;
    // The outsider's account is made as an admin would, over the API.
    const created = await fetch(`${server.url}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ email: outsider.email, name: 'Outsider', password: outsider.password }) });
    expect(created.status).toBe(200);
    browser = await launchBrowser();
    console.log(`e2e screenshots: ${shots}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (process.env['KEEP_E2E'] !== '1') for (const dir of ['data', 'dist']) rmSync(join(work, dir), { recursive: true, force: true });
  });

  const firstPageDrawn = (page: Page) => page.waitForFunction(() => (window.__cajalPerf?.firstPageMs.length ?? 0) >= 1, undefined, { timeout: 60_000 });

  it('signs in, uploads a real EDF, views, pages, switches montage, annotates, and keeps the annotation; a non-member gets 403, audited', async () => {
    const admin = server.bootstrap.admin!;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);

    // Sign in: a wrong password shows the server's message, the right one lands on Projects.
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => page.getByRole('alert').textContent()).toBeTruthy();
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();

    await page.getByPlaceholder('New project name').fill('E2E clinic');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('link', { name: 'E2E clinic' }).click();
    await page.getByRole('heading', { name: 'Recordings' }).waitFor();
    const projectId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);

    // A subject with a consent record, chosen for the uploads.
    await page.getByPlaceholder('Subject code (no names)').fill('S01');
    await page.getByPlaceholder('Consent scope (optional)').fill('EEG review');
    await page.getByRole('button', { name: 'Add subject' }).click();
    await poll(() => page.getByTestId('subjects').textContent()).toContain('consent: EEG review');
    await page.getByTestId('upload-subject').selectOption({ label: 'S01' });

    // A file that is not a recording: refused, with the server's clear message.
    const junk = join(work, 'notes.edf');
    writeFileSync(junk, 'this is not an EDF file at all, just text pretending to be one');
    await page.getByTestId('upload-input').setInputFiles(junk);
    await page.getByTestId('upload-error').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('upload-error').textContent()).toMatch(/Upload refused: .{10,}/);

    // The real EDF (3.9 MiB), with the upload throttled to 2 MB/s so the progress bar is seen moving.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2_000_000 });
    await page.getByTestId('upload-input').setInputFiles(edfPath);
    const bar = page.getByTestId('upload-progress').locator('progress');
    await poll(async () => Number(await bar.getAttribute('value'))).toBeGreaterThan(0);
    const partway = Number(await bar.getAttribute('value'));
    expect(partway).toBeLessThan(Number(await bar.getAttribute('max')));
    await page.screenshot({ path: join(shots, '0-uploading.png') });
    await page.getByTestId('upload-done').waitFor({ timeout: 120_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect(await page.getByTestId('upload-done').textContent()).toContain('42 channels');
    await page.screenshot({ path: join(shots, '1-project.png') });

    await page.getByTestId('recordings').getByRole('link').first().click();
    await firstPageDrawn(page);
    const status = page.getByTestId('page-status');
    await page.getByTestId('deidentification').locator('summary').click();
    expect(await page.getByTestId('deidentification').textContent()).toContain('patient_identification');
    await page.screenshot({ path: join(shots, '2-viewer-recorded.png') });
    await page.getByTestId('deidentification').locator('summary').click();
    for (const [key, expected] of [['PageDown', '1'], ['PageDown', '2'], ['ArrowRight', '3'], ['PageUp', '2'], ['End', '23'], ['Home', '0']] as const) {
      await page.keyboard.press(key);
      await poll(() => status.getAttribute('data-page')).toBe(expected);
    }
    await page.getByTestId('montage').selectOption('double-banana');
    await poll(() => status.getAttribute('data-montage')).toBe('double-banana');
    const drawnBefore = await page.evaluate(() => window.__cajalPerf!.pagesDrawn);
    await poll(() => page.evaluate(() => window.__cajalPerf!.pagesDrawn)).toBeGreaterThan(drawnBefore - 1);
    await page.keyboard.press('PageDown');
    await poll(() => status.getAttribute('data-page')).toBe('1');
    await page.screenshot({ path: join(shots, '3-viewer-bipolar.png') });

    // Annotate with the key, at the centre of page 2 (10-20 s): 15 s.
    await page.keyboard.press('a');
    await page.getByTestId('annotation-text').fill('e2e: sharp wave');
    await page.getByTestId('annotation-save').click();
    await poll(() => page.getByTestId('page-annotations').textContent()).toContain('e2e: sharp wave');
    const recordingId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);

    await page.reload();
    await firstPageDrawn(page);
    await page.keyboard.press('PageDown');
    await poll(() => page.getByTestId('page-annotations').textContent()).toContain('e2e: sharp wave');
    await page.screenshot({ path: join(shots, '4-after-reload.png') });
    const stored = (await (await context.request.get(`${server.url}/api/recordings/${recordingId}/annotations`)).json()) as { annotations: { text: string; onsetSeconds: number }[] };
    const kept = stored.annotations.find((a) => a.text === 'e2e: sharp wave');
    expect(kept?.onsetSeconds).toBeCloseTo(15, 1);

    // Edit it from the list, then add one more and delete that.
    const listed = page.getByTestId('page-annotations');
    await listed.getByRole('button', { name: /e2e: sharp wave/ }).click();
    await page.getByTestId('annotation-text').fill('e2e: sharp wave (edited)');
    await page.getByTestId('annotation-save').click();
    await poll(() => listed.textContent()).toContain('(edited)');
    await page.keyboard.press('a');
    await page.getByTestId('annotation-text').fill('e2e: to delete');
    await page.getByTestId('annotation-save').click();
    await poll(() => listed.textContent()).toContain('e2e: to delete');
    await listed.getByRole('button', { name: /e2e: to delete/ }).click();
    await page.getByTestId('annotation-delete').click();
    await poll(() => listed.textContent()).not.toContain('e2e: to delete');
    const after = (await (await context.request.get(`${server.url}/api/recordings/${recordingId}/annotations`)).json()) as { annotations: { text: string }[] };
    expect(after.annotations.filter((a) => a.text.startsWith('e2e:')).map((a) => a.text)).toEqual(['e2e: sharp wave (edited)']);

    // Mark a channel bad: saved on the server.
    const header = (await (await context.request.get(`${server.url}/api/recordings/${recordingId}`)).json()) as { header: { channels: { label: string; bad: boolean }[] } };
    const badLabel = header.header.channels[0]!.label;
    await page.getByTestId('channels-button').click();
    await page.getByTestId('bad-channels').getByLabel(badLabel, { exact: true }).check();
    await poll(async () => ((await (await context.request.get(`${server.url}/api/recordings/${recordingId}`)).json()) as typeof header).header.channels.find((c) => c.label === badLabel)?.bad).toBe(true);
    await page.getByTestId('channels-button').click();

    // Analyse it: the job page lists the server's jobs, follows this one over SSE to "done" and
    // draws the results.
    await page.goto(`${server.url}/#/projects/${encodeURIComponent(projectId)}`);
    await page.getByTestId('recordings').getByRole('button', { name: 'Analyze' }).first().click();
    await poll(() => page.getByTestId('job-status').first().textContent()).toBe('done');
    await page.getByTestId('relative-band-chart').waitFor();
    expect(await page.getByTestId('relative-band-chart').locator('rect').count()).toBeGreaterThan(42);
    // The server's PSD (per channel, to 45 Hz) is drawn by @cajal/viz: one series per channel,
    // each named in the legend. (uPlot's legend, read here before, had one more row, for the
    // frequency axis: its "> 42" rows were these 42 channels.)
    await page.getByTestId('psd-chart').locator('svg').waitFor();
    expect(await page.getByTestId('psd-chart').locator('.legend-entry').count()).toBeGreaterThanOrEqual(42);
    await page.screenshot({ path: join(shots, '5-analysis.png'), fullPage: true });
    // The charts hold at a phone's width: each shrinks to fit a 360 px screen.
    await page.setViewportSize({ width: 360, height: 800 });
    await poll(() => page.$$eval('svg.chart', (svgs) => svgs.filter((svg) => svg.getBoundingClientRect().right > 360).length)).toBe(0);
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(shots, '5-analysis-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1400, height: 900 });

    // A signed-in user who is a clinician in another project but not a member of this one:
    // 403 on its recordings, and audited.
    const elsewhere = (await (await context.request.post(`${server.url}/api/projects`, { data: { name: 'E2E other clinic', datePolicy: 'year' } })).json()) as { project: { id: string } };
    expect((await context.request.post(`${server.url}/api/projects/${elsewhere.project.id}/members`, { data: { email: outsider.email, role: 'clinician' } })).status()).toBe(200);
    const other = await browser.newContext();
    const login = await other.request.post(`${server.url}/api/auth/login`, { data: outsider });
    expect(login.status()).toBe(200);
    const denied = await other.request.get(`${server.url}/api/recordings/${recordingId}/annotations`);
    expect(denied.status()).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBeTruthy();
    expect((await other.request.get(`${server.url}/api/projects/${projectId}/recordings`)).status()).toBe(403);
    const outsiderId = ((await (await other.request.get(`${server.url}/api/me`)).json()) as { user: { id: string } }).user.id;
    const audit = (await (await context.request.get(`${server.url}/api/projects/${projectId}/audit`)).json()) as { entries: { userId: string | null; outcome: string; action: string }[] };
    const deniedEntries = audit.entries.filter((e) => e.userId === outsiderId && e.outcome === 'denied');
    expect(deniedEntries.length).toBeGreaterThanOrEqual(1);

    // The outsider's browser shows the refusal rather than data.
    const otherPage = await other.newPage();
    await otherPage.goto(`${server.url}/#/recordings/${recordingId}`);
    await otherPage.getByRole('alert').waitFor();
    await otherPage.screenshot({ path: join(shots, '6-outsider-403.png') });
    await other.close();
    await context.close();
  });
});
