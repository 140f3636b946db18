import { escapeHtml, formatNumber } from './html.ts';

/**
 * Inline-SVG charts for reports. Each returns an `<svg class="chart" data-chart=...>` string.
 * Long series are reduced to min/max per pixel column so a 1-hour trace stays small.
 */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
}

export interface LineChartOptions {
  id: string;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  logY?: boolean;
  logX?: boolean;
  yDomain?: [number, number];
}

export const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

interface Frame {
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
  width: number;
  height: number;
}

function frame(width: number, height: number): Frame {
  const left = 62;
  const top = 26;
  return { left, top, plotWidth: width - left - 16, plotHeight: height - top - 40, width, height };
}

function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const step0 = (max - min) / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= step0) ?? step0;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function extent(values: number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) return [0, 1];
  if (min === max) return [min - 1, max + 1];
  return [min, max];
}

function axes(f: Frame, xTicks: number[], yTicks: number[], sx: (v: number) => number, sy: (v: number) => number, o: LineChartOptions, xFmt = formatNumber, yFmt = formatNumber): string {
  const parts: string[] = [];
  parts.push(`<rect x="${f.left}" y="${f.top}" width="${f.plotWidth}" height="${f.plotHeight}" fill="none" stroke="#c8ced8"/>`);
  for (const t of xTicks) {
    const x = sx(t);
    parts.push(`<line x1="${x}" x2="${x}" y1="${f.top + f.plotHeight}" y2="${f.top + f.plotHeight + 4}" stroke="#888"/><text x="${x}" y="${f.top + f.plotHeight + 16}" text-anchor="middle" font-size="11">${xFmt(t)}</text>`);
  }
  for (const t of yTicks) {
    const y = sy(t);
    parts.push(`<line x1="${f.left - 4}" x2="${f.left + f.plotWidth}" y1="${y}" y2="${y}" stroke="#eef0f4"/><text x="${f.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${yFmt(t)}</text>`);
  }
  if (o.title) parts.push(`<text x="${f.left}" y="16" font-size="13" font-weight="600">${escapeHtml(o.title)}</text>`);
  if (o.xLabel) parts.push(`<text x="${f.left + f.plotWidth / 2}" y="${f.height - 6}" text-anchor="middle" font-size="12">${escapeHtml(o.xLabel)}</text>`);
  if (o.yLabel) parts.push(`<text transform="translate(14 ${f.top + f.plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(o.yLabel)}</text>`);
  return parts.join('');
}

/** Reduce a series to at most ~2 points per pixel column (min and max), keeping its shape. */
export function decimate(x: ArrayLike<number>, y: ArrayLike<number>, columns: number): Array<[number, number]> {
  const n = Math.min(x.length, y.length);
  if (n <= columns * 2) return Array.from({ length: n }, (_, i) => [x[i] as number, y[i] as number]);
  const out: Array<[number, number]> = [];
  const per = n / columns;
  for (let c = 0; c < columns; c++) {
    const start = Math.floor(c * per);
    const end = Math.min(n, Math.floor((c + 1) * per));
    let iMin = start;
    let iMax = start;
    for (let i = start; i < end; i++) {
      if ((y[i] as number) < (y[iMin] as number)) iMin = i;
      if ((y[i] as number) > (y[iMax] as number)) iMax = i;
    }
    const [a, b] = iMin < iMax ? [iMin, iMax] : [iMax, iMin];
    out.push([x[a] as number, y[a] as number]);
    if (b !== a) out.push([x[b] as number, y[b] as number]);
  }
  return out;
}

