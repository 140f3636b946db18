import { describe, expect, it } from 'vitest';
import { createRandom, createRecording } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { bufferSource, decodeSignalPage, openRecording, readIntoThroughRead, writeBdf, writeEdf } from '@cajal/formats';
import type { ByteSource, OpenedRecording } from '@cajal/formats';
import { readSignalPage } from './page.ts';

/** A recording with channels at different rates (so records hold different sample counts). */
function recording(seconds: number, segments?: { onsetSeconds: number; durationSeconds: number }[]): ReturnType<typeof createRecording> {
  const random = createRandom(5);
  const rates = [256, 128, 512, 256, 64];
  const channels: Channel[] = rates.map((rate, c) => {
    const count = rate * seconds;
    const samples = new Float32Array(count);
    for (let i = 0; i < count; i++) samples[i] = 50 * Math.sin(i / (3 + c)) + random.normal(0, 10);
    return { label: `C${c}`, unit: 'uV', sampleRateHz: rate, sampleCount: count, type: 'eeg', samples, physicalMin: -300, physicalMax: 300 };
  });
  return createRecording({ channels, startTime: new Date(Date.UTC(2020, 0, 1)), ...(segments ? { segments } : {}) });
}

/** In-memory bytes with `readInto`, as `openPathSource` gives for a file. */
function rawSource(bytes: Uint8Array): ByteSource & { reads: number } {
  return {
    ...bufferSource(bytes, 'test.edf'),
    reads: 0,
    async readInto(offset, target) {
      this.reads += 1;
      const part = bytes.subarray(offset, offset + target.byteLength);
      target.set(part);
      return part.byteLength;
    },
  };
}

/** The same recording read through `read()` (the generic page path every reader can take). */
function throughRead(opened: OpenedRecording): OpenedRecording {
  return { header: opened.header, read: (o) => opened.read(o), readChannel: (...a) => opened.readChannel(...a), readInto: (r) => readIntoThroughRead(opened, r), close: () => opened.close() };
}

describe('readSignalPage direct EDF/BDF path', () => {
  for (const [name, bytes] of [
    ['EDF+ 1 s records', writeEdf(recording(40)).bytes],
    ['EDF+ 0.5 s records', writeEdf(recording(40), { recordDurationSeconds: 0.5 }).bytes],
    ['BDF+ 2 s records', writeBdf(recording(40), { recordDurationSeconds: 2 }).bytes],
    ['EDF+D with a 10 s gap', writeEdf(recording(40, [{ onsetSeconds: 0, durationSeconds: 20 }, { onsetSeconds: 30, durationSeconds: 20 }])).bytes],
  ] as const) {
    it(`gives byte-identical pages to the generic reader path (${name})`, async () => {
      const generic = throughRead(await openRecording(bufferSource(bytes, 'test.edf')));
      const source = rawSource(bytes);
      const direct = await openRecording(source);
      const random = createRandom(9);
      const requests: { startSeconds: number; durationSeconds: number; channels: string[] }[] = [
        { startSeconds: 0, durationSeconds: 10, channels: [] },
        { startSeconds: 30, durationSeconds: 10, channels: [] },
        { startSeconds: 35, durationSeconds: 10, channels: [] },
        { startSeconds: 50, durationSeconds: 10, channels: [] },
        { startSeconds: 0, durationSeconds: 40, channels: ['C4', 'C1', 'C1'] },
      ];
      for (let i = 0; i < 40; i++) {
        requests.push({
          startSeconds: Math.round(random.uniform() * 4000) / 100,
          durationSeconds: Math.round((0.01 + random.uniform() * 15) * 1000) / 1000,
          channels: random.uniform() < 0.5 ? [] : ['C2', 'C0'],
        });
      }
      for (const request of requests) {
        const expected = await readSignalPage(generic, request);
        const actual = await readSignalPage(direct, request);
        expect(Buffer.from(actual).equals(Buffer.from(expected)), JSON.stringify(request)).toBe(true);
      }
      expect(source.reads).toBeGreaterThan(0);
      const page = decodeSignalPage(await readSignalPage(direct, { startSeconds: 1, durationSeconds: 2, channels: ['C2'] }));
      expect(page.channels[0]?.samples.length).toBe(1024);
    });
  }

  it('refuses a file whose data records are cut short', async () => {
    const bytes = writeEdf(recording(10)).bytes;
    // The file reads whole while it is opened, then its data records come back empty.
    let cut = false;
    const direct = await openRecording({
      ...bufferSource(bytes),
      readInto: async (offset, target) => {
        if (cut) return 0;
        const part = bytes.subarray(offset, offset + target.byteLength);
        target.set(part);
        return part.byteLength;
      },
    });
    cut = true;
    await expect(readSignalPage(direct, { startSeconds: 0, durationSeconds: 5, channels: [] })).rejects.toMatchObject({ code: 'FORMAT_TRUNCATED' });
  });

  it('gives each channel its own first-sample time and the page the recorded segments (EDF+D gap, late first record)', async () => {
    const gapped = await openRecording(bufferSource(writeEdf(recording(40, [{ onsetSeconds: 0.5, durationSeconds: 20 }, { onsetSeconds: 30.5, durationSeconds: 20 }])).bytes, 'gap.edf'));
    const late = decodeSignalPage(await readSignalPage(gapped, { startSeconds: 0, durationSeconds: 2, channels: [] }));
    expect(late.channels.map((c) => c.firstSampleSeconds)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(late.segments).toEqual([{ onsetSeconds: 0.5, durationSeconds: 1.5 }]);
    const across = decodeSignalPage(await readSignalPage(gapped, { startSeconds: 18, durationSeconds: 14, channels: ['C1'] }));
    expect(across.channels[0]!.runs.map((r) => [r.startSeconds, r.count])).toEqual([[18, 128 * 2.5], [30.5, 128 * 1.5]]);
    const inGap = decodeSignalPage(await readSignalPage(gapped, { startSeconds: 21, durationSeconds: 9, channels: [] }));
    expect(inGap.channels.every((c) => c.samples.length === 0 && c.firstSampleSeconds === null)).toBe(true);
  });
});
