import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { createRecording } from '@cajal/core';
import { writeEdf } from '@cajal/formats';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';
import type { InfoReport } from './info.ts';


const folder = temporaryFolder('cajal-info-');

describe('cajal info', () => {
  it('reports gaps of an EDF+D file and exits 0', async () => {
    const samples = new Float32Array(128 * 4).map((_, k) => Math.sin(k / 3));
    const recording = createRecording({
      channels: [{ label: 'Cz', unit: 'uV', sampleRateHz: 128, sampleCount: samples.length, type: 'eeg', samples }],
      segments: [{ onsetSeconds: 0, durationSeconds: 2 }, { onsetSeconds: 5, durationSeconds: 2 }],
    });
    const path = join(folder, 'gapped.edf');
    writeFileSync(path, writeEdf(recording).bytes);
    const { code, stdout } = await capture(['info', path, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as InfoReport;
    expect(report.format).toBe('edf+d');
    expect(report.gaps).toEqual([{ onset_seconds: 2, duration_seconds: 3 }]);
    expect(report.duration_seconds).toBe(7);
    expect(report.recorded_seconds).toBe(4);
  });

  it('exits 1 with one line naming the problem for a file that is not a recording', async () => {
    const path = join(folder, 'bad.edf');
    writeFileSync(path, '0       this is not an EDF header at all');
    const { code, stderr } = await capture(['info', path]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/FORMAT_TRUNCATED/);
  });
});

describeShared('cajal info on real files', ['data/mne-testing-data/EDF/test_utf8_annotations.edf'], () => {
  it('lists channels with unit, rate and sample count, the start, and annotations (text and JSON)', async () => {
    const file = sharedPath('data', 'mne-testing-data', 'EDF', 'test_utf8_annotations.edf');
    const text = await capture(['info', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/format:\s+EDF\+C/);
    expect(text.stdout).toMatch(/squarewave\s+uV\s+200 Hz\s+2000 samples/);
    expect(text.stdout).toContain('仰卧');
    const json = JSON.parse((await capture(['info', file, '--json'])).stdout) as InfoReport;
    expect(json.channels).toHaveLength(11);
    expect(json.start_time).toBe('2009-12-10T12:44:02.000Z');
    expect(json.annotations.count).toBe(2);
    expect(json.annotations.first[1]).toEqual({ onset_seconds: 2, duration_seconds: 0.5, text: '仰卧' });
    expect(json.warnings).toEqual([]);
  });
});

describe('bad input: info and convert exit 1 with one line naming the problem (code, field, byte)', () => {
  const demo = writeEdf(createRecording({ channels: [{ label: 'Cz', unit: 'uV', sampleRateHz: 64, sampleCount: 256, type: 'eeg', samples: new Float32Array(256) }] })).bytes;
  const nonNumeric = demo.slice();
  nonNumeric.set(new TextEncoder().encode('ab  '), 252);
  const random = Uint8Array.from({ length: 3000 }, (_, k) => (k * 7919 + 13) & 0xff);
  const cases: Array<{ name: string; make: (path: string) => void; expected: RegExp }> = [
    { name: 'empty.edf', make: (p) => writeFileSync(p, ''), expected: /field "header", byte 0\) \[FORMAT_TRUNCATED\]/ },
    { name: 'random.bin', make: (p) => writeFileSync(p, random), expected: /cannot tell the format .*\[FORMAT_UNKNOWN\]/ },
    { name: 'cut.edf', make: (p) => writeFileSync(p, demo.subarray(0, 300)), expected: /field "number_of_signals", byte 252\) \[FORMAT_TRUNCATED\]/ },
    { name: 'nonnumeric.edf', make: (p) => writeFileSync(p, nonNumeric), expected: /"ab", not a number .*field "number_of_signals", byte 252\) \[FORMAT_INVALID_FIELD\]/ },
    {
      name: 'orphan.vhdr',
      make: (p) => writeFileSync(p, 'Brain Vision Data Exchange Header File Version 1.0\n[Common Infos]\nDataFile=absent.eeg\nNumberOfChannels=1\nSamplingInterval=1000\n[Channel Infos]\nCh1=Fz,,0.1,uV\n'),
      expected: /absent\.eeg.*\[NOT_FOUND\]/,
    },
    { name: 'folder.edf', make: (p) => mkdirSync(p), expected: /is not a file .*\[INVALID_ARGUMENT\]/ },
    { name: 'missing.edf', make: () => undefined, expected: /cannot open .*missing\.edf.*\[NOT_FOUND\]/ },
  ];
  for (const { name, make, expected } of cases) {
    it(name, async () => {
      const path = join(folder, name);
      make(path);
      const info = await capture(['info', path]);
      expect(info.code).toBe(1);
      expect(info.stdout).toBe('');
      expect(info.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(info.stderr).toMatch(/^cajal: /);
      expect(info.stderr).toMatch(expected);
      const output = join(folder, `${name}.out.edf`);
      const convert = await capture(['convert', path, output]);
      expect(convert.code).toBe(1);
      expect(convert.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(convert.stderr).toMatch(expected);
      expect(() => readFileSync(output)).toThrow();
    });
  }

  it('a missing argument is a usage error (exit 2)', async () => {
    const { code } = await capture(['info']);
    expect(code).toBe(2);
  });
});
