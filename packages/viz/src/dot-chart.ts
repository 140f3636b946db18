/** Dot chart: one dot per row on a shared value axis. */
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';
import { niceTicks, palette } from './scales.ts';

/** One row: a label and its value. */
export interface DotRow {
  label: string;
  value: number;
}

export interface DotChartOptions {
  id: string;
  title?: string;
  /** Axis range; values outside are drawn at its ends (default the values' min and max). */
  domain?: [number, number];
  /** Tick values (default round ticks over the domain). */
  ticks?: number[];
  /** Unit after tick labels and tooltip values, e.g. "Hz". */
  unit?: string;
  /** Decimals in the tooltips (default 2). */
  decimals?: number;
  /** Pixels across (default 640), per row (default 16), left of the axis for labels (default 110). */
  width?: number;
  rowHeight?: number;
  labelWidth?: number;
  color?: string;
}

/**
 * Dots on one axis, one row each (top to bottom): the value maps linearly from the domain's
 * low end (x = `labelWidth`) to its high end (x = `width` - 20), clamped to it; a tooltip
 * "label: value unit" per dot and a vertical grid line per tick.
 *
 * @example dotChart([{ label: 'O1', value: 10.2 }], { id: 'peak-alpha', domain: [7, 14], unit: 'Hz' });
 */
export function dotChart(rows: DotRow[], options: DotChartOptions): string {
  const width = options.width ?? 640;
  const rowHeight = options.rowHeight ?? 16;
  const labelWidth = options.labelWidth ?? 110;
  const finite = rows.map((r) => r.value).filter(Number.isFinite);
  const [lo, hi] = options.domain ?? (finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : [0, 1]);
  const span = hi - lo || 1;
  const plot = width - labelWidth - 20;
  const x = (v: number): number => labelWidth + (plot * (Math.min(hi, Math.max(lo, v)) - lo)) / span;
  const height = rows.length * rowHeight + 30;
  const unit = options.unit ? ` ${options.unit}` : '';
  const decimals = options.decimals ?? 2;
  const grid = (options.ticks ?? niceTicks(lo, hi))
    .map((t) => `<g><line x1="${x(t)}" x2="${x(t)}" y1="4" y2="${height - 16}" stroke="#ddd"/><text x="${x(t)}" y="${height - 4}" font-size="10" text-anchor="middle">${formatNumber(t)}${escapeHtml(unit)}</text></g>`)
    .join('');
  const dots = rows
    .map((row, r) => `<g><text x="${labelWidth - 6}" y="${4 + r * rowHeight + 11}" font-size="11" text-anchor="end">${escapeHtml(row.label)}</text><circle cx="${x(row.value)}" cy="${4 + r * rowHeight + 7}" r="4" fill="${options.color ?? palette[2]}"><title>${escapeHtml(`${row.label}: ${row.value.toFixed(decimals)}${unit}`)}</title></circle></g>`)
    .join('');
  const description = `${rows.length} values on an axis from ${formatNumber(lo)} to ${formatNumber(hi)}${unit}: ${listNames(rows.map((r) => `${r.label} ${r.value.toFixed(decimals)}`))}.`;
  return `${openSvg({ id: options.id, width, height, title: options.title ?? 'values per row', description })}${grid}${dots}</svg>`;
}
