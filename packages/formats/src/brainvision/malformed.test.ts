/**
 * Malformed BrainVision input: a corpus of mutations of a real header (mne-python-io
 * test.vhdr with its .eeg and .vmrk) and a seeded fast-check run. Criterion: every case ends
 * in a CajalError whose location names the field (and the line for INI entries, the byte
 * offset for binary data) or in a read with a compliance warning naming the field — never
 * another exception, and never a read larger than the file.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CajalError } from '@cajal/core';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { readRecording } from '../read.ts';
import type { ReadOptions } from '../read.ts';
import type { ByteSource } from '../source.ts';
import { registerReader } from '../registry.ts';
import { brainVisionReader } from './reader.ts';

registerReader(brainVisionReader);

const folder = 'data/mne-python-io/brainvision';

describeShared('BrainVision malformed input', [`${folder}/test.vhdr`, `${folder}/test.eeg`, `${folder}/test.vmrk`], () => {
  const file = (name: string): Uint8Array => new Uint8Array(readFileSync(sharedPath(...folder.split('/'), name)));
  const vhdr = new TextDecoder().decode(file('test.vhdr'));
  const eeg = file('test.eeg');
  const vmrk = file('test.vmrk');
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
  const read = (header: string | Uint8Array, siblings: ReadOptions['siblings'] = { 'test.eeg': eeg, 'test.vmrk': vmrk }, extra: ReadOptions = {}) =>
    readRecording(typeof header === 'string' ? encode(header) : header, { name: 'test.vhdr', siblings, ...extra });
  const replaceLine = (pattern: RegExp, replacement: string): string => {
    expect(pattern.test(vhdr), `fixture has ${pattern}`).toBe(true);
    return vhdr.replace(pattern, replacement);
  };
  const lineOf = (pattern: RegExp): number => vhdr.split(/\r?\n/).findIndex((l) => pattern.test(l)) + 1;

  async function expectError(promise: Promise<unknown>, code: string, field: string | RegExp, text?: RegExp): Promise<CajalError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'should fail').toBeInstanceOf(CajalError);
    const cajal = error as CajalError;
    expect(cajal.code, cajal.message).toBe(code);
    expect(cajal.location.field, cajal.message).toMatch(field);
    if (text) expect(cajal.message).toMatch(text);
    return cajal;
  }

  const corpus: Array<[string, () => Promise<unknown>]> = [
    ['missing DataFile', () => expectError(read(replaceLine(/^DataFile=.*$/m, '')), 'FORMAT_INVALID_FIELD', 'DataFile', /no DataFile entry/)],
    ['wrong NumberOfChannels', () => expectError(read(replaceLine(/^NumberOfChannels=32$/m, 'NumberOfChannels=31')), 'FORMAT_INVALID_FIELD', 'NumberOfChannels', new RegExp(`line ${lineOf(/^NumberOfChannels/)}`))],
    ['non-numeric NumberOfChannels', () => expectError(read(replaceLine(/^NumberOfChannels=32$/m, 'NumberOfChannels=thirty-two')), 'FORMAT_INVALID_FIELD', 'NumberOfChannels', /"thirty-two" on line \d+/)],
    ['non-numeric resolution', () => expectError(read(replaceLine(/^Ch5=C3,,0\.5,/m, 'Ch5=C3,,zero point five,')), 'FORMAT_INVALID_FIELD', 'Ch5.resolution', new RegExp(`line ${lineOf(/^Ch5=/)}`))],
    ['zero SamplingInterval', () => expectError(read(replaceLine(/^SamplingInterval=1000$/m, 'SamplingInterval=0')), 'FORMAT_INVALID_FIELD', 'SamplingInterval', /line \d+/)],
    ['unknown BinaryFormat', () => expectError(read(replaceLine(/^BinaryFormat=INT_16$/m, 'BinaryFormat=INT_24')), 'FORMAT_UNSUPPORTED', 'BinaryFormat', /line \d+/)],
    ['unknown DataOrientation', () => expectError(read(replaceLine(/^DataOrientation=MULTIPLEXED$/m, 'DataOrientation=DIAGONAL')), 'FORMAT_INVALID_FIELD', 'DataOrientation', /line \d+/)],
    ['ASCII data', () => expectError(read(replaceLine(/^DataFormat=BINARY$/m, 'DataFormat=ASCII')), 'FORMAT_UNSUPPORTED', 'DataFormat', /line \d+/)],
    ['channel numbered past NumberOfChannels', () => expectError(read(replaceLine(/^Ch32=/m, 'Ch33=')), 'FORMAT_INVALID_FIELD', 'NumberOfChannels')],
    ['missing .eeg sibling', () => expectError(read(vhdr, { 'test.vmrk': vmrk }), 'NOT_FOUND', 'DataFile', new RegExp(`DataFile on line ${lineOf(/^DataFile=/)}`))],
    ['unknown identification line, format forced', () => expectError(read(vhdr.replace(/^Brain Vision/, 'Brian Vision'), undefined, { format: 'brainvision' }), 'FORMAT_INVALID_FIELD', 'identification', /line 1/)],
    ['unknown identification line, detected: FORMAT_UNKNOWN at byte 0', async () => {
      const error = await read(vhdr.replace(/^Brain Vision/, 'Brian Vision')).catch((e: unknown) => e);
      expect((error as CajalError).code).toBe('FORMAT_UNKNOWN');
      expect((error as CajalError).location.byteOffset).toBe(0);
    }],
    ['truncated .eeg: warning with the byte offset, whole rows kept', async () => {
      const recording = await read(vhdr, { 'test.eeg': eeg.subarray(0, eeg.length - 100), 'test.vmrk': vmrk });
      const warning = recording.warnings.find((w) => w.code === 'BV_DATA_SIZE');
      expect(warning?.byteOffset).toBe(Math.floor((eeg.length - 100) / 64) * 64);
      expect(recording.channels[0]?.sampleCount).toBe(Math.floor((eeg.length - 100) / 64));
    }],
    ['missing .vmrk sibling: warning naming MarkerFile', async () => {
      const recording = await read(vhdr, { 'test.eeg': eeg });
      expect(recording.annotations).toEqual([]);
      expect(recording.warnings.find((w) => w.code === 'BV_MARKER_FILE_MISSING')?.message).toMatch(/line \d+/);
    }],
    ['strict read turns a warning into an error', () => expectError(read(vhdr, { 'test.eeg': eeg }, { strict: true }), 'FORMAT_INVALID_FIELD', 'MarkerFile')],
    ['marker with a non-numeric position and one past the end: warnings with lines', async () => {
      const markers = new TextDecoder().decode(vmrk).replace('Mk2=Stimulus,S253,487,0,0', 'Mk2=Stimulus,S253,soon,0,0').replace('Mk3=Stimulus,S255,497,1,0', 'Mk3=Stimulus,S255,99999,1,0');
      const recording = await read(vhdr, { 'test.eeg': eeg, 'test.vmrk': encode(markers) });
      expect(recording.annotations.length).toBe(12);
      expect(recording.warnings.filter((w) => /BV_MARKER_(INVALID|OUTSIDE)/.test(w.code)).map((w) => w.message.match(/line \d+/)?.[0])).toEqual(
        ['Mk2=', 'Mk3='].map((key) => `line ${new TextDecoder().decode(vmrk).split(/\r?\n/).findIndex((l) => l.startsWith(key)) + 1}`),
      );
    }],
    ['DataPoints disagreeing with the data file: warning, file size wins', async () => {
      const recording = await read(replaceLine(/^SamplingInterval=1000$/m, 'SamplingInterval=1000\nDataPoints=99999'));
      expect(recording.warnings.find((w) => w.code === 'BV_DATA_POINTS')?.field).toBe('DataPoints');
      expect(recording.channels[0]?.sampleCount).toBe(eeg.length / 64);
    }],
    ['a header claiming a terabyte is refused before it is read', async () => {
      let requested = 0;
      const huge: ByteSource = {
        name: 'huge.vhdr',
        size: 2 ** 40,
        read: async (offset, length) => {
          requested = Math.max(requested, length);
          return encode(vhdr).subarray(offset, offset + Math.min(length, 1024));
        },
      };
      await expectError(readRecording(huge, { format: 'brainvision' }), 'FORMAT_TOO_LARGE', 'file size');
      expect(requested).toBeLessThanOrEqual(1024);
    }],
  ];

  for (const [name, run] of corpus) it(`corpus: ${name}`, run);

  it('fast-check: mutated headers, markers and truncated data end in a CajalError naming the field, or a read', async () => {
    const lines = vhdr.split('\n');
    const values = ['', '0', '-1', 'abc', '1e309', '99999999999', 'NaN', ',,,', '\\1', 'µV', 'VECTORIZED', 'IEEE_FLOAT_32', 'INT_32', 'UINT_16'];
    const mutation = fc.record({
      edits: fc.array(fc.record({ line: fc.nat({ max: 60 }), value: fc.constantFrom(...values), drop: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      eegCut: fc.option(fc.nat({ max: eeg.length }), { nil: undefined }),
      markerBytes: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ edits, eegCut, markerBytes }) => {
        const mutated = [...lines];
        for (const edit of edits) {
          const line = mutated[edit.line];
          if (line === undefined) continue;
          if (edit.drop) mutated.splice(edit.line, 1);
          else mutated[edit.line] = line.includes('=') ? `${line.slice(0, line.indexOf('=') + 1)}${edit.value}` : edit.value;
        }
        const siblings = { 'test.eeg': eegCut === undefined ? eeg : eeg.subarray(0, eegCut), 'test.vmrk': markerBytes ?? vmrk };
        try {
          const recording = await read(mutated.join('\n'), siblings);
          for (const channel of recording.channels) expect(channel.samples.length).toBeLessThanOrEqual(eeg.length / 2);
        } catch (error) {
          expect(error).toBeInstanceOf(CajalError);
          const { location } = error as CajalError;
          expect(location.field !== undefined || location.byteOffset !== undefined, (error as Error).message).toBe(true);
        }
      }),
      { numRuns: 250, seed: 20261127 },
    );
  });
});
