import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordingFile } from '@cajal/formats/node';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';
import type { InfoReport } from './info.ts';


const folder = temporaryFolder('cajal-demo-test-');

describe('cajal demo', () => {
  it('writes the SIMULATED EEG as EDF+ and prints its info', async () => {
    const out = join(folder, 'demo.edf');
    const { code, stdout } = await capture(['demo', '--out', out, '--duration', '30', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as InfoReport;
    expect(report.format).toBe('edf+c');
    expect(report.channels).toHaveLength(19);
    expect(report.annotations.first[0]?.text).toBe('SIMULATED seizure-like episode');
    const recording = await readRecordingFile(out);
    expect(recording.subject.name).toMatch(/SIMULATED/);
    expect(recording.channels[0]?.sampleCount).toBe(30 * 256);
  });

  it('refuses a bad --duration with exit 1', async () => {
    expect((await capture(['demo', '--duration', 'abc'])).code).toBe(1);
  });
});
