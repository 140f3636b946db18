/** Line chart: one path per series, a legend naming each series when there are several. */
import { drawAxes, plotFrame } from './axes.ts';
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';
import { decimate, extent, niceTicks, palette } from './scales.ts';

/** One line: points (x[i], y[i]); `color` defaults to the palette by position. */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
}

export interface LineChartOptions {
  /** Chart name (`data-chart`). */
  id: string;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels (default 720 x 280). */
  width?: number;
  height?: number;
  /** Log10 axes (non-positive values are left out). */
  logY?: boolean;
  logX?: boolean;
  /** y range (default: the data's). */
  yDomain?: [number, number];
}

/**
 * Line chart of one or more series. Long series are reduced to min/max per pixel column, so
 * a 1-hour trace stays small. x maps linearly from the data's [min, max] to the plot's left
 * and right edges, y from its [min, max] (or `yDomain`) to bottom and top.
 *
 * @example
 *   lineChart([{ name: 'loss', x: epochs, y: loss }], { id: 'loss', xLabel: 'epoch', yLabel: 'loss' });
 */
export function lineChart(series: Series[], options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 280;
  const f = plotFrame(width, height);
  const tx = (v: number): number => (options.logX ? Math.log10(v) : v);
  const ty = (v: number): number => (options.logY ? Math.log10(v) : v);
  const points = series.map((s) => decimate(s.x, s.y, f.plotWidth).filter(([x, y]) => Number.isFinite(tx(x)) && Number.isFinite(ty(y))));
  const [x0, x1] = extent(points.flat().map(([x]) => tx(x)));
  const [y0, y1] = options.yDomain ? (options.yDomain.map(ty) as [number, number]) : extent(points.flat().map(([, y]) => ty(y)));
  const sx = (v: number): number => f.left + ((v - x0) / (x1 - x0)) * f.plotWidth;
  const sy = (v: number): number => f.top + f.plotHeight - ((v - y0) / (y1 - y0)) * f.plotHeight;
  const logFormat = (t: number): string => formatNumber(Math.pow(10, t));
  const color = (i: number): string => series[i]?.color ?? (palette[i % palette.length] as string);
  const body = points
    .map((pts, i) => {
      const d = pts.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${sx(tx(x)).toFixed(1)},${sy(ty(y)).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${color(i)}" stroke-width="1.3"/>`;
    })
    .join('');
  const legend =
    series.length > 1
      ? `<g class="legend">${series.map((s, i) => `<g class="legend-entry" transform="translate(${f.left + 8 + (i % 6) * 110} ${f.top + 12 + Math.floor(i / 6) * 14})"><rect width="10" height="3" y="-4" fill="${color(i)}"/><text x="14" font-size="11">${escapeHtml(s.name)}</text></g>`).join('')}</g>`
      : '';
  const names = series.map((s) => s.name);
  const range = (a: number, b: number, log: boolean | undefined): string => (log ? `${formatNumber(10 ** a)} to ${formatNumber(10 ** b)} (log)` : `${formatNumber(a)} to ${formatNumber(b)}`);
  const description = `Line chart of ${series.length} series (${listNames(names)}); ${options.xLabel ?? 'x'} from ${range(x0, x1, options.logX)}, ${options.yLabel ?? 'y'} from ${range(y0, y1, options.logY)}.`;
  const axes = drawAxes(f, niceTicks(x0, x1), niceTicks(y0, y1), sx, sy, options, options.logX ? logFormat : formatNumber, options.logY ? logFormat : formatNumber);
  return `${openSvg({ id: options.id, width, height, title: options.title ?? names.join(', '), description })}${axes}${body}${legend}</svg>`;
}
