/**
 * From a fetched (padded) signal page to the traces the viewer draws: montage, display
 * filters (run over the padding so the page edges carry no filter transient), then cropped to
 * the visible window. Pure; the viewer calls it once per page flip or setting change.
 *
 * @example
 *   const traces = buildTraces(page, rows, { highPassHz: 0.5, lowPassHz: 35 }, 120, 10);
 */
import { applyDisplayFilters, type DisplayFilterSettings } from './filters.ts';
import { applyMontage, type MontageRow } from './montage.ts';
import type { SignalPage } from './signal-page.ts';
import { microvoltsPerUnit } from './display.ts';

/** One trace to draw: samples in µV covering [startSeconds, startSeconds + samples.length / rate). */
export interface DisplayTrace {
  label: string;
  sampleRateHz: number;
  startSeconds: number;
  samples: Float32Array;
  /** The row draws one or more channels marked bad (drawn greyed). */
  bad: boolean;
}

/** Seconds of padding fetched either side of a page for the display filters (default 2 s). */
export const filterPaddingSeconds = 2;

/**
 * Build the traces of `rows` (a montage over `page.channels`) for the window
 * [windowStartSeconds, windowStartSeconds + windowSeconds). Samples are converted to µV.
 * `bad` lists recorded labels marked bad.
 */
export function buildTraces(page: SignalPage, rows: readonly MontageRow[], filters: DisplayFilterSettings, windowStartSeconds: number, windowSeconds: number, bad: ReadonlySet<string> = new Set()): DisplayTrace[] {
  const microvolts = page.channels.map((channel) => {
    const factor = microvoltsPerUnit(channel.unit);
    if (factor === 1) return channel.samples;
    const out = new Float32Array(channel.samples.length);
    for (let i = 0; i < out.length; i++) out[i] = (channel.samples[i] as number) * factor;
    return out;
  });
  const montaged = applyMontage(rows, microvolts);
  return rows.map((row, r) => {
    const first = page.channels[row.terms[0]!.index]!;
    const rate = first.sampleRateHz;
    const filtered = applyDisplayFilters(montaged[r]!, rate, filters);
    const from = Math.max(0, Math.round((windowStartSeconds - page.startSeconds) * rate));
    const to = Math.min(filtered.length, from + Math.round(windowSeconds * rate));
    return {
      label: row.label,
      sampleRateHz: rate,
      startSeconds: page.startSeconds + from / rate,
      samples: filtered.subarray(from, Math.max(from, to)),
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
