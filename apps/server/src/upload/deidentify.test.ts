import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecording, makeDemoEeg } from '@cajal/core';
import { writeBdf, writeEdf } from '@cajal/formats';
import type { EdfOpened } from '@cajal/formats';
import { openRecordingFile } from '@cajal/formats/node';
import { deidentifyEdfFile, shiftDaysFor } from './deidentify.ts';
import type { DatePolicy } from '../storage/storage.ts';

const dir = mkdtempSync(join(tmpdir(), 'cajal-deid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const start = new Date(Date.UTC(2021, 2, 4, 10, 11, 12));

describe('date shift', () => {
  it('shifts by 1-365 days, the same for a project and subject, different across them', () => {
    const days = shiftDaysFor('p1', 'S01');
    expect(days).toBe(shiftDaysFor('p1', 'S01'));
    expect(days).toBeGreaterThanOrEqual(1);
    expect(days).toBeLessThanOrEqual(365);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => shiftDaysFor('p1', `S${i}`)));
    expect(spread.size).toBeGreaterThan(40);
  });
});

async function deidentify(bytes: Uint8Array, name: string, datePolicy: DatePolicy) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const before = await openRecordingFile(path);
  const report = await deidentifyEdfFile(path, (before as unknown as EdfOpened).edf, { subjectCode: 'S 7', datePolicy, projectId: 'p1' });
  await before.close();
  const after = await openRecordingFile(path);
  const header = after.header;
  const samples = await after.readChannel(0, { startSeconds: 0, endSeconds: 1 });
  await after.close();
  return { report, header, samples };
}

describe('deidentifyEdfFile (formats\' rewrites applied to the stored file in place)', () => {
  const phi = createRecording({
    ...makeDemoEeg({ seed: 4, durationSeconds: 4 }),
    startTime: start,
    subject: { id: 'MRN-1', name: 'Anna_Berg', sex: 'female', birthDate: '1970-01-02' },
    recordingInfo: { id: 'ADM9', technician: 'Lund', equipment: 'Amp' },
    annotations: [{ onsetSeconds: 1, durationSeconds: 0, text: 'Anna Berg seen 12 March 2021' }],
  });

  it('removes the date (EDF+ convention) and every identifier, leaving samples untouched', async () => {
    const original = await (async () => {
      const path = join(dir, 'orig.edf');
      writeFileSync(path, writeEdf(phi).bytes);
      const opened = await openRecordingFile(path);
      const s = await opened.readChannel(0, { startSeconds: 0, endSeconds: 1 });
      await opened.close();
      return s;
    })();
    const { report, header, samples } = await deidentify(writeEdf(phi).bytes, 'remove.edf', 'remove');
    expect(header.startTime?.toISOString().slice(0, 10)).toBe('1985-01-01');
    expect(header.subject.raw?.trim()).toBe('S_7 X X X');
    expect(JSON.stringify(header.subject)).not.toMatch(/Anna|Berg|MRN|1970/);
    expect(JSON.stringify(header.recordingInfo)).not.toMatch(/ADM9|Lund|Amp/);
    expect(header.annotations.map((a) => a.text)).toContain('XXXX XXXX seen XXXXXXXXXXXXX');
    expect(report).toMatchObject({ method: 'edf-header-rewrite', annotationsRedacted: 1, spansMasked: 3, shiftDays: 0 });
    expect(Array.from(samples)).toEqual(Array.from(original));
  });

  it('shifts a BDF+ start by the subject\'s days', async () => {
    const { report, header } = await deidentify(writeBdf(phi).bytes, 'shift.bdf', 'shift');
    expect(report.shiftDays).toBe(shiftDaysFor('p1', 'S_7'));
    expect(header.startTime?.getTime()).toBe(start.getTime() - report.shiftDays * 86400_000);
    expect(header.format.startsWith('bdf')).toBe(true);
  });
});
