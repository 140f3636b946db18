/**
 * From a fetched (padded) signal page to the traces the viewer draws, each step a library call:
 * unit scaling to µV (`voltageScale` of @cajal/core), the montage (`applyMontageRows` of
 * @cajal/signal), the display filters (`applyDisplayFilter` of @cajal/signal, run over the
 * padding so the page edges carry no transient, and per contiguous run, so no filter smears
 * across a gap), then cropped to the visible window. Every piece keeps the time of its first
 * sample from the page (each channel's own runs), so a gap is drawn as a gap and a first record
 * at +0.39 s at 0.39 s. Pure; the viewer calls it once per page flip or setting change.
 *
 * @example
 *   const traces = buildTraces(page, rows, { highPassHz: 0.5, lowPassHz: 35 }, 120, 10);
 */
import { isVoltageUnit, voltageScale } from '@cajal/core';
import type { SampleRun, SignalPage, SignalPageChannel } from '@cajal/formats';
import { applyDisplayFilter, applyMontageRows, type DisplayFilterSettings, type MontageRow } from '@cajal/signal';

/** A contiguous stretch of a trace: samples in µV, the first at `startSeconds`. */
export interface TracePiece {
  startSeconds: number;
  samples: Float32Array;
}

/** One trace to draw: contiguous pieces (a gap lies between two pieces). */
export interface DisplayTrace {
  label: string;
  sampleRateHz: number;
  pieces: TracePiece[];
  /** The row draws one or more channels marked bad (drawn greyed). */
  bad: boolean;
}

/** Seconds of padding fetched either side of a page for the display filters (default 2 s). */
export const filterPaddingSeconds = 2;

/** Samples of `channel` in µV (a voltage unit scaled by @cajal/core; other units drawn as they are). */
export function toMicrovolts(channel: Pick<SignalPageChannel, 'unit' | 'samples'>): Float32Array {
  const factor = isVoltageUnit(channel.unit) ? voltageScale(channel.unit, 'uV') : 1;
  if (factor === 1) return channel.samples;
  const out = new Float32Array(channel.samples.length);
  for (let i = 0; i < out.length; i++) out[i] = (channel.samples[i] as number) * factor;
  return out;
}

/** The run of `channel` holding a sample at time `t` (within half a sample), and that sample's index. */
function sampleAt(channel: Pick<SignalPageChannel, 'runs' | 'sampleRateHz'>, t: number): { run: SampleRun; index: number } | undefined {
  for (const run of channel.runs) {
    const k = Math.round((t - run.startSeconds) * channel.sampleRateHz);
    if (k >= 0 && k < run.count && Math.abs(run.startSeconds + k / channel.sampleRateHz - t) < 0.5 / channel.sampleRateHz) return { run, index: run.offset + k };
  }
  return undefined;
}

/**
 * Per run of a row's first channel, the samples of each of the row's terms at the same times
 * (channels of one rate read from the same records share runs; others are aligned by time).
 */
function alignedRuns(page: SignalPage, row: MontageRow, microvolts: readonly Float32Array[]): Array<{ run: SampleRun; samples: Float32Array[] }> {
  const first = page.channels[row.terms[0]!.index]!;
  return first.runs.map((run) => {
    let count = run.count;
    const starts = row.terms.map((term) => {
      const channel = page.channels[term.index]!;
      if (channel === first) return run.offset;
      const at = sampleAt(channel, run.startSeconds);
      count = !at ? 0 : Math.min(count, at.run.offset + at.run.count - at.index);
      return at?.index ?? 0;
    });
    return { run: { ...run, count }, samples: row.terms.map((term, k) => microvolts[term.index]!.subarray(starts[k]!, starts[k]! + count)) };
  });
}

/**
 * Build the traces of `rows` (a montage over `page.channels`) for the window
 * [windowStartSeconds, windowStartSeconds + windowSeconds). `bad` lists recorded labels
 * marked bad.
 */
export function buildTraces(page: SignalPage, rows: readonly MontageRow[], filters: DisplayFilterSettings, windowStartSeconds: number, windowSeconds: number, bad: ReadonlySet<string> = new Set()): DisplayTrace[] {
  const microvolts = page.channels.map(toMicrovolts);
  const windowEnd = windowStartSeconds + windowSeconds;
  return rows.map((row) => {
    const first = page.channels[row.terms[0]!.index]!;
    // The row over its own terms' samples (term k is channel k of `samples`).
    const local: MontageRow = { label: row.label, terms: row.terms.map((t, k) => ({ index: k, weight: t.weight })) };
    const rate = first.sampleRateHz;
    const pieces: TracePiece[] = [];
    for (const { run, samples } of alignedRuns(page, row, microvolts)) {
      if (run.count === 0) continue;
      const [montaged] = applyMontageRows([local], samples);
      const filtered = applyDisplayFilter(montaged!, rate, filters) as Float32Array;
      // The samples of the run inside the window: start <= t < end, a millionth of a sample of slack.
      const tolerance = 1e-6;
      const from = Math.max(0, Math.ceil((windowStartSeconds - run.startSeconds) * rate - tolerance));
      const to = Math.min(filtered.length, Math.ceil((windowEnd - run.startSeconds) * rate - tolerance));
      if (to > from) pieces.push({ startSeconds: run.startSeconds + from / rate, samples: filtered.subarray(from, to) });
    }
    return {
      label: row.label,
      sampleRateHz: rate,
      pieces,
      bad: row.terms.some((t) => t.weight !== 0 && bad.has(page.channels[t.index]!.label)),
    };
  });
}

/** The padded span to fetch for the page at `pageStartSeconds`, clipped to the recording. */
export function fetchSpan(pageStartSeconds: number, pageSeconds: number, durationSeconds: number, paddingSeconds = filterPaddingSeconds): { startSeconds: number; durationSeconds: number } {
  const start = Math.max(0, pageStartSeconds - paddingSeconds);
  const end = Math.min(durationSeconds, pageStartSeconds + pageSeconds + paddingSeconds);
  return { startSeconds: start, durationSeconds: Math.max(0, end - start) };
}
