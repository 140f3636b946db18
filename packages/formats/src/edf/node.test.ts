import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDemoEeg } from '@cajal/core';
import { readRecordingFile } from '../node.ts';
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
