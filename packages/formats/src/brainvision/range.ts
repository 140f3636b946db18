import { CajalError } from '@cajal/core';
import type { TimeRange } from '../read.ts';

/**
 * The sample indices [first, last) of a continuous channel whose times i / rate fall in
 * [startSeconds, endSeconds) — the rule the reader contract checks. A millionth of a sample of
 * tolerance absorbs floating-point error at boundaries that sit exactly on a sample. Ranges are
 * clamped to the recording; an empty or past-the-end range gives first === last.
 *
 * @example
 *   sampleRangeFor({ startSeconds: 1, endSeconds: 2 }, 250, 10000); // [250, 500]
 */
export function sampleRangeFor(range: TimeRange, sampleRateHz: number, sampleCount: number): [number, number] {
  const start = range.startSeconds ?? 0;
  const end = range.endSeconds ?? Infinity;
  if (Number.isNaN(start) || Number.isNaN(end) || start === Infinity || end === -Infinity) {
    throw new CajalError('INVALID_ARGUMENT', `invalid time range ${start} to ${end} seconds`, { field: 'startSeconds' });
  }
  if (end < start) {
    throw new CajalError('INVALID_ARGUMENT', `time range ends (${end} s) before it starts (${start} s)`, { field: 'endSeconds' });
  }
  const index = (seconds: number): number => {
    if (seconds === Infinity) return sampleCount;
    return Math.min(sampleCount, Math.max(0, Math.ceil(seconds * sampleRateHz - 1e-6)));
  };
  const first = index(start);
  return [first, Math.max(first, index(end))];
}
