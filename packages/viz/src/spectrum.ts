/** Spectrum chart: the power spectra of many channels on one plot, one path per channel, with a legend. */
import { CajalError } from '@cajal/core';
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';
import { niceTicks, palette } from './scales.ts';

export interface SpectrumChartOptions {
  id: string;
  title?: string;
  /** Unit of the power axis, e.g. "uV^2/Hz" (or "dB" with `scale: 'decibel'`). */
  unit?: string;
  /**
   * How `power` is given and drawn: 'log' (default): linear power drawn on a log10 axis with
   * decades labelled (bins with power <= 0 left out); 'decibel': power already in dB, drawn on
   * a linear axis.
   */
  scale?: 'log' | 'decibel';
  /** Frequency range shown (Hz); default all. */
  range?: [number, number];
  /** Bands shaded behind the curves, named at the top. */
  bands?: Array<{ name: string; low: number; high: number }>;
  /** One colour per channel (default: the palette). */
  colors?: string[];
  /** Pixels (default 1060 wide; high enough for 24 legend rows, at least 360). */
  width?: number;
  height?: number;
}

const bandShades = ['#f3f6fb', '#e8eef7'];

/**
 * Spectra of many channels on one plot: channel c is one path through (frequencies[k],
 * power[c][k]) for the bins inside `range`, frequency linear from the range's low end (left)
 * to its high end (right), power from the axis bottom (0.2nd percentile of the values shown,
 * rounded down to a decade or a tick) to its top (the maximum, rounded up). Bands shaded; the
 * legend on the right lists every channel (24 per column), in order, with its colour.
 *
 * @example
 *   spectrumChart(['Fp1', 'Fp2'], frequencies, [fp1Psd, fp2Psd], { id: 'psd', unit: 'uV^2/Hz', range: [0.5, 45] });
 */
export function spectrumChart(labels: string[], frequencies: ArrayLike<number>, power: ArrayLike<number>[], options: SpectrumChartOptions): string {
  if (power.length !== labels.length) throw new CajalError('INVALID_ARGUMENT', `spectrumChart: ${power.length} power rows for ${labels.length} labels`);
  const decibel = options.scale === 'decibel';
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
  const drawn = (v: number): boolean => (decibel ? Number.isFinite(v) : v > 0);
  const toAxis = (v: number): number => (decibel ? v : Math.log10(v));
  const values: number[] = [];
  for (const row of power) for (const k of bins) {
    const v = row[k] as number;
    if (Number.isFinite(v) && (decibel || v > 0)) values.push(toAxis(v));
  }
  values.sort((a, b) => a - b);
  const low = values.length > 0 ? (values[Math.floor(values.length * 0.002)] as number) : 0;
  const high = values.length > 0 ? (values[values.length - 1] as number) : 1;
  // Log axes step by whole decades; decibel axes by a round tick step.
  const ticks = decibel ? niceTicks(low, high, 6) : [];
  const step = decibel ? (ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : 10) : 1;
  const y0 = Math.floor(low / step) * step;
  const y1 = Math.ceil(high / step) * step;
  const [lo, hi] = y1 > y0 ? [y0, y1] : [y0 - step, y0 + step];
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
  const gridStep = decibel ? step : Math.max(1, Math.ceil((hi - lo) / 8));
  for (let d = lo; d <= hi + gridStep * 1e-9; d += gridStep) {
    const y = sy(d);
    const label = decibel ? formatNumber(Number(d.toPrecision(12))) : d === 0 ? '1' : `10${superscript(d)}`;
    grid.push(`<line x1="${left - 4}" x2="${left + plotWidth}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#dfe3ea"/><text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11">${label}</text>`);
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
        .filter((k) => drawn(row[k] as number))
        .map((k, i) => `${i === 0 ? 'M' : 'L'}${sx(frequencies[k] as number).toFixed(1)},${sy(toAxis(row[k] as number)).toFixed(1)}`)
        .join('');
      return d ? `<path d="${d}" fill="none" stroke="${colors[c]}" stroke-width="1.1" stroke-opacity="0.85"><title>${escapeHtml(labels[c] ?? '')}</title></path>` : '';
    })
    .join('');
  const legend = labels
    .map((l, i) => {
      const x = left + plotWidth + 16 + Math.floor(i / 24) * 84;
      const y = top + 8 + (i % 24) * 13;
      return `<g class="legend-entry" transform="translate(${x} ${y})"><rect width="12" height="3" y="-4" fill="${colors[i]}"/><text x="16" font-size="10">${escapeHtml(l)}</text></g>`;
    })
    .join('');
  const frame = `<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#c8ced8"/>`;
  const title = options.title ? `<text x="${left}" y="18" font-size="13" font-weight="600">${escapeHtml(options.title)}</text>` : '';
  const unit = options.unit ?? '';
  const axisLabels = `<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" font-size="12">frequency (Hz)</text><text transform="translate(14 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">power (${escapeHtml(unit)})</text>`;
  const axisText = decibel ? `${formatNumber(lo)} to ${formatNumber(hi)} ${unit}` : `1e${lo} to 1e${hi} ${unit}, log axis`;
  const description = `Power spectra of ${labels.length} channels from ${formatNumber(f0)} to ${formatNumber(f1)} Hz, power ${axisText}: ${listNames(labels)}.`;
  return `${openSvg({ id: options.id, width, height, title: options.title ?? 'power spectral density per channel', description })}${title}${shades}${grid.join('')}${frame}${curves}<g class="legend">${legend}</g>${axisLabels}</svg>`;
}

function superscript(n: number): string {
  const digits: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  return String(n).split('').map((c) => digits[c] ?? c).join('');
}
