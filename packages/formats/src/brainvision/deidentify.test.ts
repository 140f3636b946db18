/**
 * BrainVision de-identification on a set of files made here: a name and dates in the header's
 * [Comment] text, a `;` comment line and the data file's name, and in marker descriptions and
 * the New Segment date. After de-identification the name bytes are gone, the files read with
 * the BrainVision reader with the same channels, samples and marker times.
 */
import { describe, expect, it } from 'vitest';
import { readRecording } from '../read.ts';
import { registerReader } from '../registry.ts';
import { deidentifyRecordingBytes } from '../deidentify/recording.ts';
import { brainVisionReader } from './reader.ts';
import { deidentifyBrainVisionHeader, deidentifyBrainVisionMarkers } from './deidentify.ts';

registerReader(brainVisionReader);

function encode(lines: string[], codepage: 'UTF-8' | 'Latin-1'): Uint8Array {
  const text = lines.join('\r\n');
  return codepage === 'Latin-1' ? Uint8Array.from(text, (ch) => ch.charCodeAt(0)) : new TextEncoder().encode(text);
}

function build(codepage: 'UTF-8' | 'Latin-1') {
  const vhdr = encode([
    'Brain Vision Data Exchange Header File Version 2.0',
    '; Recorded for Anna Berg on 04.03.2021',
    '[Common Infos]',
    `Codepage=${codepage}`,
    'DataFile=Anna_Berg.eeg',
    'MarkerFile=Anna_Berg.vmrk',
    'DataFormat=BINARY',
    'DataOrientation=MULTIPLEXED',
    'NumberOfChannels=2',
    'SamplingInterval=4000',
    '[Binary Infos]',
    'BinaryFormat=INT_16',
    '[Channel Infos]',
    'Ch1=Fp1,,0.5,µV',
    'Ch2=Öz,,1,µV',
    '[Comment]',
    'Patient: Anna Berg, born 02.01.1970, Müller ward',
    'A m p l i f i e r  S e t u p',
    '============================',
    'Number of channels: 2',
  ], codepage);
  const vmrk = encode([
    'Brain Vision Data Exchange Marker File, Version 2.0',
    '[Common Infos]',
    `Codepage=${codepage}`,
    'DataFile=Anna_Berg.eeg',
    '[Marker Infos]',
    'Mk1=New Segment,,1,1,0,20210304101112000000',
    'Mk2=Comment,Anna Berg awake 12 March 2021,3,2,0',
    'Mk3=Stimulus,S  1,5,1,2',
  ], codepage);
  const eeg = new Uint8Array(new Int16Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).buffer);
  return { vhdr, vmrk, eeg };
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe('BrainVision de-identification', () => {
  for (const codepage of ['UTF-8', 'Latin-1'] as const) {
    it(`${codepage}: removes the name and dates from header and markers, the files read the same`, async () => {
      const { vhdr, vmrk, eeg } = build(codepage);
      const before = await readRecording(vhdr, { name: 'Anna_Berg.vhdr', siblings: { 'Anna_Berg.eeg': eeg, 'Anna_Berg.vmrk': vmrk } });
      const options = { subjectCode: 'S07', datePolicy: 'remove' as const, names: ['Anna', 'Berg', 'Müller'], baseName: 'S07-001' };
      const header = deidentifyBrainVisionHeader(vhdr, options);
      const markers = deidentifyBrainVisionMarkers(vmrk, options);
      for (const bytes of [header.bytes, markers.bytes]) {
        const text = latin1(bytes);
        expect(text).not.toMatch(/Anna|Berg|M(ü|Ã¼)ller|2021|1970/);
      }
      expect(markers.changes).toMatchObject({ method: 'brainvision-text-rewrite', annotationsRedacted: 2 });
      expect(header.changes.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['DataFile', 'MarkerFile']));
      const after = await readRecording(header.bytes, { name: 'S07-001.vhdr', siblings: { 'S07-001.eeg': eeg, 'S07-001.vmrk': markers.bytes } });
      expect(after.channels.map((c) => c.label)).toEqual(['Fp1', 'Öz']);
      expect(after.channels.map((c) => Array.from(c.samples))).toEqual(before.channels.map((c) => Array.from(c.samples)));
      expect(before.startTime?.toISOString()).toBe('2021-03-04T10:11:12.000Z');
      expect(after.startTime).toBeNull();
      expect(after.annotations.map((a) => [a.onsetSeconds, a.durationSeconds])).toEqual(before.annotations.map((a) => [a.onsetSeconds, a.durationSeconds]));
      expect(after.annotations.map((a) => a.text)).toEqual(['New Segment/', 'Comment/XXXX XXXX awake XXXXXXXXXXXXX', 'Stimulus/S  1']);
    });
  }

  it('the year and shift policies set the New Segment date; the generic entry picks by format', async () => {
    const { vhdr, vmrk, eeg } = build('UTF-8');
    const read = async (markerBytes: Uint8Array) => (await readRecording(vhdr, { name: 'Anna_Berg.vhdr', siblings: { 'Anna_Berg.eeg': eeg, 'Anna_Berg.vmrk': markerBytes } })).startTime?.toISOString();
    const year = await deidentifyRecordingBytes(vmrk, 'Anna_Berg.vmrk', { subjectCode: 'S07', datePolicy: 'year' });
    expect(year.kind).toBe('brainvision-markers');
    expect(await read(year.bytes)).toBe('2021-01-01T10:11:12.000Z');
    const shift = await deidentifyRecordingBytes(vmrk, 'Anna_Berg.vmrk', { subjectCode: 'S07', datePolicy: 'shift', shiftDays: 10 });
    expect(await read(shift.bytes)).toBe('2021-02-22T10:11:12.000Z');
    expect(shift.changes.shiftDays).toBe(10);
    expect((await deidentifyRecordingBytes(vhdr, 'x.vhdr', { subjectCode: 'S07', datePolicy: 'keep', names: ['Berg'] })).kind).toBe('brainvision-header');
    const data = await deidentifyRecordingBytes(eeg, 'Anna_Berg.eeg', { subjectCode: 'S07', datePolicy: 'keep' });
    expect(data.kind).toBe('unchanged');
    expect(data.bytes).toBe(eeg);
  });
});
