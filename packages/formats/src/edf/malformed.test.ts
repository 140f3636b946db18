/**
 * Malformed input: a corpus made by mutating real EDF/BDF headers, plus a fast-check property
 * run. Criterion for every case: the read ends in a CajalError whose message names a field and a
 * byte offset, or it succeeds (with a compliance warning naming field and byte offset where the
 * mutation was detected); never another exception, never a hang, and the samples allocated never
 * exceed what the file's bytes justify (4 bytes of Float32 per stored 16-bit sample, fewer for
 * 24-bit).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CajalError } from '@cajal/core';
import type { Recording } from '@cajal/core';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { bufferSource } from '../source.ts';
import type { ByteSource } from '../source.ts';
import { openEdf } from './reader.ts';

type Outcome = { error: CajalError; recording?: undefined } | { error?: undefined; recording: Recording };

/** Read fully through a source that records the largest single read. */
async function attempt(bytes: Uint8Array, name = 'mutated.edf'): Promise<Outcome & { largestRead: number }> {
  const inner = bufferSource(bytes, name);
  let largestRead = 0;
  const source: ByteSource = {
    name,
    size: inner.size,
    read: (offset, length) => {
      largestRead = Math.max(largestRead, length);
      return inner.read(offset, length);
    },
  };
  try {
    const opened = await openEdf(source);
    const recording = await opened.read();
    return { recording, largestRead };
  } catch (error) {
    if (!(error instanceof CajalError)) throw error;
    return { error, largestRead };
  }
}

/** The invariant every case must satisfy. */
function expectSafe(outcome: Outcome & { largestRead: number }, size: number): void {
  expect(outcome.largestRead).toBeLessThanOrEqual(Math.max(size, 256));
  if (outcome.error) {
    expect(['FORMAT_TRUNCATED', 'FORMAT_INVALID_FIELD', 'FORMAT_TOO_LARGE']).toContain(outcome.error.code);
    expect(typeof outcome.error.location.field).toBe('string');
    expect(typeof outcome.error.location.byteOffset).toBe('number');
    expect(outcome.error.message).toMatch(/field ".+", byte \d+/);
    return;
  }
  const samples = outcome.recording.channels.reduce((sum, c) => sum + c.samples.length, 0);
  expect(samples * 4).toBeLessThanOrEqual(size * 2);
  for (const warning of outcome.recording.warnings) {
    if (warning.byteOffset !== undefined) expect(warning.message).toMatch(/byte \d+/);
  }
}

function setField(bytes: Uint8Array, offset: number, width: number, text: string): Uint8Array {
  const copy = bytes.slice();
  for (let i = 0; i < width; i++) copy[offset + i] = i < text.length ? text.charCodeAt(i) & 0xff : 0x20;
  return copy;
}

const files = ['mne-testing-data/EDF/subsecond_starttime.edf', 'mne-testing-data/BDF/test_bdf_stim_channel.bdf', 'mne-testing-data/EDF/SC4001EC-Hypnogram.edf'];

