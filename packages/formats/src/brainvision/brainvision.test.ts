/**
 * Parity: every BrainVision file in ../shared/data (INVENTORY.tsv) read by Cajal and compared
 * with MNE-Python 1.3's reading of the same file (../shared/reference/formats/<path>.json).
 * Criterion: labels, rate and sample count equal; annotations equal (onset and duration to
 * 1e-9 s, text = MNE's "Type/Description"); the start time equal to the millisecond; sample
 * values (first16, third16 and mean/std/min/max) equal to float32 precision after converting
 * Cajal's unit to MNE's (volts for voltage channels); and the filter settings parsed from the
 * [Comment] tables agree with MNE's summary (lowest high-pass, highest low-pass).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath, describeShared } from '@cajal/core/testing';
import { voltsPer, isVoltageUnit } from '@cajal/core';
import { openRecordingFile } from '../node.ts';
import { registerReader } from '../registry.ts';
import { brainVisionReader } from './reader.ts';

registerReader(brainVisionReader);

interface ReferenceChannel {
  name: string;
  values_unit: string;
  first16: number[];
  third16: number[];
  third_start: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}
interface Reference {
  mne: {
    ch_names: string[];
    sfreq: number;
    n_times: number;
    meas_date: string | null;
    highpass: number;
    lowpass: number;
    annotations: { onset: number[]; duration: number[]; description: string[] };
    channels: ReferenceChannel[];
  };
}

function brainVisionFiles(): string[] {
  const inventory = readFileSync(sharedPath('data', 'INVENTORY.tsv'), 'utf8').split('\n').slice(1);
  return inventory.map((line) => line.split('\t')[0] as string).filter((p) => /\.(vhdr|ahdr)$/i.test(p));
}

/** Factor from Cajal's channel unit to the unit MNE's values are in (checked per unit, not taken from MNE). */
function toReferenceUnit(unit: string, valuesUnit: string): number {
  if (valuesUnit === 'V') return voltsPer(unit);
  if (valuesUnit === 'S') return unit === 'uS' ? 1e-6 : 1;
  return 1; // degC, and units MNE leaves as stored value x resolution
}

/** Float32 precision relative to the channel's magnitude. */
function closeEnough(actual: number, expected: number, magnitude: number): boolean {
  return Math.abs(actual - expected) <= 2 ** -22 * Math.max(Math.abs(expected), magnitude) + 1e-300;
}

/** Milliseconds of an ISO date with up to microseconds and an offset ("2013-11-13T16:14:03.794232+00:00"). */
function isoMilliseconds(iso: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?\+00:00$/.exec(iso);
  if (!match) throw new Error(`unexpected date ${iso}`);
  return Date.parse(`${match[1]}Z`) + Math.floor(Number((match[2] ?? '').padEnd(6, '0')) / 1000);
}

function filterSummary(prefiltering: string | undefined, nyquist: number): { highpass: number; lowpass: number } | undefined {
  if (!prefiltering) return undefined;
  const hp = /HP:(\S+)/.exec(prefiltering)?.[1];
  const lp = /LP:(\S+)/.exec(prefiltering)?.[1];
  const value = (text: string | undefined, none: number): number => (text === undefined || text === 'DC' || text === 'off' ? none : parseFloat(text));
  return { highpass: value(hp, 0), lowpass: Math.min(value(lp, nyquist), nyquist) };
}

describeShared('BrainVision parity with MNE-Python 1.3', ['data/INVENTORY.tsv', 'reference/formats'], () => {
  const files = brainVisionFiles();
  let compared = 0;
  afterAll(() => {
    console.log(`BrainVision parity: read and compared ${compared} of ${files.length} BrainVision files with MNE's readings`);
  });

  it('finds the BrainVision files of the inventory', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const path of files) {
    describe(path, () => {
      it('matches MNE: labels, rate, sample count, annotations, start, values, filters', async () => {
        const reference = JSON.parse(readFileSync(sharedPath('reference', 'formats', `${path}.json`), 'utf8')) as Reference;
        const mne = reference.mne;
        const opened = await openRecordingFile(sharedPath('data', path));
        try {
          const recording = await opened.read();
          expect(recording.channels.map((c) => c.label)).toEqual(mne.ch_names);
          for (const channel of recording.channels) {
            expect(channel.sampleRateHz).toBe(mne.sfreq);
            expect(channel.sampleCount).toBe(mne.n_times);
          }
          const annotations = recording.annotations;
          expect(annotations.map((a) => a.text)).toEqual(mne.annotations.description);
          annotations.forEach((a, i) => {
            expect(Math.abs(a.onsetSeconds - (mne.annotations.onset[i] as number))).toBeLessThan(1e-9);
            expect(Math.abs(a.durationSeconds - (mne.annotations.duration[i] as number))).toBeLessThan(1e-9);
          });
          if (mne.meas_date === null) expect(recording.startTime).toBeNull();
          else expect(recording.startTime?.getTime()).toBe(isoMilliseconds(mne.meas_date));

          recording.channels.forEach((channel, index) => {
            const ref = mne.channels[index] as ReferenceChannel;
            const factor = toReferenceUnit(channel.unit, ref.values_unit);
            if (ref.values_unit === 'V') expect(isVoltageUnit(channel.unit), channel.label).toBe(true);
            const magnitude = Math.max(Math.abs(ref.min), Math.abs(ref.max));
            const check = (actual: number, expected: number, what: string): void => {
              expect(closeEnough(actual, expected, magnitude), `${channel.label} ${what}: ${actual} vs MNE ${expected}`).toBe(true);
            };
            ref.first16.forEach((v, k) => check((channel.samples[k] as number) * factor, v, `sample ${k}`));
            ref.third16.forEach((v, k) => check((channel.samples[ref.third_start + k] as number) * factor, v, `sample ${ref.third_start + k}`));
            let sum = 0;
            let min = Infinity;
            let max = -Infinity;
            for (const s of channel.samples) {
              const v = s * factor;
              sum += v;
              if (v < min) min = v;
              if (v > max) max = v;
            }
            const mean = sum / channel.samples.length;
            let squares = 0;
            for (const s of channel.samples) squares += (s * factor - mean) ** 2;
            check(mean, ref.mean, 'mean');
            check(Math.sqrt(squares / channel.samples.length), ref.std, 'std');
            check(min, ref.min, 'min');
            check(max, ref.max, 'max');
          });

          const summaries = recording.channels.map((c) => filterSummary(c.prefiltering, mne.sfreq / 2));
          if (summaries.every((s) => s !== undefined)) {
            const lowestHighpass = Math.min(...summaries.map((s) => s?.highpass as number));
            const highestLowpass = Math.max(...summaries.map((s) => s?.lowpass as number));
            expect(Math.abs(lowestHighpass - mne.highpass)).toBeLessThan(1e-4 * Math.max(1, mne.highpass));
            expect(Math.abs(highestLowpass - mne.lowpass)).toBeLessThan(1e-4 * mne.lowpass);
          }
          compared++;
        } finally {
          await opened.close();
        }
      });
    });
  }
});
