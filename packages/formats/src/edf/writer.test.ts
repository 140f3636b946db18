import { describe, expect, it } from 'vitest';
import { createRandom, createRecording, findGaps, isCajalError } from '@cajal/core';
import type { Channel, Recording } from '@cajal/core';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { readRecordingFile } from '../node.ts';
import { bufferSource } from '../source.ts';
import { readRecording } from '../read.ts';
import { openEdf } from './reader.ts';
import { writeBdf, writeEdf } from './writer.ts';
import { formatNumberField } from './layout.ts';

function channel(label: string, rate: number, seconds: number, make: (t: number, k: number) => number, unit = 'uV'): Channel {
  const count = Math.round(rate * seconds);
  const samples = new Float32Array(count);
  for (let k = 0; k < count; k++) samples[k] = make(k / rate, k);
  return { label, unit, sampleRateHz: rate, sampleCount: count, type: 'eeg', samples };
}

function testRecording(seed = 1): Recording {
  const random = createRandom(seed);
  return createRecording({
    format: 'memory',
    startTime: new Date(Date.UTC(2024, 2, 5, 10, 20, 30)),
    channels: [
      channel('Fp1', 256, 10, (t) => 50 * Math.sin(2 * Math.PI * 10 * t) + random.normal(0, 5)),
      channel('O2', 256, 10, (t) => -30 * Math.cos(2 * Math.PI * 3 * t)),
      channel('Resp', 32, 10, (t) => 0.5 + 0.2 * Math.sin(2 * Math.PI * 0.3 * t), 'mV'),
    ],
    annotations: [
      { onsetSeconds: 0.5, durationSeconds: 0, text: 'start' },
      { onsetSeconds: 2.25, durationSeconds: 1.5, text: 'eyes closed — ünïcødé 仰卧' },
      { onsetSeconds: 9.75, durationSeconds: 0.125, text: 'end' },
    ],
    subject: { id: 'S01', sex: 'female', name: 'Test Person', birthDate: '1990-06-15' },
    recordingInfo: { id: 'R7', technician: 'tech', equipment: 'amp' },
  });
}

/** Largest |a - b| over a channel. */
function maxDifference(a: Float32Array, b: Float32Array): number {
  let most = 0;
  for (let k = 0; k < a.length; k++) most = Math.max(most, Math.abs((a[k] as number) - (b[k] as number)));
  return most;
}

