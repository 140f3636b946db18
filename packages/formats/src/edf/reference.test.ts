/**
 * Parity with the reference readings in ../shared/reference/formats: every EDF/EDF+/BDF/BDF+
 * file in ../shared/data is read with Cajal and compared with
 *  - the file's own header and a byte-by-byte native decoding (`header`, `native_signals`):
 *    labels, rates, sample counts, values to float32 precision, for every file;
 *  - MNE-Python 1.3 (`mne`): values (volts after unit conversion), start time and annotations,
 *    except where MNE is wrong or lossy, which is stated per case below;
 *  - EEGLAB's decoded .mat values (`eeglab_reference`) for the three files that have them.
 */
import { readFileSync } from 'node:fs';
import { describeShared, sharedPath } from '@cajal/core/testing';
import type { Annotation } from '@cajal/core';
import { afterAll, expect, it } from 'vitest';
import { openPathSource } from '../node.ts';
import { openEdf } from './reader.ts';
import type { EdfOpened } from './reader.ts';

interface Stats { first16: number[]; third_start: number; third16: number[]; mean: number; std: number; min: number; max: number }
interface NativeSignal { index: number; label: string; unit: string; n_samples: number; sample_rate_hz: number; physical: Stats }
interface MneChannel extends Stats { name: string; type: string; mne_scale: number; values_unit: string; n: number }
interface AnnotationList { count: number | null; onset?: number[]; duration?: number[]; description?: string[] }
interface EeglabRow extends Stats { row: number; mne_channel: string; comparison: { vs_native: { mat_is_sample_and_hold_by: number } } }
interface Reference {
  source: string;
  header: { signals: Array<{ label: string; samples_per_record: number; is_annotation_signal: boolean; sample_rate_hz: number | null }> };
  native_signals: { signals: NativeSignal[]; check_vs_mne?: { channels_resampled_by_mne?: string[] } };
  mne_ok: boolean;
  mne: { ch_names: string[]; sfreq: number; n_times: number; meas_date: string | null; annotations: AnnotationList; channels: MneChannel[] };
  mne_read_annotations?: AnnotationList;
  eeglab_reference?: Array<{ rows: EeglabRow[] }>;
}

const index = JSON.parse(readFileSync(sharedPath('reference', 'formats', 'INDEX.json'), 'utf8')) as { files: Array<{ source: string; json: string; format: string }> };
const edfFiles = index.files.filter((f) => /^(EDF|BDF)/.test(f.format));
let compared = 0;
let valuesCompared = 0;

/** Float32 precision: half an ulp of the larger magnitude, plus float64 formula differences. */
function close(actual: number, expected: number, scale = Math.abs(expected)): boolean {
  return Math.abs(actual - expected) <= Math.max(Math.abs(expected), scale) * 1.2e-7 + 1e-12;
}

function statsOf(samples: Float32Array, factor = 1): Omit<Stats, 'first16' | 'third16' | 'third_start'> {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of samples) {
    const x = v * factor;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / samples.length;
  let squares = 0;
  for (const v of samples) squares += (v * factor - mean) ** 2;
  return { mean, std: Math.sqrt(squares / samples.length), min, max };
}

/** Compare samples (times factor) with a reference's first16/third16/mean/std/min/max. */
function expectStats(samples: Float32Array, reference: Stats, factor: number, what: string): void {
  const range = Math.max(Math.abs(reference.min), Math.abs(reference.max));
  reference.first16.forEach((value, k) => {
    if (!close((samples[k] as number) * factor, value, range * 1e-3)) throw new Error(`${what}: sample ${k} is ${(samples[k] as number) * factor}, reference ${value}`);
  });
  reference.third16.forEach((value, k) => {
    const i = reference.third_start + k;
    if (!close((samples[i] as number) * factor, value, range * 1e-3)) throw new Error(`${what}: sample ${i} is ${(samples[i] as number) * factor}, reference ${value}`);
  });
  const mine = statsOf(samples, factor);
  for (const key of ['mean', 'std', 'min', 'max'] as const) {
    if (!close(mine[key], reference[key], range)) throw new Error(`${what}: ${key} is ${mine[key]}, reference ${reference[key]}`);
  }
  valuesCompared++;
}

function sortAnnotations(list: Array<{ onset: number; duration: number; text: string }>): typeof list {
  return [...list].sort((a, b) => a.onset - b.onset || a.text.localeCompare(b.text));
}