/** Line chart of one or more series, with a legend when there are several. */
export function lineChart(series: Series[], options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 280;
  const f = frame(width, height);
  const tx = (v: number): number => (options.logX ? Math.log10(v) : v);
  const ty = (v: number): number => (options.logY ? Math.log10(v) : v);
  const points = series.map((s) => decimate(s.x, s.y, f.plotWidth).filter(([x, y]) => Number.isFinite(tx(x)) && Number.isFinite(ty(y))));
  const [x0, x1] = extent(points.flat().map(([x]) => tx(x)));
  const [y0, y1] = options.yDomain ? options.yDomain.map(ty) as [number, number] : extent(points.flat().map(([, y]) => ty(y)));
  const sx = (v: number): number => f.left + ((v - x0) / (x1 - x0)) * f.plotWidth;
  const sy = (v: number): number => f.top + f.plotHeight - ((v - y0) / (y1 - y0)) * f.plotHeight;
  const logFmt = (t: number): string => formatNumber(Math.pow(10, t));
  const body = points
    .map((pts, i) => {
      const color = series[i]?.color ?? palette[i % palette.length];
      const d = pts.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${sx(tx(x)).toFixed(1)},${sy(ty(y)).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.3"/>`;
    })
    .join('');
  const legend =
    series.length > 1
      ? series
          .map((s, i) => `<g transform="translate(${f.left + 8 + (i % 6) * 110} ${f.top + 12 + Math.floor(i / 6) * 14})"><rect width="10" height="3" y="-4" fill="${s.color ?? palette[i % palette.length]}"/><text x="14" font-size="11">${escapeHtml(s.name)}</text></g>`)
          .join('')
      : '';
  const xTicks = niceTicks(x0, x1);
  const yTicks = niceTicks(y0, y1);
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${axes(f, xTicks, yTicks, sx, sy, options, options.logX ? logFmt : formatNumber, options.logY ? logFmt : formatNumber)}${body}${legend}</svg>`;
}

/** Colour for a value in [0, 1] on a perceptually ordered blue-white-red or viridis-like scale. */
export function colorScale(t: number, diverging = false): string {
  const v = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  if (diverging) {
    const r = v < 0.5 ? Math.round(255 * (v * 2)) : 255;
    const b = v > 0.5 ? Math.round(255 * (2 - v * 2)) : 255;
    const g = Math.round(255 * (1 - Math.abs(v - 0.5) * 2));
    return `rgb(${r},${g},${b})`;
  }
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const p = v * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(p));
  const f = p - i;
  const a = stops[i] as number[];
  const b = stops[i + 1] as number[];
  return `rgb(${a.map((c, k) => Math.round(c + f * ((b[k] as number) - c))).join(',')})`;
}

/** A labelled matrix as coloured cells (connectivity, confusion, correlation). */
export function heatmap(matrix: ArrayLike<number>[], labels: { rows: string[]; columns: string[] }, options: { id: string; title?: string; domain?: [number, number]; diverging?: boolean; cellSize?: number }): string {
  const rows = matrix.length;
  const columns = labels.columns.length;
  const cell = options.cellSize ?? Math.max(8, Math.min(28, Math.floor(560 / Math.max(rows, columns, 1))));
  const left = 70;
  const top = 30 + (options.title ? 14 : 0);
  const width = left + columns * cell + 80;
  const labelRoom = Math.min(70, 12 + 6.5 * Math.max(0, ...labels.columns.map((l) => l.length)));
  const height = top + rows * cell + labelRoom;
  const all = matrix.flatMap((r) => Array.from(r));
  const [lo, hi] = options.domain ?? extent(all);
  const cells: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row = matrix[i] as ArrayLike<number>;
    for (let j = 0; j < columns; j++) {
      const v = row[j] as number;
      cells.push(`<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${Number.isFinite(v) ? colorScale((v - lo) / (hi - lo || 1), options.diverging) : '#eceef2'}"><title>${escapeHtml(labels.rows[i] ?? '')} – ${escapeHtml(labels.columns[j] ?? '')}: ${formatNumber(v)}</title></rect>`);
    }
  }
  const fontSize = Math.min(11, cell);
  const rowLabels = labels.rows.map((l, i) => `<text x="${left - 4}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="${fontSize}">${escapeHtml(l)}</text>`).join('');
  // Narrow columns get upright (90 degree) labels so neighbours do not overlap.
  const angle = cell < 14 ? 90 : 60;
  const colLabels = labels.columns.map((l, j) => `<text transform="translate(${left + j * cell + cell / 2 - (angle === 90 ? fontSize / 2.6 : -4)} ${top + rows * cell + 6}) rotate(${angle})" font-size="${fontSize}">${escapeHtml(l)}</text>`).join('');
  const barX = left + columns * cell + 12;
  const barHeight = Math.max(40, rows * cell);
  const steps = 24;
  const bar = Array.from({ length: steps }, (_, k) => `<rect x="${barX}" y="${(top + barHeight - ((k + 1) * barHeight) / steps).toFixed(1)}" width="10" height="${(barHeight / steps + 0.3).toFixed(1)}" fill="${colorScale((k + 0.5) / steps, options.diverging)}"/>`).join('');
  const legend = `<g class="colorbar">${bar}<text x="${barX + 14}" y="${top + 9}" font-size="11">${formatNumber(hi)}</text><text x="${barX + 14}" y="${top + barHeight}" font-size="11">${formatNumber(lo)}</text></g>`;
  const title = options.title ? `<text x="${left}" y="16" font-size="13" font-weight="600">${escapeHtml(options.title)}</text>` : '';
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${title}${cells.join('')}${rowLabels}${colLabels}${legend}</svg>`;
}

/** A spike raster: one dot per spike (neurons on y, time on x), thinned to `maxSpikes`. */
export function raster(neuron: ArrayLike<number>, timesSeconds: ArrayLike<number>, options: { id: string; title?: string; neuronCount: number; durationSeconds: number; maxSpikes?: number; width?: number; height?: number }): string {
  const width = options.width ?? 720;
  const height = options.height ?? 300;
  const f = frame(width, height);
  const stride = Math.max(1, Math.ceil(neuron.length / (options.maxSpikes ?? 30000)));
  const sx = (t: number): number => f.left + (t / options.durationSeconds) * f.plotWidth;
  const sy = (n: number): number => f.top + f.plotHeight - ((n + 0.5) / options.neuronCount) * f.plotHeight;
  const dots: string[] = [];
  for (let k = 0; k < neuron.length; k += stride) {
    dots.push(`M${sx(timesSeconds[k] as number).toFixed(1)},${sy(neuron[k] as number).toFixed(1)}h1`);
  }
  const o: LineChartOptions = { id: options.id, xLabel: 'time (s)', yLabel: 'neuron' };
  if (options.title) o.title = options.title;
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${axes(f, niceTicks(0, options.durationSeconds), niceTicks(0, options.neuronCount), sx, (n) => sy(n - 0.5), o)}<path d="${dots.join('')}" stroke="#1d2330" stroke-width="1.2" fill="none"/></svg>`;
}