describe('EDF+/BDF+ writer round trip', () => {
  for (const [name, write, bits] of [['EDF+', writeEdf, 16], ['BDF+', writeBdf, 24]] as const) {
    it(`${name}: write -> read gives the same values within half a quantisation step (plus float32)`, async () => {
      const original = testRecording();
      const result = write(original);
      expect(result.clippedSamples).toBe(0);
      expect(result.paddedSamples).toBe(0);
      expect(result.recordDurationSeconds).toBe(1);
      const read = await readRecording(result.bytes, { name: `roundtrip.${name}` });
      expect(read.format).toBe(name === 'EDF+' ? 'edf+c' : 'bdf+c');
      expect(read.warnings).toEqual([]);
      expect(read.startTime?.toISOString()).toBe('2024-03-05T10:20:30.000Z');
      expect(read.subject).toMatchObject({ id: 'S01', sex: 'female', name: 'Test Person', birthDate: '1990-06-15' });
      expect(read.recordingInfo).toMatchObject({ id: 'R7', technician: 'tech', equipment: 'amp' });
      expect(read.channels.map((c) => [c.label, c.unit, c.sampleRateHz, c.sampleCount])).toEqual(original.channels.map((c) => [c.label, c.unit, c.sampleRateHz, c.sampleCount]));
      original.channels.forEach((c, i) => {
        const readChannel = read.channels[i] as Channel;
        const step = ((readChannel.physicalMax as number) - (readChannel.physicalMin as number)) / (2 ** bits - 1);
        const range = Math.max(Math.abs(readChannel.physicalMin as number), Math.abs(readChannel.physicalMax as number));
        expect(maxDifference(c.samples, readChannel.samples)).toBeLessThanOrEqual(step / 2 + range * 2.4e-7);
      });
      expect(read.annotations.map((a) => [a.onsetSeconds, a.durationSeconds, a.text])).toEqual(original.annotations.map((a) => [a.onsetSeconds, a.durationSeconds, a.text]));
    });
  }

  it('EDF+D: segments and gaps survive the round trip (onsets from the time-keeping TALs)', async () => {
    const base = testRecording();
    const gapped: Recording = {
      ...base,
      channels: base.channels.map((c) => ({ ...c })),
      segments: [
        { onsetSeconds: 0, durationSeconds: 4 },
        { onsetSeconds: 10, durationSeconds: 3 },
        { onsetSeconds: 20.5, durationSeconds: 3 },
      ],
    };
    const result = writeEdf(gapped);
    expect(result.format).toBe('edf+d');
    const opened = await openEdf(bufferSource(result.bytes, 'gapped.edf'));
    expect(opened.header.format).toBe('edf+d');
    expect(opened.header.segments).toEqual(gapped.segments);
    expect(findGaps(opened.header.segments)).toEqual([
      { onsetSeconds: 4, durationSeconds: 6 },
      { onsetSeconds: 13, durationSeconds: 7.5 },
    ]);
    // A time range inside the second segment reads only those samples.
    const window = await opened.readChannel('O2', { startSeconds: 11, endSeconds: 12 });
    expect(window.length).toBe(256);
    const expected = base.channels[1]!.samples.subarray(5 * 256, 6 * 256); // second segment starts at sample 4 s * 256
    expect(maxDifference(window, expected)).toBeLessThan(0.01);
    // A range falling in a gap is empty.
    expect((await opened.readChannel('O2', { startSeconds: 5, endSeconds: 9 })).length).toBe(0);
  });

  it('reproduces the digital values of a real file exactly when its ranges are kept', async () => {
    const original = testRecording();
    const first = writeEdf(original);
    const read = await readRecording(first.bytes);
    const second = writeEdf(read);
    expect(second.bytes.length).toBe(first.bytes.length);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
  });

  it('clips samples outside the physical range and counts them', () => {
    const recording = testRecording();
    const narrowed: Recording = { ...recording, channels: recording.channels.map((c, i) => (i === 0 ? { ...c, physicalMin: -10, physicalMax: 10, digitalMin: -32768, digitalMax: 32767 } : c)) };
    const expected = Array.from(recording.channels[0]!.samples).filter((v) => v < -10 || v > 10).length;
    expect(expected).toBeGreaterThan(100);
    expect(writeEdf(narrowed).clippedSamples).toBe(expected);
  });

  it('refuses labels longer than 16 characters with WRITE_INVALID naming the label', () => {
    const recording = testRecording();
    recording.channels[0]!.label = 'A very long channel label';
    try {
      writeEdf(recording);
      expect.unreachable();
    } catch (error) {
      expect(isCajalError(error, 'WRITE_INVALID')).toBe(true);
      expect((error as Error).message).toContain('A very long channel label');
      expect((error as Error).message).toContain('16');
    }
  });

  it('chooses a record duration that makes 12.8 Hz whole (10 s) and writes annotation-only files', async () => {
    const recording = createRecording({ channels: [channel('slow', 12.8, 20, (t) => t)], annotations: [] });
    expect(writeEdf(recording).recordDurationSeconds).toBe(5);
    const annotationsOnly = createRecording({ channels: [], annotations: Array.from({ length: 50 }, (_, k) => ({ onsetSeconds: k * 30, durationSeconds: 30, text: `Sleep stage ${k % 4}` })) });
    const read = await readRecording(writeEdf(annotationsOnly).bytes);
    expect(read.channels).toEqual([]);
    // The reader adds where each annotation came from (the in-memory source is named "buffer").
    expect(read.annotations).toEqual(annotationsOnly.annotations.map((a) => ({ ...a, source: { kind: 'file', file: 'buffer' } })));
  });

  it('formats header numbers into 8 characters, rounding ranges outward', () => {
    expect(formatNumberField(-3276.8, 8, 'down', 'x')).toBe('-3276.8');
    expect(formatNumberField(0.123456789, 8, 'up', 'x')).toBe('0.123457');
    expect(formatNumberField(-0.123456789, 8, 'down', 'x')).toBe('-0.12346');
    expect(Number(formatNumberField(-0.123456789, 8, 'down', 'x'))).toBeLessThanOrEqual(-0.123456789);
    expect(() => formatNumberField(1e12, 8, 'up', 'x')).toThrow(/does not fit/);
  });
});

describeShared('EDF+/BDF+ writer on real files', ['data/mne-testing-data/EDF', 'data/mne-python-io/edf', 'data/pyedflib'], () => {
  const files = [
    'mne-testing-data/EDF/test_generator_2.edf',
    'mne-testing-data/EDF/subsecond_starttime.edf',
    'mne-testing-data/EDF/SC4001EC-Hypnogram.edf',
    'mne-testing-data/EDF/test_utf8_annotations.edf',
    'mne-python-io/edf/test_uneven_samp.edf',
    'mne-python-io/edf/test.bdf',
    'pyedflib/test_generator_datarec_generator_0_5.bdf',
  ];
  for (const file of files) {
    it(`${file}: read -> write (same format) -> read keeps samples exactly, annotations and segments`, async () => {
      const original = await readRecordingFile(sharedPath('data', file));
      const write = file.endsWith('.bdf') ? writeBdf : writeEdf;
      const result = write(original);
      expect(result.clippedSamples).toBe(0);
      const again = await readRecording(result.bytes, { name: file });
      expect(again.channels.map((c) => [c.label, c.sampleRateHz, c.sampleCount])).toEqual(original.channels.map((c) => [c.label, c.sampleRateHz, c.sampleCount]));
      original.channels.forEach((c, i) => expect(maxDifference(c.samples, again.channels[i]!.samples)).toBe(0));
      expect(again.segments).toEqual(original.segments);
      const text = (r: Recording): string[] => r.annotations.map((a) => `${a.onsetSeconds.toFixed(6)} ${a.durationSeconds.toFixed(6)} ${a.text}`);
      expect(text(again)).toEqual(text(original));
      expect(again.startTime).toEqual(original.startTime);
    });
  }
});
