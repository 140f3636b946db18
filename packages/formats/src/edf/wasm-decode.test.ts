import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeInt16 } from './decode.ts';
import { createWasmInt16Decoder } from './wasm-decode.ts';
import { bufferSource } from '../source.ts';
import { openEdf } from './reader.ts';
import { writeEdf } from './writer.ts';
import { readRecordingFile } from '../node.ts';
import { createRandom, createRecording } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('WebAssembly 16-bit decoder', () => {
  const wasm = createWasmInt16Decoder();

  it('is available in Node 20 (WebAssembly SIMD)', () => {
    expect(wasm).not.toBeNull();
  });

  it('gives the same float32 bits as the JavaScript decoder, for any record layout, gain and offset (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }), // records
        fc.integer({ min: 1, max: 37 }), // samples per record (odd and even)
        fc.integer({ min: 0, max: 11 }), // extra bytes per record (other signals)
        fc.integer({ min: 0, max: 5 }), // signal offset within the record, in bytes (odd allowed)
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (records, count, extra, at, gain, offset, seed) => {
          const stride = count * 2 + extra + at;
          const bytes = new Uint8Array(records * stride);
          let state = seed;
          for (let i = 0; i < bytes.length; i++) {
            state = (Math.imul(state, 1103515245) + 12345) >>> 0;
            bytes[i] = state >>> 24;
          }
          // The extremes of int16 appear in every case.
          bytes[at] = 0x00;
          bytes[at + 1] = 0x80;
          if (count > 1) {
            bytes[at + 2] = 0xff;
            bytes[at + 3] = 0x7f;
          }
          const expected = new Float32Array(records * count);
          for (let r = 0; r < records; r++) decodeInt16(bytes, r * stride + at, count, gain, offset, expected, r * count);
          const input = wasm!.reserve(bytes.length, records * count);
          input.set(bytes);
          const actual = new Float32Array(records * count + 2).fill(7);
          wasm!.decode(at, stride, count, records, gain, offset, actual, 1);
          expect(actual[0]).toBe(7);
          expect(actual[records * count + 1]).toBe(7);
          expect(new Uint32Array(actual.buffer, 4, records * count)).toEqual(new Uint32Array(expected.buffer));
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  });

  it('refuses to decode outside the areas it reserved', () => {
    const decoder = createWasmInt16Decoder()!;
    decoder.reserve(100, 10);
    expect(() => decoder.decode(0, 50, 10, 3, 1, 0, new Float32Array(30), 0)).toThrow(RangeError);
  });

  it('a whole read (wasm path, from a buffer and from a file) equals channel-by-channel reads (JavaScript path), sample for sample', async () => {
    const random = createRandom(3);
    const seconds = 7;
    const make = (label: string, rate: number): Channel => {
      const samples = Float32Array.from({ length: rate * seconds }, (_, i) => 300 * Math.sin(i * 0.013 * rate) + random.normal(0, 20));
      return { label, unit: 'uV', sampleRateHz: rate, sampleCount: samples.length, type: 'eeg', samples };
    };
    const recording = createRecording({ format: 'memory', startTime: new Date(Date.UTC(2020, 0, 1)), channels: [make('A', 250), make('B', 250), make('C', 125), make('D', 5)] });
    const { bytes } = writeEdf(recording, { recordDurationSeconds: 1 });
    const folder = mkdtempSync(join(tmpdir(), 'cajal-wasm-decode-'));
    try {
      const path = join(folder, 'x.edf');
      writeFileSync(path, bytes);
      const fromFile = await readRecordingFile(path);
      const opened = await openEdf(bufferSource(bytes, 'x.edf'));
      const whole = await opened.read();
      for (const [i, channel] of whole.channels.entries()) {
        expect(fromFile.channels[i]!.samples).toEqual(channel.samples);
        expect(maxAbs(channel.samples, recording.channels[i]!.samples)).toBeLessThan(0.2);
        // A window that starts inside the first record takes the JavaScript decoder.
        const single = await opened.readChannel(i, { startSeconds: 0.2 });
        expect(single.length).toBeLessThan(channel.samples.length);
        expect(channel.samples.subarray(channel.samples.length - single.length)).toEqual(single);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

function maxAbs(a: Float32Array, b: Float32Array): number {
  let most = 0;
  for (let k = 0; k < a.length; k++) most = Math.max(most, Math.abs((a[k] as number) - (b[k] as number)));
  return most;
}
