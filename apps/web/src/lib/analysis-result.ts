/**
 * What the charts draw from an "analyze" job's result, `@cajal/signal`'s AnalysisJson (the
 * same form `cajal analyze --json` writes): the PSD per channel in dB up to 45 Hz, absolute and
 * relative band powers per channel, and the peak alpha frequency per channel.
 *
 * @example const { psd, bandPowers } = readAnalysisResult(job.result as JobResults['analyze']);
 */
import type { AnalysisJson } from '@cajal/signal';
import type { Job, JobResults } from './api.ts';

export interface PsdChart { frequenciesHz: number[]; channels: { label: string; powerDb: number[] }[] }
export interface BandPowerTable { bands: string[]; channels: { label: string; values: number[] }[] }

/** Highest frequency the PSD chart shows, Hz (the relative band powers refer to 1-45 Hz). */
export const psdChartMaxHz = 45;

/** Everything the charts draw. */
export interface AnalysisCharts {
  psd: PsdChart;
  bandPowers: BandPowerTable;
  relativeBandPowers: BandPowerTable;
  /** Peak alpha frequency per channel (channels without one are left out). */
  peakAlphaHz: { label: string; hz: number }[];
}

const toDb = (power: number): number => 10 * Math.log10(Math.max(power, 1e-30));

function bandTable(result: AnalysisJson, values: Record<string, number[]>): BandPowerTable {
  const bands = result.bands.map((b) => b.name);
  return { bands, channels: result.channels.map((c, i) => ({ label: c.label, values: bands.map((b) => values[b]?.[i] ?? NaN) })) };
}

/**
 * The charts of an analysis result.
 *
 * @example
 *   readAnalysisResult(result).psd.channels[0]?.powerDb; // dB of unit^2/Hz, 0-45 Hz
 */
export function readAnalysisResult(result: AnalysisJson): AnalysisCharts {
  const keep = result.psd.frequencies_hz.filter((f) => f <= psdChartMaxHz).length;
  return {
    psd: {
      frequenciesHz: result.psd.frequencies_hz.slice(0, keep),
      channels: result.channels.map((c, i) => ({ label: c.label, powerDb: (result.psd.power[i] ?? []).slice(0, keep).map(toDb) })),
    },
    bandPowers: bandTable(result, result.band_powers.absolute),
    relativeBandPowers: bandTable(result, result.band_powers.relative),
    // JSON has no NaN: a channel without an alpha peak arrives as null.
    peakAlphaHz: result.channels.flatMap((c, i) => {
      const hz: unknown = result.features[i]?.peak_alpha_frequency_hz;
      return typeof hz === 'number' && Number.isFinite(hz) ? [{ label: c.label, hz }] : [];
    }),
  };
}

/**
 * The result of a finished job of `kind`, typed by the server's JobResults; undefined while it
 * runs, when it failed, or when it is another kind.
 *
 * @example
 *   const analysis = jobResultOf(job, 'analyze'); // AnalysisJson | undefined
 */
export function jobResultOf<K extends keyof JobResults>(job: Job, kind: K): JobResults[K] | undefined {
  return job.kind === kind && job.status === 'done' && job.result !== undefined ? (job.result as JobResults[K]) : undefined;
}
