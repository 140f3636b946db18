/** Stacked traces: one lane per channel on one shared amplitude scale, as an EEG reader shows them. */
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';
import { decimate } from './scales.ts';

export interface TraceOptions {
  id: string;
  title?: string;
  /** Samples per second of every channel. */
  sampleRateHz: number;
  /** Unit of the samples (for the scale bar), e.g. "uV". */
  unit?: string;
  /** Pixels (default 1060). */
  width?: number;
  /** Pixels per channel lane (default 22). */
  laneHeight?: number;
}

/** The p-th percentile (0..100) of a sample of values (nearest rank). */
function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))] as number;
}

/** A round number near `value` (1, 2 or 5 times a power of ten). */
function roundScale(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
  return ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= value * 0.7) ?? 10 * magnitude) as number;
}

/**
 * Stacked traces: channel `i` in lane `i` (top to bottom; one path each, centred on its mean),
 * time 0 at the left edge; all on one amplitude scale (the median over channels of the 1st-99th
 * percentile range fills about one lane); samples beyond three quarters of a lane either side
 * are clipped so a noisy channel cannot cover the others. A scale bar shows one lane's amplitude.
 *
 * @example
 *   stackedTraces(['Fp1', 'Fp2'], [fp1, fp2], { id: 'traces', sampleRateHz: 256, unit: 'uV' });
 */
export function stackedTraces(labels: string[], samples: ArrayLike<number>[], options: TraceOptions): string {
  const width = options.width ?? 1060;
  const lane = options.laneHeight ?? 22;
  const left = 78;
  const right = 70;
  const top = options.title ? 30 : 10;
  const plotWidth = width - left - right;
  const height = top + lane * Math.max(1, samples.length) + 36;
  const n = Math.max(0, ...samples.map((s) => s.length));
  const duration = n / options.sampleRateHz;
  const ranges = samples.map((s) => {
    const stride = Math.max(1, Math.floor(s.length / 4000));
    const sample: number[] = [];
    for (let i = 0; i < s.length; i += stride) sample.push(s[i] as number);
    return percentile(sample, 99) - percentile(sample, 1);
  });
  const typical = percentile(ranges.filter((r) => r > 0), 50) || 1;
  const perPixel = typical / lane;
  const sx = (t: number): number => left + (duration > 0 ? (t / duration) * plotWidth : 0);
  const paths = samples
    .map((s, c) => {
      const centre = top + lane * (c + 0.5);
      let mean = 0;
      for (let i = 0; i < s.length; i++) mean += s[i] as number;
      mean /= Math.max(1, s.length);
      const times = Float64Array.from({ length: s.length }, (_, i) => i / options.sampleRateHz);
      const points = decimate(times, s, plotWidth);
      const limit = lane * 0.75;
      const d = points
        .map(([t, y], k) => {
          const dy = Math.max(-limit, Math.min(limit, (y - mean) / perPixel));
          return `${k === 0 ? 'M' : 'L'}${sx(t).toFixed(1)},${(centre - dy).toFixed(1)}`;
        })
        .join('');
      const color = c % 2 === 0 ? '#1d2330' : '#2b4a7a';
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="0.8"/><text x="${left - 6}" y="${(centre + 4).toFixed(1)}" text-anchor="end" font-size="11">${escapeHtml(labels[c] ?? '')}</text>`;
    })
    .join('');
  const ticks: string[] = [];
  const step = duration > 20 ? 5 : duration > 4 ? 1 : 0.5;
  for (let t = 0; t <= duration + 1e-9; t += step) {
    const x = sx(t);
    ticks.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${top + lane * samples.length}" stroke="#eef0f4"/><text x="${x.toFixed(1)}" y="${top + lane * samples.length + 16}" text-anchor="middle" font-size="11">${formatNumber(Number(t.toFixed(3)))}</text>`);
  }
  const barValue = roundScale(typical);
  const barPixels = barValue / perPixel;
  const barX = left + plotWidth + 14;
  const barBottom = top + lane * Math.min(samples.length, 2) + barPixels / 2;
  const unit = options.unit ?? '';
  const bar = `<g class="scalebar"><line x1="${barX}" x2="${barX}" y1="${(barBottom - barPixels).toFixed(1)}" y2="${barBottom.toFixed(1)}" stroke="#d62728" stroke-width="2"/><text x="${barX + 5}" y="${(barBottom - barPixels / 2 + 4).toFixed(1)}" font-size="11">${formatNumber(barValue)} ${escapeHtml(unit)}</text></g>`;
  const title = options.title ? `<text x="${left}" y="18" font-size="13" font-weight="600">${escapeHtml(options.title)}</text>` : '';
  const xLabel = `<text x="${left + plotWidth / 2}" y="${height - 4}" text-anchor="middle" font-size="12">time (s)</text>`;
  const description = `${samples.length} channels over ${formatNumber(Number(duration.toFixed(3)))} s, one lane each, top to bottom: ${listNames(labels)}; scale bar ${formatNumber(barValue)} ${unit} per lane.`;
  return `${openSvg({ id: options.id, width, height, title: options.title ?? 'traces', description })}${title}${ticks.join('')}${paths}${bar}${xLabel}</svg>`;
}
