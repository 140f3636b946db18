import { describe, expect, it } from 'vitest';
import { isCajalError } from '@cajal/core';
import { encodeSignalPage, parseSignalPage } from './signal-page.ts';

describe('parseSignalPage', () => {
  const page = {
    startSeconds: 20,
    durationSeconds: 10,
    channels: [
      { label: 'Fp1', unit: 'uV', sampleRateHz: 2, samples: new Float32Array([1, -2.5, 3, 4]) },
      { label: 'ECG', unit: 'mV', sampleRateHz: 1, samples: new Float32Array([0.25, 7]) },
    ],
  };

  it('round-trips header fields and every sample exactly', () => {
    const parsed = parseSignalPage(encodeSignalPage(page));
    expect(parsed.startSeconds).toBe(20);
    expect(parsed.durationSeconds).toBe(10);
    expect(parsed.channels.map((c) => [c.label, c.unit, c.sampleRateHz])).toEqual([['Fp1', 'uV', 2], ['ECG', 'mV', 1]]);
    expect(Array.from(parsed.channels[0]!.samples)).toEqual([1, -2.5, 3, 4]);
    expect(Array.from(parsed.channels[1]!.samples)).toEqual([0.25, 7]);
  });

  it('honours the zero padding to a multiple of 4 for every header length', () => {
    for (let extra = 0; extra < 4; extra++) {
      const labelled = { ...page, channels: [{ ...page.channels[0]!, label: 'F'.repeat(1 + extra) }] };
      const parsed = parseSignalPage(encodeSignalPage(labelled));
      expect(Array.from(parsed.channels[0]!.samples)).toEqual([1, -2.5, 3, 4]);
    }
  });

  it('rejects a truncated sample block, naming the channel and the byte offset', () => {
    const bytes = encodeSignalPage(page);
    const cut = bytes.slice(0, bytes.byteLength - 4);
    try {
      parseSignalPage(cut);
      expect.unreachable();
    } catch (error) {
      expect(isCajalError(error, 'FORMAT_TRUNCATED')).toBe(true);
      expect((error as Error).message).toContain('ECG');
      expect((error as Error).message).toMatch(/byte \d+/);
    }
  });

  it('rejects a header length beyond the buffer and a header that is not JSON', () => {
    const big = new ArrayBuffer(8);
    new DataView(big).setUint32(0, 1000, true);
    expect(() => parseSignalPage(big)).toThrow(/claims 1000 bytes/);
    const bad = new ArrayBuffer(8);
    new DataView(bad).setUint32(0, 3, true);
    new Uint8Array(bad, 4, 3).set([123, 120, 125]);
    expect(() => parseSignalPage(bad)).toThrow(/not valid JSON/);
    expect(() => parseSignalPage(new ArrayBuffer(2))).toThrow(/shorter than/);
  });
});
