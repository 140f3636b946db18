/** Stacked bar chart: one horizontal bar per row split into its shares (100 % stacked), a legend per part. */
import { escapeHtml, listNames, openSvg } from './markup.ts';
import { palette } from './scales.ts';

/** One bar: a label and one value per part (non-positive and non-finite values count as 0). */
export interface StackedBarRow {
  label: string;
  values: number[];
}

export interface StackedBarChartOptions {
  id: string;
  title?: string;
  /** Pixels across (default 640). */
  width?: number;
  /** Pixels per row (default 16). */
  rowHeight?: number;
  /** Pixels left of the bars for the row labels (default 110). */
  labelWidth?: number;
  /** One colour per part (default the palette). */
  colors?: string[];
}

/**
 * Horizontal 100 % stacked bars: row r is split left to right into `parts`, part i taking
 * values[i] / (sum of the row's positive values) of the bar's width (from `labelWidth` to
 * `width` - 10 px); each segment has a tooltip "row part: share %". A legend above names
 * every part with its colour.
 *
 * @example stackedBarChart(['delta', 'theta'], [{ label: 'O1', values: [3, 1] }], { id: 'relative-band-power' });
 */
export function stackedBarChart(parts: string[], rows: StackedBarRow[], options: StackedBarChartOptions): string {
  const width = options.width ?? 640;
  const rowHeight = options.rowHeight ?? 16;
  const labelWidth = options.labelWidth ?? 110;
  const colors = options.colors ?? palette;
  const color = (i: number): string => colors[i % colors.length] as string;
  const plot = width - labelWidth - 10;
  const height = rows.length * rowHeight + 30;
  const share = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 0);
  const legend = parts
    .map((part, i) => `<g class="legend-entry" transform="translate(${labelWidth + i * 80}, 4)"><rect width="10" height="10" fill="${color(i)}"/><text x="14" y="9" font-size="11">${escapeHtml(part)}</text></g>`)
    .join('');
  const bars = rows
    .map((row, r) => {
      const total = row.values.reduce((sum, v) => sum + share(v), 0) || 1;
      const y = 24 + r * rowHeight;
      let x = labelWidth;
      const segments = row.values
        .map((v, i) => {
          const w = (plot * share(v)) / total;
          const rect = `<rect x="${x}" y="${y}" width="${w}" height="${rowHeight - 3}" fill="${color(i)}"><title>${escapeHtml(`${row.label} ${parts[i] ?? ''}: ${((100 * v) / total).toFixed(1)} %`)}</title></rect>`;
          x += w;
          return rect;
        })
        .join('');
      return `<g><text x="${labelWidth - 6}" y="${y + rowHeight - 5}" font-size="11" text-anchor="end">${escapeHtml(row.label)}</text>${segments}</g>`;
    })
    .join('');
  const description = `${rows.length} bars (${listNames(rows.map((r) => r.label))}), each split into the shares of ${listNames(parts)}.`;
  return `${openSvg({ id: options.id, width, height, title: options.title ?? `shares of ${parts.join(', ')}`, description })}<g class="legend">${legend}</g>${bars}</svg>`;
}
