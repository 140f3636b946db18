import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { readRecordingFile } from '@cajal/formats/node';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';


/** Same, with stderr claiming to be a terminal (the progress bar is drawn only on a TTY). */
async function captureOnTty(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  try {
    return await capture(argv);
  } finally {
    if (had) Object.defineProperty(process.stderr, 'isTTY', had);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
}

const folder = temporaryFolder('cajal-convert-');

describeShared('cajal convert', ['data/mne-testing-data/EDF/test_utf8_annotations.edf', 'data/mne-python-io/brainvision/test.vhdr'], () => {
  it('EDF+ -> BDF+ keeps channels, samples (exactly: 16-bit ranges fit 24 bits) and annotations', async () => {
    const input = sharedPath('data', 'mne-testing-data', 'EDF', 'test_utf8_annotations.edf');
    const output = join(folder, 'out.bdf');
    const { code, stdout } = await capture(['convert', input, output]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote .*out\.bdf: BDF\+C/);
    const [before, after] = await Promise.all([readRecordingFile(input), readRecordingFile(output)]);
    expect(after.format).toBe('bdf+c');
    expect(after.channels.map((c) => c.label)).toEqual(before.channels.map((c) => c.label));
    expect(after.channels[3]!.samples).toEqual(before.channels[3]!.samples);
    expect(after.annotations.map((a) => a.text)).toEqual(before.annotations.map((a) => a.text));
  });

  it('BrainVision -> EDF+ (any readable format); values within the 16-bit quantisation step', async () => {
    const input = sharedPath('data', 'mne-python-io', 'brainvision', 'test.vhdr');
    const output = join(folder, 'from-brainvision.edf');
    const { code } = await capture(['convert', input, output]);
    expect(code).toBe(0);
    const [before, after] = await Promise.all([readRecordingFile(input), readRecordingFile(output)]);
    expect(after.channels.length).toBe(before.channels.length);
    const channel = after.channels[0]!;
    const step = (channel.physicalMax! - channel.physicalMin!) / 65535;
    let most = 0;
    before.channels[0]!.samples.forEach((v, k) => (most = Math.max(most, Math.abs(v - channel.samples[k]!))));
    expect(most).toBeLessThanOrEqual(step / 2 + Math.abs(channel.physicalMax!) * 1e-6);
  });

  it('draws a progress bar on stderr when it is a terminal (reading, then writing), none when piped', async () => {
    const input = sharedPath('data', 'mne-testing-data', 'EDF', 'test_utf8_annotations.edf');
    const onTty = await captureOnTty(['convert', input, join(folder, 'tty.edf')]);
    expect(onTty.code).toBe(0);
    // Strip the terminal's escape sequences (cursor moves) to read the bar's text.
    // eslint-disable-next-line no-control-regex
    const plain = onTty.stderr.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
    expect(plain).toMatch(/converting: reading records \[[█░]+\] 100%/);
    expect(plain).toMatch(/converting: writing records \[[█░]+\] 100%/);
    const piped = await capture(['convert', input, join(folder, 'piped.edf')]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('bad input: non-zero exit and one line; unsupported output extension refused', async () => {
    const missing = await capture(['convert', join(folder, 'missing.edf'), join(folder, 'x.edf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const wrongExtension = await capture(['convert', sharedPath('data', 'mne-testing-data', 'EDF', 'test_utf8_annotations.edf'), join(folder, 'x.csv')]);
    expect(wrongExtension.code).toBe(1);
    expect(wrongExtension.stderr).toMatch(/must end in \.edf/);
    expect(existsSync(join(folder, 'x.csv'))).toBe(false);
  });
});