/** Vertical bars with category labels. */
export function barChart(labels: string[], values: number[], options: { id: string; title?: string; yLabel?: string; width?: number; height?: number }): string {
  const width = options.width ?? Math.max(320, 40 + labels.length * 36);
  const height = options.height ?? 260;
  const f = frame(width, height);
  const [lo0, hi] = extent([0, ...values]);
  const lo = Math.min(0, lo0);
  const sy = (v: number): number => f.top + f.plotHeight - ((v - lo) / (hi - lo)) * f.plotHeight;
  const bw = f.plotWidth / Math.max(1, labels.length);
  const bars = values
    .map((v, i) => `<rect x="${f.left + i * bw + bw * 0.15}" y="${Math.min(sy(v), sy(0))}" width="${bw * 0.7}" height="${Math.abs(sy(v) - sy(0))}" fill="${palette[0]}"><title>${escapeHtml(labels[i] ?? '')}: ${formatNumber(v)}</title></rect><text x="${f.left + i * bw + bw / 2}" y="${f.top + f.plotHeight + 14}" font-size="11" text-anchor="middle">${escapeHtml(labels[i] ?? '')}</text>`)
    .join('');
  const o: LineChartOptions = { id: options.id };
  if (options.title) o.title = options.title;
  if (options.yLabel) o.yLabel = options.yLabel;
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${axes(f, [], niceTicks(lo, hi), () => 0, sy, o)}${bars}</svg>`;
}