describeShared('EDF/BDF reader against MNE, EEGLAB and the files\' own headers', ['data', 'reference/formats/INDEX.json'], () => {
  afterAll(() => {
    console.log(`EDF/BDF parity: read ${compared} of ${edfFiles.length} EDF/BDF files and compared ${valuesCompared} channels' values with the references`);
  });

  it('finds the EDF/BDF files the reference lists', () => {
    expect(edfFiles.length).toBeGreaterThanOrEqual(29);
  });

  for (const file of edfFiles) {
    it(`${file.source.replace('shared/data/', '')} matches its references`, async () => {
      const reference = JSON.parse(readFileSync(sharedPath(file.json.replace(/^shared\//, '')), 'utf8')) as Reference;
      const opened: EdfOpened = await openEdf(await openPathSource(sharedPath(file.source.replace(/^shared\//, ''))));
      try {
        const recording = await opened.read();
        // 1. Labels, rates and sample counts as the header states them (non-annotation signals).
        const headerSignals = reference.header.signals.filter((s) => !s.is_annotation_signal && s.samples_per_record > 0);
        expect(recording.channels.map((c) => c.label)).toEqual(headerSignals.map((s) => s.label));
        const native = reference.native_signals.signals;
        expect(native.length).toBe(recording.channels.length);
        native.forEach((signal, i) => {
          const channel = recording.channels[i]!;
          expect(channel.sampleRateHz).toBeCloseTo(signal.sample_rate_hz, 9);
          expect(channel.sampleCount).toBe(signal.n_samples);
          expect(channel.unit).toBe(signal.unit);
          // 2. Values at each signal's own rate, in the header's unit (float32 precision).
          expectStats(channel.samples, signal.physical, 1, `${channel.label} vs native decoding`);
        });

        // 3. MNE's values (volts). MNE is not comparable for: channels it resamples (mixed-rate
        // files: it FFT-resamples lower-rate signals to the highest rate, so its values are not
        // the stored samples), stim channels (it masks BDF Status to the trigger bits and does
        // not scale), and annotation-only files (it invents a 1-s record and no channels).
        const resampled = new Set(reference.native_signals.check_vs_mne?.channels_resampled_by_mne ?? []);
        reference.mne.channels.forEach((mneChannel, i) => {
          const channel = recording.channels[i]!;
          if (resampled.has(channel.label) || mneChannel.type === 'stim' || mneChannel.n !== channel.sampleCount) return;
          expectStats(channel.samples, mneChannel, mneChannel.mne_scale, `${channel.label} vs MNE`);
        });

        // 4. Start time: MNE's meas_date (whole seconds; the sub-second part of the first record's
        // onset is kept in Cajal's segments instead).
        if (reference.mne.meas_date) expect(recording.startTime?.toISOString().replace('.000Z', '+00:00')).toBe(reference.mne.meas_date);

        // 5. TAL annotations (not the Status triggers, which MNE leaves in its stim channel).
        // Cajal's onsets are from the file's start time as the TALs say; MNE gives them from the
        // first record (sub-second offset subtracted). MNE's Raw keeps only the first annotation
        // of annotation-only files, so the full list from mne.read_annotations is used when the
        // reference has it (it fails on scalp_test.edf: then Raw's list, which is complete).
        const list = reference.mne_read_annotations?.onset ? reference.mne_read_annotations : reference.mne.annotations;
        const firstOnset = opened.recordOnsets[0] ?? 0;
        const mine = sortAnnotations(
          recording.annotations.filter((a: Annotation) => !a.channels).map((a) => ({ onset: a.onsetSeconds - firstOnset, duration: a.durationSeconds, text: a.text })),
        );
        const theirs = sortAnnotations((list.onset ?? []).map((onset, k) => ({ onset, duration: list.duration?.[k] ?? 0, text: list.description?.[k] ?? '' })));
        const annotationOnly = recording.channels.length === 0;
        if (annotationOnly) {
          // MNE Raw invented a 1-s duration for the first stage; read_annotations has them all.
          expect(mine.length).toBe(reference.mne_read_annotations?.count);
        } else {
          expect(mine.length).toBe(theirs.length);
        }
        mine.forEach((annotation, k) => {
          const other = theirs[k]!;
          expect(annotation.text).toBe(other.text);
          expect(Math.abs(annotation.onset - other.onset)).toBeLessThan(1e-6);
          expect(Math.abs(annotation.duration - other.duration)).toBeLessThan(1e-6);
        });

        // 6. EEGLAB's .mat (float32 of the standard formula, sample-and-hold upsampled for the
        // mixed-rate file): every row against Cajal's samples of the same signal.
        for (const eeglab of reference.eeglab_reference ?? []) {
          for (const row of eeglab.rows) {
            const channel = recording.channels[row.row]!;
            const hold = row.comparison.vs_native.mat_is_sample_and_hold_by;
            const held = new Float32Array(channel.samples.length * hold);
            for (let k = 0; k < held.length; k++) held[k] = channel.samples[Math.floor(k / hold)]!;
            expectStats(held, row, 1, `${channel.label} vs EEGLAB`);
          }
        }
        compared++;
      } finally {
        await opened.close();
      }
    });
  }
});
