/**
 * BrainVision layouts that the real test files do not cover, on small synthetic recordings with
 * known values (INT_32, UINT_16, IEEE_FLOAT_64, big-endian, vectorized, CRLF lines, Latin-1
 * codepage, commas escaped as "\1", channel-specific markers), and laziness: a one-channel
 * read touches only that channel's bytes (one contiguous block when vectorized, the asked rows
 * when multiplexed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { openRecording, readRecording } from '../read.ts';
import type { ByteSource } from '../source.ts';
import { bufferSource } from '../source.ts';
import { registerReader } from '../registry.ts';
import { brainVisionReader } from './reader.ts';
import { bytesPerSample } from './header.ts';
import type { BrainVisionBinaryFormat } from './header.ts';

registerReader(brainVisionReader);

interface Synthetic {
  format: BrainVisionBinaryFormat;
  orientation: 'MULTIPLEXED' | 'VECTORIZED';
  bigEndian?: boolean;
  /** stored[channel][sample] */
  stored: number[][];
  channelLines: string[];
  codepage?: string;
  newline?: string;
  markers?: string[];
}

function encodeData(s: Synthetic): Uint8Array {
  const bytes = bytesPerSample[s.format];
  const channels = s.stored.length;
  const samples = s.stored[0]?.length ?? 0;
  const out = new Uint8Array(channels * samples * bytes);
  const view = new DataView(out.buffer);
  const le = !s.bigEndian;
  for (let c = 0; c < channels; c++) {
    for (let t = 0; t < samples; t++) {
      const index = s.orientation === 'MULTIPLEXED' ? t * channels + c : c * samples + t;
      const value = s.stored[c]?.[t] as number;
      const p = index * bytes;
      if (s.format === 'INT_16') view.setInt16(p, value, le);
      else if (s.format === 'UINT_16') view.setUint16(p, value, le);
      else if (s.format === 'INT_32') view.setInt32(p, value, le);
      else if (s.format === 'IEEE_FLOAT_32') view.setFloat32(p, value, le);
      else view.setFloat64(p, value, le);
    }
  }
  return out;
}

function build(s: Synthetic): { vhdr: Uint8Array; siblings: Record<string, Uint8Array> } {
  const nl = s.newline ?? '\n';
  const header = [
    'Brain Vision Data Exchange Header File Version 2.0',
    '[Common Infos]',
    `Codepage=${s.codepage ?? 'UTF-8'}`,
    'DataFile=x.eeg',
    'MarkerFile=x.vmrk',
    'DataFormat=BINARY',
    `DataOrientation=${s.orientation}`,
    `NumberOfChannels=${s.stored.length}`,
    'SamplingInterval=4000',
    '[Binary Infos]',
    `BinaryFormat=${s.format}`,
    `UseBigEndianOrder=${s.bigEndian ? 'YES' : 'NO'}`,
    '[Channel Infos]',
    ...s.channelLines,
  ].join(nl);
  const markers = ['Brain Vision Data Exchange Marker File, Version 2.0', '[Marker Infos]', ...(s.markers ?? [])].join(nl);
  const encode = (text: string): Uint8Array =>
    s.codepage === 'Latin-1' ? Uint8Array.from(text, (ch) => ch.charCodeAt(0)) : new TextEncoder().encode(text);
  return { vhdr: encode(header), siblings: { 'x.eeg': encodeData(s), 'x.vmrk': encode(markers) } };
}

