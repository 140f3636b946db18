import { describe, expect, it } from 'vitest';
import { createRecording, makeDemoEeg } from '@cajal/core';
import { applyDatePolicy } from '../deidentify/policy.ts';
import type { DatePolicy } from '../deidentify/policy.ts';
import { openRecording } from '../read.ts';
import { bufferSource } from '../source.ts';
import { deidentifyEdf, redactTalBlock } from './deidentify.ts';
import { writeBdf, writeEdf } from './writer.ts';

const start = new Date(Date.UTC(2021, 2, 4, 10, 11, 12));

describe('date policies', () => {
  it('keeps, reduces to the year, shifts, or removes the start', () => {
    expect(applyDatePolicy(start, 'keep', 0)).toEqual(start);
    expect(applyDatePolicy(start, 'year', 0)?.toISOString()).toBe('2021-01-01T10:11:12.000Z');
    expect(applyDatePolicy(start, 'shift', 10)?.toISOString()).toBe('2021-02-22T10:11:12.000Z');
    expect(applyDatePolicy(start, 'remove', 0)).toBeNull();
    expect(applyDatePolicy(null, 'keep', 0)).toBeNull();
  });
});

async function open(bytes: Uint8Array, name: string) {
  const opened = await openRecording(bufferSource(bytes, name));
  const samples = await opened.readChannel(0, { startSeconds: 0, endSeconds: 1 });
  await opened.close();
  return { header: opened.header, samples };
}

async function deidentify(bytes: Uint8Array, name: string, datePolicy: DatePolicy, shiftDays = 0) {
  const input = bytes.slice();
  const { bytes: out, changes: report } = await deidentifyEdf(bytes, { subjectCode: 'S 7', datePolicy, shiftDays });
  expect(bytes).toEqual(input);
  return { report, ...(await open(out, name)) };
}

describe('deidentifyEdf', () => {
  const phi = createRecording({
    ...makeDemoEeg({ seed: 4, durationSeconds: 4 }),
    startTime: start,
    subject: { id: 'MRN-1', name: 'Anna_Berg', sex: 'female', birthDate: '1970-01-02' },
    recordingInfo: { id: 'ADM9', technician: 'Lund', equipment: 'Amp' },
    annotations: [{ onsetSeconds: 1, durationSeconds: 0, text: 'Anna Berg seen 12 March 2021' }],
  });

  it('removes the date (EDF+ convention) and every identifier, leaving samples untouched', async () => {
    const original = (await open(writeEdf(phi).bytes, 'orig.edf')).samples;
    const { report, header, samples } = await deidentify(writeEdf(phi).bytes, 'remove.edf', 'remove');
    expect(header.startTime?.toISOString().slice(0, 10)).toBe('1985-01-01');
    expect(header.subject.raw?.trim()).toBe('S_7 X X X');
    expect(JSON.stringify(header.subject)).not.toMatch(/Anna|Berg|MRN|1970/);
    expect(JSON.stringify(header.recordingInfo)).not.toMatch(/ADM9|Lund|Amp/);
    expect(header.annotations.map((a) => a.text)).toContain('XXXX XXXX seen XXXXXXXXXXXXX');
    expect(report).toMatchObject({ method: 'edf-header-rewrite', annotationsRedacted: 1, spansMasked: 3, shiftDays: 0 });
    expect(Array.from(samples)).toEqual(Array.from(original));
  });

  it('shifts a BDF+ start by the days given', async () => {
    const { report, header } = await deidentify(writeBdf(phi).bytes, 'shift.bdf', 'shift', 123);
    expect(report.shiftDays).toBe(123);
    expect(header.startTime?.getTime()).toBe(start.getTime() - report.shiftDays * 86400_000);
    expect(header.format.startsWith('bdf')).toBe(true);
  });

  it('masks only text bytes of TAL blocks', () => {
    const tal = new TextEncoder().encode('+0\u0014\u0014\u0000+1\u00150\u0014Anna on 01/02/2020\u0014\u0000\u0000');
    const copy = tal.slice();
    expect(redactTalBlock(copy, ['Anna'])).toEqual({ texts: 1, spans: 2 });
    expect(new TextDecoder().decode(copy)).toBe('+0\u0014\u0014\u0000+1\u00150\u0014XXXX on XXXXXXXXXX\u0014\u0000\u0000');
  });
});
