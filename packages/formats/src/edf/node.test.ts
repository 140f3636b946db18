import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDemoEeg } from '@cajal/core';
import { openPathSource, readRecordingFile } from '../node.ts';
import { readRecording } from '../read.ts';
import { createEdfFileWriter, writeEdfFile } from './node.ts';
import { planEdf, writeEdf } from './writer.ts';

const folder = mkdtempSync(join(tmpdir(), 'cajal-edf-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('streaming EDF+/BDF+ file writers (Node)', () => {
  const demo = makeDemoEeg({ seed: 2, durationSeconds: 20 });

  it('writeEdfFile writes the same bytes as writeEdf, record by record', async () => {
    const path = join(folder, 'demo.edf');
    const result = await writeEdfFile(demo, path);
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(writeEdf(demo).bytes))).toBe(true);
    expect(result.recordCount).toBe(20);
    expect(result.format).toBe('edf+c');
  });

  it('createEdfFileWriter: records appended one at a time read back within the quantisation step; count patched at close', async () => {
    const path = join(folder, 'stream.bdf');
    const { spec } = planEdf(demo, 'bdf');
    const writer = await createEdfFileWriter(path, spec);
    const perRecord = spec.signals.map((s) => s.samplesPerRecord);
    const records = 20 / spec.recordSeconds;
    for (let r = 0; r < records; r++) {
      const annotations = r === 3 ? [{ onsetSeconds: 3.5, durationSeconds: 0, text: 'marker' }] : [];
      await writer.writeRecord(demo.channels.map((c, i) => c.samples.subarray(r * (perRecord[i] as number), (r + 1) * (perRecord[i] as number))), annotations);
    }
    const written = await writer.close();
    expect(written.recordCount).toBe(records);
    const read = await readRecordingFile(path);
    expect(read.warnings).toEqual([]);
    expect(read.format).toBe('bdf+c');
    expect(read.annotations.map((a) => a.text)).toContain('marker');
    const channel = read.channels[17]!;
    const step = (channel.physicalMax! - channel.physicalMin!) / (2 ** 24 - 1);
    let most = 0;
    demo.channels[17]!.samples.forEach((v, k) => (most = Math.max(most, Math.abs(v - channel.samples[k]!))));
    expect(most).toBeLessThanOrEqual(step / 2 + 1e-4);
  });
});

describe('path source bulk reads (readInto, one reused chunk buffer)', () => {
  // 64 channels x 1000 samples x 2 bytes = 128,000-byte records: 40 records span two 4 MB chunks.
  const base = makeDemoEeg({ seed: 5, durationSeconds: 4 }).channels[0]!;
  const channels = Array.from({ length: 64 }, (_, i) => {
    const samples = new Float32Array(40_000);
    for (let k = 0; k < samples.length; k++) samples[k] = base.samples[(k * 7 + i) % base.samples.length]!;
    return { ...base, label: `C${i}`, sampleRateHz: 1000, sampleCount: samples.length, samples };
  });
  const wide = { ...makeDemoEeg({ seed: 5, durationSeconds: 4 }), channels, annotations: [] };
  let written: Uint8Array | undefined;
  /** Bitwise equality of two Float32Arrays (fast: vitest's toEqual walks element by element). */
  const same = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const wideBytes = (): Uint8Array => (written ??= writeEdf(wide).bytes);

  it('a full read from a path equals the same read from memory, across chunk boundaries', async () => {
    const bytes = wideBytes();
    const path = join(folder, 'wide.edf');
    writeFileSync(path, bytes);
    const fromFile = await readRecordingFile(path);
    const fromMemory = await readRecording(bytes);
    expect(fromFile.channels.length).toBe(64);
    fromFile.channels.forEach((c, i) => expect(same(c.samples, fromMemory.channels[i]!.samples), c.label).toBe(true));
  });

  it('readInto fills a caller buffer and reports a short count at the end of the file', async () => {
    const path = join(folder, 'short.bin');
    writeFileSync(path, Uint8Array.from({ length: 1000 }, (_, k) => k & 0xff));
    const source = await openPathSource(path);
    const target = new Uint8Array(300);
    expect(await source.readInto!(101, target)).toBe(300);
    expect(target[0]).toBe(101);
    expect(await source.readInto!(900, target)).toBe(100);
    await source.close?.();
  });

  it('a file cut short mid-record reads the whole records it holds, with a RECORD_COUNT_MISMATCH warning', async () => {
    const bytes = wideBytes();
    const path = join(folder, 'cut.edf');
    writeFileSync(path, bytes);
    truncateSync(path, 6_000_000);
    const cut = await readRecordingFile(path);
    expect(cut.warnings.map((w) => w.code)).toContain('RECORD_COUNT_MISMATCH');
    const whole = await readRecording(bytes);
    const kept = cut.channels[3]!.samples.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(40_000);
    expect(same(cut.channels[3]!.samples, whole.channels[3]!.samples.subarray(0, kept))).toBe(true);
  });
});