describe('synthetic BrainVision layouts', () => {
  const cases: Array<[string, Synthetic, number[][]]> = [
    ['INT_32 multiplexed, mV and nV units', { format: 'INT_32', orientation: 'MULTIPLEXED', stored: [[1, -2, 3], [100000, 7, -8]], channelLines: ['Ch1=A,,0.5,mV', 'Ch2=B,,2,nV'] }, [[0.5, -1, 1.5], [200000, 14, -16]]],
    ['UINT_16 vectorized, big-endian', { format: 'UINT_16', orientation: 'VECTORIZED', bigEndian: true, stored: [[65535, 0, 1], [2, 3, 40000]], channelLines: ['Ch1=A,,1,µV', 'Ch2=B,,0.25,µV'] }, [[65535, 0, 1], [0.5, 0.75, 10000]]],
    ['IEEE_FLOAT_64 vectorized with CRLF lines', { format: 'IEEE_FLOAT_64', orientation: 'VECTORIZED', newline: '\r\n', stored: [[0.125, -1e-3, 5]], channelLines: ['Ch1=A,,,V'] }, [[0.125, -1e-3, 5]]],
    ['IEEE_FLOAT_32 big-endian multiplexed', { format: 'IEEE_FLOAT_32', orientation: 'MULTIPLEXED', bigEndian: true, stored: [[1.5, 2.5], [-3.25, 4]], channelLines: ['Ch1=A,,1', 'Ch2=B,,10'] }, [[1.5, 2.5], [-32.5, 40]]],
  ];
  for (const [name, synthetic, expected] of cases) {
    it(`${name}: values = stored x resolution in the channel's unit`, async () => {
      const { vhdr, siblings } = build(synthetic);
      const recording = await readRecording(vhdr, { name: 'x.vhdr', siblings });
      expect(recording.channels.map((c) => Array.from(c.samples))).toEqual(expected.map((row) => Array.from(Float32Array.from(row))));
    });
  }

  it('units: "µV" and an empty unit read as "uV", others kept; non-voltage units are misc channels', async () => {
    const { vhdr, siblings } = build({ format: 'INT_16', orientation: 'MULTIPLEXED', stored: [[1], [1], [1], [1]], channelLines: ['Ch1=A,,1,µV', 'Ch2=B,,1,', 'Ch3=C,,1,mV', 'Ch4=D,,1,ARU'] });
    const recording = await readRecording(vhdr, { name: 'x.vhdr', siblings });
    expect(recording.channels.map((c) => [c.unit, c.type])).toEqual([['uV', 'eeg'], ['uV', 'eeg'], ['mV', 'eeg'], ['ARU', 'misc']]);
  });

  it('Latin-1 codepage, "\\1" commas in labels and markers, references, channel-specific markers', async () => {
    const { vhdr, siblings } = build({
      format: 'INT_16',
      orientation: 'MULTIPLEXED',
      codepage: 'Latin-1',
      stored: [[1, 2, 3, 4], [5, 6, 7, 8]],
      channelLines: ['Ch1=Fp1\\1left,Cz,1,µV', 'Ch2=Öz,,1,µV'],
      markers: ['Mk1=New Segment,,1,1,0,20200102030405123456', 'Mk2=Comment,a\\1b,3,2,2'],
    });
    const opened = await openRecording(vhdr, { name: 'x.vhdr', siblings });
    expect(opened.header.channels.map((c) => c.label)).toEqual(['Fp1,left', 'Öz']);
    expect((opened.header.channels[0] as { reference?: string }).reference).toBe('Cz');
    expect(opened.header.startTime?.toISOString()).toBe('2020-01-02T03:04:05.123Z');
    expect(opened.header.annotations[1]).toEqual({ onsetSeconds: 0.008, durationSeconds: 0.008, text: 'Comment/a,b', channels: ['Öz'], source: { kind: 'file', file: 'x.vmrk' } });
    await opened.close();
  });
});

/** Wrap a source and record every read. */
function counting(source: ByteSource): { source: ByteSource; reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    reads,
    source: { ...source, read: async (offset, length) => (reads.push([offset, length]), source.read(offset, length)) },
  };
}

describeShared('BrainVision lazy reads', ['data/mne-python-io/brainvision/test.vhdr', 'data/mne-python-io/brainvision/test_old_layout_latin1_software_filter.vhdr'], () => {
  const folder = (name: string): Uint8Array => new Uint8Array(readFileSync(sharedPath('data', 'mne-python-io', 'brainvision', name)));

  it('vectorized: one channel is one contiguous read of exactly its bytes', async () => {
    const base = 'test_old_layout_latin1_software_filter';
    const eeg = counting(bufferSource(folder(`${base}.eeg`), `${base}.eeg`));
    const opened = await openRecording(folder(`${base}.vhdr`), { name: `${base}.vhdr`, siblings: { [`${base}.eeg`]: eeg.source, [`${base}.vmrk`]: folder(`${base}.vmrk`) } });
    const n = opened.header.channels[0]?.sampleCount as number;
    eeg.reads.length = 0;
    await opened.readChannel(3);
    expect(eeg.reads).toEqual([[3 * n * 4, n * 4]]);
    await opened.close();
  });

  it('multiplexed: a time range reads only its rows', async () => {
    const eeg = counting(bufferSource(folder('test.eeg'), 'test.eeg'));
    const opened = await openRecording(folder('test.vhdr'), { name: 'test.vhdr', siblings: { 'test.eeg': eeg.source, 'test.vmrk': folder('test.vmrk') } });
    eeg.reads.length = 0;
    const samples = await opened.readChannel('Cz', { startSeconds: 2, endSeconds: 2.5 });
    expect(samples.length).toBe(500);
    expect(eeg.reads).toEqual([[2000 * 64, 500 * 64]]);
    await opened.close();
  });
});
