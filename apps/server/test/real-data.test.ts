/**
 * Real EDF/EDF+/BDF/BDF+ files from ../shared/data through the upload path: accepted,
 * de-identified (header rewritten, re-readable), pages equal to the stored file, CSA computed;
 * an annotation-only EDF+ (hypnogram) is refused with a clear 422 and leaves nothing behind.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { decodeSignalPage } from '@cajal/formats';
import { openRecordingFile } from '@cajal/formats/node';
import { errorOf, makeHarness } from './harness.ts';
import type { Harness } from './harness.ts';

const files = [
  { path: 'eegio-seizure/scalp_test.edf', format: 'edf+c', channels: 42 },
  { path: 'edfio/short_psg.bdf', format: 'bdf', channels: 7 },
  { path: 'mne-testing-data/EDF/test_utf8_annotations.edf', format: 'edf+c', channels: 11 },
  { path: 'pyedflib/test_generator.bdf', format: 'bdf+c', channels: 5 },
];
const hypnogram = 'mne-testing-data/EDF/SC4001EC-Hypnogram.edf';

describeShared('real recordings through the upload path', [...files.map((f) => f.path), hypnogram].map((p) => `data/${p}`), () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it.each(files)('$path: stored de-identified, pages equal the stored file', async ({ path, format, channels }) => {
    const result = await h.upload(h.projectA, new Uint8Array(readFileSync(sharedPath('data', path))), path.split('/').pop() as string);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const { recording, deidentification } = result.body as { recording: { id: string; sha256: string; format: string; channelCount: number; name: string }; deidentification: { method: string; fields: unknown[] } };
    expect(recording).toMatchObject({ format, channelCount: channels });
    expect(recording.name).toMatch(/^recording-\d{3}\.(edf|bdf)$/);
    expect(deidentification.method).toBe('edf-header-rewrite');
    const stored = await openRecordingFile(h.services.blobs.pathOf(recording.sha256));
    try {
      expect(stored.header.subject.raw?.trim()).toMatch(/^X( X X X)?$/);
      const page = decodeSignalPage((await h.call('GET', `/api/recordings/${recording.id}/signal?start=1&duration=4`, { cookie: h.cookies.clinician })).bytes);
      expect(page.channels).toHaveLength(channels);
      const first = page.channels[0]!;
      expect(Array.from(first.samples)).toEqual(Array.from(await stored.readChannel(0, { startSeconds: 1, endSeconds: 5 })));
    } finally {
      await stored.close();
    }
    expect((await h.call('GET', `/api/recordings/${recording.id}/spectrogram`, { cookie: h.cookies.clinician })).status).toBe(200);
  }, 60_000);

  it('refuses an annotation-only EDF+ (hypnogram) with a clear message, leaving nothing behind', async () => {
    const { audit: _a, ...before } = await h.services.storage.countRows();
    const files = h.services.blobs.listFiles();
    const result = await h.upload(h.projectA, new Uint8Array(readFileSync(sharedPath('data', hypnogram))), 'SC4001EC-Hypnogram.edf');
    expect(result.status).toBe(422);
    expect(errorOf(result)).toEqual({ code: 'FORMAT_INVALID_FIELD', message: 'the recording has no signal channels' });
    const { audit: _b, ...after } = await h.services.storage.countRows();
    expect(after).toEqual(before);
    expect(h.services.blobs.listFiles()).toEqual(files);
  });
});
