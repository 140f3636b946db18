import { describe, expect, it } from 'vitest';
import { createRecording, isCajalError } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { bufferSource } from './source.ts';
import { openRecording } from './read.ts';
import { writeEdf } from './edf/writer.ts';
import { allocateSignalPage, decodeSignalPage, encodeSignalPage, finishSignalPage, pageHeaderOf, sampleTime } from './signal-page.ts';
import type { SignalPage } from './signal-page.ts';

describe('signal page codec', () => {
  const page: SignalPage = {
    startSeconds: 20,
    durationSeconds: 10,
    segments: [{ onsetSeconds: 20, durationSeconds: 2 }, { onsetSeconds: 25, durationSeconds: 5 }],
    channels: [
      { label: 'Fp1', unit: 'uV', sampleRateHz: 2, firstSampleSeconds: 20, runs: [{ startSeconds: 20, offset: 0, count: 2 }, { startSeconds: 25, offset: 2, count: 2 }], samples: new Float32Array([1, -2.5, 3, 4]) },
      { label: 'ECG', unit: 'mV', sampleRateHz: 1, firstSampleSeconds: 20.5, runs: [{ startSeconds: 20.5, offset: 0, count: 2 }], samples: new Float32Array([0.25, 7]) },
    ],
  };

  it('round-trips header fields (per-channel first sample time and runs, page segments) and every sample exactly', () => {
    const parsed = decodeSignalPage(encodeSignalPage(page));
    expect(parsed.startSeconds).toBe(20);
    expect(parsed.durationSeconds).toBe(10);
    expect(parsed.segments).toEqual(page.segments);
    expect(parsed.channels.map((c) => [c.label, c.unit, c.sampleRateHz, c.firstSampleSeconds])).toEqual([['Fp1', 'uV', 2, 20], ['ECG', 'mV', 1, 20.5]]);
    expect(parsed.channels[0]!.runs).toEqual(page.channels[0]!.runs);
    expect(Array.from(parsed.channels[0]!.samples)).toEqual([1, -2.5, 3, 4]);
    expect(Array.from(parsed.channels[1]!.samples)).toEqual([0.25, 7]);
    expect(sampleTime(parsed.channels[0]!, 2)).toBe(25);
    expect(sampleTime(parsed.channels[0]!, 1)).toBe(20.5);
    expect(sampleTime(parsed.channels[0]!, 4)).toBeNaN();
  });

  it('honours the zero padding to a multiple of 4 for every header length, and unaligned input bytes', () => {
    for (let extra = 0; extra < 4; extra++) {
      const labelled = { ...page, channels: [{ ...page.channels[0]!, label: 'F'.repeat(1 + extra) }] };
      const bytes = encodeSignalPage(labelled);
      expect(Array.from(decodeSignalPage(bytes).channels[0]!.samples)).toEqual([1, -2.5, 3, 4]);
      const shifted = new Uint8Array(bytes.byteLength + 1);
      shifted.set(bytes, 1);
      expect(Array.from(decodeSignalPage(shifted.subarray(1)).channels[0]!.samples)).toEqual([1, -2.5, 3, 4]);
    }
  });

  it('rejects a truncated sample block, naming the channel and the byte offset', () => {
    const bytes = encodeSignalPage(page);
    const cut = bytes.slice(0, bytes.byteLength - 4);
    try {
      decodeSignalPage(cut);
      expect.unreachable();
    } catch (error) {
      expect(isCajalError(error, 'FORMAT_TRUNCATED')).toBe(true);
      expect((error as Error).message).toContain('ECG');
      expect((error as Error).message).toMatch(/byte \d+/);
    }
  });

  it('rejects a header length beyond the buffer, a header that is not JSON, and runs that do not tile the samples', () => {
    const big = new ArrayBuffer(8);
    new DataView(big).setUint32(0, 1000, true);
    expect(() => decodeSignalPage(big)).toThrow(/claims 1000 bytes/);
    const bad = new ArrayBuffer(8);
    new DataView(bad).setUint32(0, 3, true);
    new Uint8Array(bad, 4, 3).set([123, 120, 125]);
    expect(() => decodeSignalPage(bad)).toThrow(/not valid JSON/);
    expect(() => decodeSignalPage(new ArrayBuffer(2))).toThrow(/shorter than/);
    const overlapping = { ...page, channels: [{ ...page.channels[0]!, runs: [{ startSeconds: 20, offset: 0, count: 3 }, { startSeconds: 25, offset: 2, count: 2 }] }] };
    expect(() => decodeSignalPage(encodeSignalPage(overlapping))).toThrow(/channels\[0\]\.runs\[1\]/);
  });

  it('packs a readInto layout in place: an EDF+D page over a gap and a late first record keep their times', async () => {
    const rate = 10;
    const samples = Float32Array.from({ length: 100 }, (_, i) => i);
    const channels: Channel[] = [{ label: 'Cz', unit: 'uV', sampleRateHz: rate, sampleCount: 100, type: 'eeg', samples, physicalMin: -500, physicalMax: 500 }];
    const recording = createRecording({ channels, segments: [{ onsetSeconds: 0.5, durationSeconds: 5 }, { onsetSeconds: 10.5, durationSeconds: 5 }] });
    const opened = await openRecording(bufferSource(writeEdf(recording, { recordDurationSeconds: 1 }).bytes, 'gap.edf'));
    let allocated: ReturnType<typeof allocateSignalPage> | undefined;
    const read = await opened.readInto({ channels: [0], startSeconds: 0, endSeconds: 12, target: (layout) => (allocated = allocateSignalPage(pageHeaderOf(layout, opened.header.channels.map((c) => c.label)))).samples });
    const decoded = decodeSignalPage(finishSignalPage(allocated!));
    const channel = decoded.channels[0]!;
    expect(channel.firstSampleSeconds).toBeCloseTo(0.5, 9);
    expect(channel.runs.map((r) => [r.startSeconds, r.offset, r.count])).toEqual([[0.5, 0, 50], [10.5, 50, 15]]);
    expect(decoded.segments).toEqual([{ onsetSeconds: 0.5, durationSeconds: 5 }, { onsetSeconds: 10.5, durationSeconds: 1.5 }]);
    expect(Math.abs((channel.samples[50] as number) - 50)).toBeLessThan(0.05);
    expect(Array.from(channel.samples)).toEqual(Array.from(read.channels[0]!.samples));
    const overGap = await opened.readInto({ channels: [0], startSeconds: 5.5, endSeconds: 10.5 });
    expect(overGap.channels[0]!.count).toBe(0);
    expect(overGap.channels[0]!.firstSampleSeconds).toBeNull();
    expect(overGap.segments).toEqual([]);
    await opened.close();
  });
});
