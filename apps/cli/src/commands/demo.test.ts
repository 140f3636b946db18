import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readRecordingFile } from '@cajal/formats/node';
import { runCli } from '../program.ts';
import type { InfoReport } from './info.ts';


/** Run the CLI capturing stdout and stderr. */
async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
const folder = mkdtempSync(join(tmpdir(), 'cajal-demo-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

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
