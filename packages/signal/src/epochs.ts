import { CajalError } from '@cajal/core';
import type { Annotation, Recording, Segment } from '@cajal/core';
import type { Samples } from './filter.ts';

/**
 * Epochs: windows cut around events or annotations, and rejection by peak-to-peak amplitude.
 */

/** Sample index of time `seconds` (from the recording start) honouring gaps; null inside a gap. */
export function sampleIndexAt(segments: Segment[], sampleRateHz: number, seconds: number): number | null {
  let before = 0;
  for (const segment of segments) {
    const end = segment.onsetSeconds + segment.durationSeconds;
    if (seconds >= segment.onsetSeconds - 1e-9 && seconds < end + 1e-9) return before + Math.round((seconds - segment.onsetSeconds) * sampleRateHz);
    before += Math.round(segment.durationSeconds * sampleRateHz);
  }
  return segments.length === 0 ? Math.round(seconds * sampleRateHz) : null;
}

/**
 * Cut windows [index + tmin*sfreq, index + tmax*sfreq) from one channel around event sample
 * indices; events whose window leaves the signal are skipped (their indices are returned in
 * `skipped`).
 *
 * @example
 *   const { epochs } = cutEpochs(samples, 256, [1000, 5000], -0.2, 0.8);
 */
export function cutEpochs(x: Samples, sfreq: number, eventSamples: number[], tminSeconds: number, tmaxSeconds: number): { epochs: Samples[]; kept: number[]; skipped: number[] } {
  if (!(tmaxSeconds > tminSeconds)) throw new CajalError('INVALID_ARGUMENT', `tmax ${tmaxSeconds} must exceed tmin ${tminSeconds}`, { field: 'tmax' });
  const startOffset = Math.round(tminSeconds * sfreq);
  const length = Math.round((tmaxSeconds - tminSeconds) * sfreq);
  const epochs: Samples[] = [];
  const kept: number[] = [];
  const skipped: number[] = [];
  eventSamples.forEach((event, i) => {
    const start = event + startOffset;
    if (start < 0 || start + length > x.length) skipped.push(i);
    else {
      epochs.push(x.subarray(start, start + length));
      kept.push(i);
    }
  });
  return { epochs, kept, skipped };
}

/** Epochs of several channels: data[epoch][channel]. */
export interface EpochSet {
  /** data[epoch][channel], each a view into the recording's samples. */
  data: Float32Array[][];
  channelLabels: string[];
  sampleRateHz: number;
  tminSeconds: number;
  /** The annotation each epoch was cut around. */
  annotations: Annotation[];
}

/**
 * Epochs around the annotations whose text matches `match` (string: exact, case-insensitive;
 * RegExp: test), for the channels of the first channel's rate.
 *
 * @example
 *   const set = epochsAroundAnnotations(recording, /seizure/i, -1, 2);
 */
export function epochsAroundAnnotations(recording: Recording, match: string | RegExp, tminSeconds: number, tmaxSeconds: number): EpochSet {
  const first = recording.channels[0];
  if (!first) throw new CajalError('INVALID_ARGUMENT', 'the recording has no channels', { field: 'channels' });
  const channels = recording.channels.filter((c) => c.sampleRateHz === first.sampleRateHz);
  const test = (text: string): boolean => (typeof match === 'string' ? text.trim().toLowerCase() === match.toLowerCase() : match.test(text));
  const annotations = recording.annotations.filter((a) => test(a.text));
  const data: Float32Array[][] = [];
  const used: Annotation[] = [];
  const length = Math.round((tmaxSeconds - tminSeconds) * first.sampleRateHz);
  for (const annotation of annotations) {
    const index = sampleIndexAt(recording.segments, first.sampleRateHz, annotation.onsetSeconds);
    if (index === null) continue;
    const start = index + Math.round(tminSeconds * first.sampleRateHz);
    if (start < 0 || start + length > first.sampleCount) continue;
    data.push(channels.map((c) => c.samples.subarray(start, start + length)));
    used.push(annotation);
  }
  return { data, channelLabels: channels.map((c) => c.label), sampleRateHz: first.sampleRateHz, tminSeconds, annotations: used };
}

/** Largest peak-to-peak amplitude over the channels of one epoch. */
export function peakToPeak(epoch: ArrayLike<number>[]): number {
  let worst = 0;
  for (const x of epoch) {
    let lo = Infinity, hi = -Infinity;
    for (let t = 0; t < x.length; t++) {
      if (x[t] < lo) lo = x[t];
      if (x[t] > hi) hi = x[t];
    }
    if (hi - lo > worst) worst = hi - lo;
  }
  return worst;
}

/**
 * Split epochs into kept and rejected by peak-to-peak amplitude (MNE's `reject=dict(eeg=...)`):
 * an epoch is rejected when any channel's max - min exceeds `threshold` (same unit as samples).
 *
 * @example
 *   const { kept, rejected } = rejectByPeakToPeak(set.data, 150); // 150 uV
 */
export function rejectByPeakToPeak<E extends ArrayLike<number>[]>(epochs: E[], threshold: number): { kept: E[]; rejected: number[] } {
  const kept: E[] = [];
  const rejected: number[] = [];
  epochs.forEach((epoch, i) => {
    if (peakToPeak(epoch) > threshold) rejected.push(i);
    else kept.push(epoch);
  });
  return { kept, rejected };
}
