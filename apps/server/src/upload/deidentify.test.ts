import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecording, makeDemoEeg } from '@cajal/core';
import { writeBdf } from '@cajal/formats';
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
  await after.close();
  return { report, header };
}

describe('deidentifyEdfFile (formats\' rewrites applied to the stored file in place)', () => {
  const phi = createRecording({
    ...makeDemoEeg({ seed: 9, durationSeconds: 2 }),
    startTime: start,
    annotations: [{ onsetSeconds: 0.5, durationSeconds: 0, text: 'Lena Holm seen 12 March 2021' }],
    subject: { id: 'MRN-2', name: 'Lena_Holm', sex: 'female', birthDate: '1971-05-06' },
  });

  it('shifts a BDF+ start by the subject\'s days', async () => {
    const { report, header } = await deidentify(writeBdf(phi).bytes, 'shift.bdf', 'shift');
    expect(report.shiftDays).toBe(shiftDaysFor('p1', 'S_7'));
    expect(header.startTime?.getTime()).toBe(start.getTime() - report.shiftDays * 86400_000);
    expect(header.format.startsWith('bdf')).toBe(true);
    // The annotation blocks formats masked were written into the file too.
    expect(report).toMatchObject({ annotationsRedacted: 1, spansMasked: 3 });
    expect(header.annotations.map((a) => a.text)).toContain('XXXX XXXX seen XXXXXXXXXXXXX');
    expect(JSON.stringify(header.subject)).not.toMatch(/Lena|Holm|MRN|1971/);
  });
});
