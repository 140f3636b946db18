/**
 * Where Cajal and MNE disagree because MNE is wrong: EDF+D. An EDF+D file (records at 0, 1, 5
 * and 6 s, a marker at 5.5 s, written by Cajal) is read by MNE-Python (Debian's /usr/bin/python3,
 * when it has mne) and by Cajal. MNE 1.3 joins the records as if continuous (4 s, the samples
 * of 5..7 s shown at 2..4 s) and drops the marker as "outside data range"; Cajal is checked
 * against the file's own time-keeping TALs instead: two segments, a 3-s gap, the marker kept.
 * The Cajal half always runs; the MNE half only where /usr/bin/python3 has mne (CI installs no
 * MNE: the parity tests use the stored references instead), and says when it is skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecording, findGaps } from '@cajal/core';
import { readRecording } from '../read.ts';
import { bufferSource } from '../source.ts';
import { openEdf } from './reader.ts';
import { writeEdf } from './writer.ts';

const python = '/usr/bin/python3';
function hasMne(): boolean {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import mne'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const folder = mkdtempSync(join(tmpdir(), 'cajal-edfd-mne-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const samples = new Float32Array(128 * 4).map((_, k) => Math.round(50 * Math.sin(k / 3)));
const gapped = createRecording({
  channels: [{ label: 'Cz', unit: 'uV', sampleRateHz: 128, sampleCount: samples.length, type: 'eeg', samples }],
  segments: [{ onsetSeconds: 0, durationSeconds: 2 }, { onsetSeconds: 5, durationSeconds: 2 }],
  annotations: [{ onsetSeconds: 5.5, durationSeconds: 0, text: 'after gap' }],
});
const bytes = writeEdf(gapped).bytes;
const mneAvailable = hasMne();

describe('EDF+D: MNE reads gaps as continuous, Cajal keeps them', () => {
  it('Cajal, against the file itself: onsets from the time-keeping TALs, segments, gap, marker, time-range reads', async () => {
    const opened = await openEdf(bufferSource(bytes, 'gapped.edf'));
    expect(opened.header.format).toBe('edf+d');
    expect(Array.from(opened.recordOnsets)).toEqual([0, 1, 5, 6]);
    expect(opened.header.segments).toEqual([{ onsetSeconds: 0, durationSeconds: 2 }, { onsetSeconds: 5, durationSeconds: 2 }]);
    expect(findGaps(opened.header.segments)).toEqual([{ onsetSeconds: 2, durationSeconds: 3 }]);
    expect(opened.header.annotations.map((a) => [a.onsetSeconds, a.text])).toEqual([[5.5, 'after gap']]);
    // A time-range read in recording time: 5..6 s is the third record's samples (MNE's 2..3 s).
    const third = await opened.readChannel('Cz', { startSeconds: 5, endSeconds: 6 });
    const all = (await readRecording(bytes)).channels[0]!.samples;
    expect(Array.from(third)).toEqual(Array.from(all.subarray(256, 384)));
    // Written values come back within the 16-bit quantisation step (range 100 / 65535).
    expect(Math.max(...all.map((v, k) => Math.abs(v - samples[k]!)))).toBeLessThan(0.002);
  });

  it.skipIf(!mneAvailable)(`MNE 1.3 on the same file: 4 s continuous, the marker after the gap dropped${mneAvailable ? '' : ' (skipped: /usr/bin/python3 has no mne)'}`, () => {
    const path = join(folder, 'gapped.edf');
    writeFileSync(path, bytes);
    const script = `
import json, sys, warnings, mne
mne.set_log_level('WARNING')
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    raw = mne.io.read_raw_edf(sys.argv[1], preload=True)
print(json.dumps({'n_times': int(raw.n_times), 'sfreq': raw.info['sfreq'], 'annotations': [a['description'] for a in raw.annotations],
                  'warnings': [str(w.message) for w in caught]}))`;
    const mne = JSON.parse(execFileSync(python, ['-c', script, path], { encoding: 'utf8', timeout: 120_000 }).trim().split('\n').pop() as string) as {
      n_times: number;
      sfreq: number;
      annotations: string[];
      warnings: string[];
    };
    // MNE's reading (wrong for EDF+D): the four records back to back, the marker gone.
    expect(mne.n_times / mne.sfreq).toBe(4);
    expect(mne.annotations).not.toContain('after gap');
    expect(mne.warnings.join(' ')).toMatch(/outside data range/);
  });
});
