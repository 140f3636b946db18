/**
 * Scales shared by the charts: the series palette, colour maps, tick positions, extents,
 * quantiles and min/max decimation of long series.
 */

/** Ten series colours (matplotlib's tab10 order, red second). */
export const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/**
 * Colour for a value in [0, 1] (clamped; NaN as 0): viridis-like, or blue-white-red when
 * `diverging`.
 *
 * @example colorScale(0); // 'rgb(68,1,84)'
 */
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

/**
 * About `count` round ticks (1, 2 or 5 times a power of ten apart) inside [min, max].
 *
 * @example niceTicks(0, 10); // [0, 2, 4, 6, 8, 10]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const step0 = (max - min) / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= step0) ?? step0;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * [min, max] of the finite values; [0, 1] when there are none, widened by 1 each way when all are equal.
 *
 * @example extent([3, NaN, 1]); // [1, 3]
 */
export function extent(values: number[]): [number, number] {
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

/**
 * The q-quantile (0..1) of the finite values, linear between order statistics; NaN when none.
 *
 * @example quantile([4, 1, 3, 2], 0.5); // 2.5
 */
export function quantile(values: number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * Math.max(0, Math.min(1, q));
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return (sorted[below] as number) + (position - below) * ((sorted[above] as number) - (sorted[below] as number));
}

/**
 * Reduce a series to at most 2 points per pixel column (its min and max, in order), keeping
 * its shape; a series of up to 2 x `columns` points is returned whole.
 *
 * @example decimate(times, samples, 600).length; // <= 1200
 */
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