describeShared('EDF/BDF malformed-input corpus', files.map((f) => `data/${f}`), () => {
  const original = new Uint8Array(readFileSync(sharedPath('data', files[0] as string)));
  const ns = 4;
  const signalField = (start: number, width: number, i: number): number => 256 + start * ns + width * i;

  it('the unmutated file reads without warnings (the corpus starts from a clean file)', async () => {
    const outcome = await attempt(original);
    expect(outcome.error).toBeUndefined();
    expect(outcome.recording?.warnings).toEqual([]);
  });

  it('truncation at 40 offsets: FORMAT_TRUNCATED in the header, a record-count warning in the data', async () => {
    const headerBytes = 256 * (ns + 1);
    const offsets = [0, 1, 7, 100, 200, 251, 255, 256, 300, 600, 1000, headerBytes - 1, headerBytes, headerBytes + 1];
    for (let k = 0; k < 26; k++) offsets.push(headerBytes + Math.floor(((original.length - headerBytes) * (k + 0.5)) / 26));
    for (const cut of offsets) {
      const outcome = await attempt(original.subarray(0, cut));
      expectSafe(outcome, cut);
      if (cut < headerBytes) {
        expect(outcome.error?.code, `cut at ${cut}`).toBe('FORMAT_TRUNCATED');
      } else if (outcome.recording) {
        expect(outcome.recording.warnings.map((w) => w.code), `cut at ${cut}`).toContain('RECORD_COUNT_MISMATCH');
      } else {
        expect(outcome.error?.location.field).toBe('number_of_data_records');
      }
    }
  });

  it('wrong record counts: -1, too many, too few are read leniently with a warning at byte 236', async () => {
    for (const [count, code] of [['-1', 'RECORD_COUNT_UNKNOWN'], ['9', 'RECORD_COUNT_MISMATCH'], ['99999999', 'RECORD_COUNT_MISMATCH'], ['3', 'RECORD_COUNT_MISMATCH']] as const) {
      const outcome = await attempt(setField(original, 236, 8, count));
      expectSafe(outcome, original.length);
      const warning = outcome.recording?.warnings.find((w) => w.code === code);
      expect(warning, `count ${count}`).toMatchObject({ field: 'number_of_data_records', byteOffset: 236 });
      expect(outcome.recording?.channels[0]?.sampleCount).toBe(count === '3' ? 3 * 512 : 5 * 512);
    }
  });

  it('non-numeric fields: FORMAT_INVALID_FIELD naming the field and its byte offset', async () => {
    const cases: Array<[number, number, string]> = [
      [184, 8, 'header_bytes'],
      [236, 8, 'number_of_data_records'],
      [244, 8, 'duration_of_data_record'],
      [252, 4, 'number_of_signals'],
      [signalField(104, 8, 1), 8, 'physical_minimum[1]'],
      [signalField(112, 8, 2), 8, 'physical_maximum[2]'],
      [signalField(120, 8, 0), 8, 'digital_minimum[0]'],
      [signalField(128, 8, 3), 8, 'digital_maximum[3]'],
      [signalField(216, 8, 2), 8, 'samples_per_record[2]'],
    ];
    for (const [offset, width, field] of cases) {
      const outcome = await attempt(setField(original, offset, width, 'abc'));
      expectSafe(outcome, original.length);
      expect(outcome.error?.code, field).toBe('FORMAT_INVALID_FIELD');
      expect(outcome.error?.location).toMatchObject({ field, byteOffset: offset });
    }
  });

  it('huge claimed sizes are refused before allocating', async () => {
    const manySignals = await attempt(setField(original, 252, 4, '9999'));
    expect(manySignals.error?.code).toBe('FORMAT_TRUNCATED');
    expect(manySignals.error?.location).toMatchObject({ field: 'number_of_signals', byteOffset: 252 });
    const hugeRecord = await attempt(setField(original, signalField(216, 8, 0), 8, '99999999'));
    expectSafe(hugeRecord, original.length);
    expect(hugeRecord.error?.code).toBe('FORMAT_TOO_LARGE');
    const hugeDuration = await attempt(setField(original, 244, 8, '1e300'));
    expectSafe(hugeDuration, original.length);
  });

  it('zero ranges: zero digital range and zero physical range read with warnings', async () => {
    const zeroDigital = await attempt(setField(setField(original, signalField(120, 8, 0), 8, '100'), signalField(128, 8, 0), 8, '100'));
    expectSafe(zeroDigital, original.length);
    expect(zeroDigital.recording?.warnings.find((w) => w.code === 'ZERO_DIGITAL_RANGE')).toMatchObject({ field: 'digital_maximum[0]', byteOffset: signalField(128, 8, 0) });
    const zeroPhysical = await attempt(setField(original, signalField(112, 8, 1), 8, '8711'));
    expect(zeroPhysical.recording?.warnings.map((w) => w.code)).toContain('ZERO_PHYSICAL_RANGE');
    expect(new Set(zeroPhysical.recording?.channels[1]?.samples)).toEqual(new Set([8711]));
  });

  it('dates: the 1985 rule, "yy" resolved from the EDF+ recording field, bad dates warned', async () => {
    const year = async (date: string, recordingField?: string): Promise<number | undefined> => {
      let bytes = setField(original, 168, 8, date);
      if (recordingField) bytes = setField(bytes, 88, 80, recordingField);
      return (await attempt(bytes)).recording?.startTime?.getUTCFullYear();
    };
    expect(await year('24.01.85')).toBe(1985);
    expect(await year('24.01.99')).toBe(1999);
    expect(await year('24.01.00')).toBe(2000);
    expect(await year('24.01.84')).toBe(2084);
    expect(await year('24.01.yy', 'Startdate 24-JAN-2090 X X X')).toBe(2090);
    const bad = await attempt(setField(original, 168, 8, '31.02.20'));
    expect(bad.recording?.startTime).toBeNull();
    expect(bad.recording?.warnings.find((w) => w.code === 'INVALID_START')).toMatchObject({ field: 'startdate', byteOffset: 168 });
  });

  it('non-ASCII header bytes are decoded as latin-1 with a warning naming the field', async () => {
    const bytes = original.slice();
    bytes.set([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72], 8 + 20); // "Müller" in latin-1 inside the patient field
    const outcome = await attempt(bytes);
    expect(outcome.recording?.subject.raw).toContain('Müller');
    expect(outcome.recording?.warnings.find((w) => w.code === 'NON_ASCII_HEADER')).toMatchObject({ field: 'patient_identification', byteOffset: 8 });
  });

  it('malformed annotation lists are skipped with a warning at the TAL byte offset', async () => {
    const bytes = original.slice();
    const { edf } = await openEdf(bufferSource(original));
    const annotationSignal = edf.signals.find((s) => s.isAnnotation);
    const annotationStart = edf.headerBytes + 2 * edf.recordBytes + (annotationSignal?.offsetInRecord ?? 0); // record 2's TALs
    bytes.set(new TextEncoder().encode('+zz\x14bad\x14\x00'), annotationStart);
    const outcome = await attempt(bytes);
    expectSafe(outcome, bytes.length);
    expect(outcome.recording?.warnings.find((w) => w.code === 'TAL_MALFORMED')?.byteOffset).toBe(annotationStart);
  });

  it('random bytes behind an EDF or BDF version field end in a located error or a lenient read', async () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 60; k++) {
      const size = Math.floor(next() * 5000);
      const bytes = Uint8Array.from({ length: size }, () => Math.floor(next() * 256));
      if (size >= 8) bytes.set(k % 2 === 0 ? new TextEncoder().encode('0       ') : [0xff, 66, 73, 79, 83, 69, 77, 73], 0);
      expectSafe(await attempt(bytes), size);
    }
  });

  it('fast-check: random byte mutations of real headers never crash, hang or over-allocate', async () => {
    const bases = files.map((f) => new Uint8Array(readFileSync(sharedPath('data', f))));
    const mutation = fc.record({
      base: fc.integer({ min: 0, max: bases.length - 1 }),
      edits: fc.array(fc.record({ offset: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 12 }),
      digits: fc.array(fc.record({ offset: fc.nat(), text: fc.constantFrom('-1', '0', '99999999', '1e9', '-', ' ', '.', '2.5', '00000000') }), { maxLength: 3 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ base, edits, digits, cut }) => {
        const source = bases[base] as Uint8Array;
        const ns = Number(new TextDecoder().decode(source.subarray(252, 256)));
        const headerBytes = 256 * (ns + 1);
        let bytes: Uint8Array = source.slice();
        for (const edit of edits) bytes[edit.offset % headerBytes] = edit.value;
        for (const digit of digits) bytes = setField(bytes, (digit.offset % (headerBytes / 8)) * 8, 8, digit.text);
        if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
        expectSafe(await attempt(bytes), bytes.length);
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
