import { decimate, palette } from './charts.ts';
import { escapeHtml, formatNumber } from './html.ts';

/**
 * EEG-specific report charts: stacked traces (one lane per channel, one shared amplitude
 * scale, as an EEG reader shows them) and spectra of many channels on a log power axis with
 * the frequency bands shaded.
 */
export interface TraceOptions {
  id: string;
  title?: string;
  sampleRateHz: number;
  /** Unit of the samples (for the scale bar), e.g. "uV". */
  unit?: string;
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
 * Stacked traces: channel `i` in lane `i` (top to bottom), all on one amplitude scale (the
 * median over channels of the 1st-99th percentile range fills about one lane); samples beyond
 * one and a half lanes are clipped so a noisy channel cannot cover the others. A scale bar
 * shows the amplitude of one lane.
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
  const bar = `<g class="scalebar"><line x1="${barX}" x2="${barX}" y1="${(barBottom - barPixels).toFixed(1)}" y2="${barBottom.toFixed(1)}" stroke="#d62728" stroke-width="2"/><text x="${barX + 5}" y="${(barBottom - barPixels / 2 + 4).toFixed(1)}" font-size="11">${formatNumber(barValue)} ${escapeHtml(options.unit ?? '')}</text></g>`;
  const title = options.title ? `<text x="${left}" y="18" font-size="13" font-weight="600">${escapeHtml(options.title)}</text>` : '';
  const xLabel = `<text x="${left + plotWidth / 2}" y="${height - 4}" text-anchor="middle" font-size="12">time (s)</text>`;
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${title}${ticks.join('')}${paths}${bar}${xLabel}</svg>`;
}

export interface SpectrumChartOptions {
  id: string;
  title?: string;
  /** Unit of the power axis, e.g. "uV^2/Hz". */
  unit?: string;
  /** Frequency range shown (Hz); default all. */
  range?: [number, number];
  /** Bands shaded behind the curves. */
  bands?: Array<{ name: string; low: number; high: number }>;
  /** One colour per channel (default: the palette). */
  colors?: string[];
  width?: number;
  height?: number;
}

const bandShades = ['#f3f6fb', '#e8eef7'];

/**
 * Spectra of many channels on one plot, power on a log axis (decades labelled), bands shaded,
 * the channel legend on the right.
 *
 * @example
 *   spectrumChart(labels, frequencies, psd, { id: 'psd', unit: 'uV^2/Hz', range: [0.5, 45] });
 */
export function spectrumChart(labels: string[], frequencies: ArrayLike<number>, power: ArrayLike<number>[], options: SpectrumChartOptions): string {
  const columns = Math.max(1, Math.ceil(labels.length / 24));
  const legendWidth = 84 * columns;
  const width = options.width ?? 1060;
  const height = options.height ?? Math.max(360, 40 + Math.min(24, labels.length) * 13 + 40);
  const left = 66;
  const top = options.title ? 30 : 12;
  const plotWidth = width - left - legendWidth - 20;
  const plotHeight = height - top - 44;
  const [f0, f1] = options.range ?? [frequencies[0] as number, frequencies[frequencies.length - 1] as number];
  const bins: number[] = [];
  for (let k = 0; k < frequencies.length; k++) if ((frequencies[k] as number) >= f0 && (frequencies[k] as number) <= f1) bins.push(k);
  const logs: number[] = [];
  for (const row of power) for (const k of bins) {
    const v = row[k] as number;
    if (v > 0 && Number.isFinite(v)) logs.push(Math.log10(v));
  }
  logs.sort((a, b) => a - b);
  const y0 = Math.floor(logs.length > 0 ? (logs[Math.floor(logs.length * 0.002)] as number) : 0);
  const y1 = Math.ceil(logs.length > 0 ? (logs[logs.length - 1] as number) : 1);
  const [lo, hi] = y1 > y0 ? [y0, y1] : [y0 - 1, y0 + 1];
  const sx = (f: number): number => left + ((f - f0) / (f1 - f0 || 1)) * plotWidth;
  const sy = (l: number): number => top + plotHeight - ((Math.max(lo, Math.min(hi, l)) - lo) / (hi - lo)) * plotHeight;
  const shades = (options.bands ?? [])
    .map((b, i) => {
      const a = sx(Math.max(f0, b.low));
      const z = sx(Math.min(f1, b.high));
      if (!(z > a)) return '';
      return `<rect x="${a.toFixed(1)}" y="${top}" width="${(z - a).toFixed(1)}" height="${plotHeight}" fill="${bandShades[i % 2]}"/><text x="${((a + z) / 2).toFixed(1)}" y="${top + 12}" text-anchor="middle" font-size="10" fill="#5b6475">${escapeHtml(b.name)}</text>`;
    })
    .join('');
  const grid: string[] = [];
  const decadeStep = Math.max(1, Math.ceil((hi - lo) / 8));
  for (let d = lo; d <= hi; d += decadeStep) {
    const y = sy(d);
    grid.push(`<line x1="${left - 4}" x2="${left + plotWidth}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#dfe3ea"/><text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11">${d === 0 ? '1' : `10${superscript(d)}`}</text>`);
  }
  const fStep = f1 - f0 > 60 ? 10 : 5;
  for (let f = Math.ceil(f0 / fStep) * fStep; f <= f1 + 1e-9; f += fStep) {
    const x = sx(f);
    grid.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top + plotHeight}" y2="${top + plotHeight + 4}" stroke="#888"/><text x="${x.toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" font-size="11">${f}</text>`);
  }
  const colors = options.colors ?? labels.map((_, i) => palette[i % palette.length] as string);
  const curves = power
    .map((row, c) => {
      const d = bins
        .filter((k) => (row[k] as number) > 0)
        .map((k, i) => `${i === 0 ? 'M' : 'L'}${sx(frequencies[k] as number).toFixed(1)},${sy(Math.log10(row[k] as number)).toFixed(1)}`)
        .join('');
      return d ? `<path d="${d}" fill="none" stroke="${colors[c]}" stroke-width="1.1" stroke-opacity="0.85"><title>${escapeHtml(labels[c] ?? '')}</title></path>` : '';
    })
    .join('');
  const legend = labels
    .map((l, i) => {
      const x = left + plotWidth + 16 + Math.floor(i / 24) * 84;
      const y = top + 8 + (i % 24) * 13;
      return `<g transform="translate(${x} ${y})"><rect width="12" height="3" y="-4" fill="${colors[i]}"/><text x="16" font-size="10">${escapeHtml(l)}</text></g>`;
    })
    .join('');
  const frame = `<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#c8ced8"/>`;
  const title = options.title ? `<text x="${left}" y="18" font-size="13" font-weight="600">${escapeHtml(options.title)}</text>` : '';
  const axisLabels = `<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" font-size="12">frequency (Hz)</text><text transform="translate(14 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">power (${escapeHtml(options.unit ?? '')})</text>`;
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${title}${shades}${grid.join('')}${frame}${curves}${legend}${axisLabels}</svg>`;
}

function superscript(n: number): string {
  const digits: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  return String(n).split('').map((c) => digits[c] ?? c).join('');
}
