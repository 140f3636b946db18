/** Bar chart: one vertical bar per category, from 0. */
import { drawAxes, plotFrame, type AxisText } from './axes.ts';
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';
import { extent, niceTicks, palette } from './scales.ts';

export interface BarChartOptions {
  id: string;
  title?: string;
  yLabel?: string;
  /** Pixels (default width 40 + 36 per bar, at least 320; height 260). */
  width?: number;
  height?: number;
}

/**
 * Vertical bars with category labels; each bar spans 0 to its value (y from min(0, values)
 * to max), each with a tooltip "label: value".
 *
 * @example barChart(['go', 'stop'], [0.92, 0.41], { id: 'accuracy', yLabel: 'accuracy' });
 */
export function barChart(labels: string[], values: number[], options: BarChartOptions): string {
  const width = options.width ?? Math.max(320, 40 + labels.length * 36);
  const height = options.height ?? 260;
  const f = plotFrame(width, height);
  const [lo0, hi] = extent([0, ...values]);
  const lo = Math.min(0, lo0);
  const sy = (v: number): number => f.top + f.plotHeight - ((v - lo) / (hi - lo)) * f.plotHeight;
  const bw = f.plotWidth / Math.max(1, labels.length);
  const bars = values
    .map((v, i) => `<rect x="${f.left + i * bw + bw * 0.15}" y="${Math.min(sy(v), sy(0))}" width="${bw * 0.7}" height="${Math.abs(sy(v) - sy(0))}" fill="${palette[0]}"><title>${escapeHtml(labels[i] ?? '')}: ${formatNumber(v)}</title></rect><text x="${f.left + i * bw + bw / 2}" y="${f.top + f.plotHeight + 14}" font-size="11" text-anchor="middle">${escapeHtml(labels[i] ?? '')}</text>`)
    .join('');
  const text: AxisText = {};
  if (options.title) text.title = options.title;
  if (options.yLabel) text.yLabel = options.yLabel;
  const description = `Bar chart of ${labels.length} categories: ${listNames(labels.map((l, i) => `${l} ${formatNumber(values[i] ?? NaN)}`))}.`;
  return `${openSvg({ id: options.id, width, height, title: options.title ?? options.yLabel ?? 'bar chart', description })}${drawAxes(f, [], niceTicks(lo, hi), () => 0, sy, text)}${bars}</svg>`;
}
