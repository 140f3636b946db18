/**
 * The schematic head seen from above (nose up, left ear left) and the scalp map drawn on it.
 * Positions are the 2-D projection of @cajal/signal's `electrodePosition` (u right, v front,
 * the Fpz-T7-Oz-T8 circle at radius 1). The map draws a grid interpolated elsewhere (for
 * example by @cajal/signal's `interpolateHeadGrid`): this package draws, it does not solve.
 */
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';
import { colorScale } from './scales.ts';

/** An electrode on the head: (u, v) as above. */
export interface HeadPoint {
  label: string;
  u: number;
  v: number;
}

/** An electrode with its value. */
export interface ScalpValue extends HeadPoint {
  value: number;
}

/**
 * Values on a square grid over the head: `size` x `size` cells covering u, v in [-radius,
 * radius], row-major from the front (v = +radius) to the back, left (u = -radius) to right;
 * cell (row, col) is centred at u = -radius + (col + 0.5) * 2 radius / size, v = radius -
 * (row + 0.5) * 2 radius / size. Cells outside the head circle (or not computed) are NaN.
 */
export interface HeadGrid {
  radius: number;
  size: number;
  values: Float64Array;
}

/** Where the head sits in the chart. */
export interface HeadFrame {
  cx: number;
  cy: number;
  /** Pixels per unit of (u, v). */
  scale: number;
  /** Head radius in (u, v) units. */
  radius: number;
}

/**
 * The head outline (circle, nose, ears) as one path.
 *
 * @example headOutline({ cx: 115, cy: 121, scale: 96.6, radius: 1 });
 */
export function headOutline(f: HeadFrame): string {
  const r = f.radius * f.scale;
  const { cx, cy } = f;
  const nose = `M${cx - r * 0.12},${cy - r * 0.99}L${cx},${cy - r * 1.13}L${cx + r * 0.12},${cy - r * 0.99}`;
  const ear = (side: number): string =>
    `M${cx + side * r * 0.995},${cy - r * 0.12}C${cx + side * r * 1.09},${cy - r * 0.16} ${cx + side * r * 1.1},${cy + r * 0.16} ${cx + side * r * 0.995},${cy + r * 0.14}`;
  return `<path class="head" d="M${cx - r},${cy}A${r},${r} 0 1 0 ${cx + r},${cy}A${r},${r} 0 1 0 ${cx - r},${cy}Z${nose}${ear(-1)}${ear(1)}" fill="none" stroke="#1d2330" stroke-width="1.5"/>`;
}

/**
 * Head radius that holds every point (at least the 10-20 equator, radius 1).
 *
 * @example headRadius([{ label: 'T9', u: -1.1, v: 0 }]); // 1.144
 */
export function headRadius(points: HeadPoint[]): number {
  return Math.max(1, ...points.map((p) => Math.hypot(p.u, p.v) * 1.04));
}

export interface HeadMapOptions {
  id: string;
  title?: string;
  /** Text under the colour bar (e.g. "relative power (%)"). */
  unit?: string;
  /** Colour range; default the points' min and max. */
  domain?: [number, number];
  /** Value shown next to each colour-bar end and in tooltips (default `formatNumber`). */
  format?: (value: number) => string;
  /** Number of colour steps (default 16): filled contours. */
  levels?: number;
  /** Draw electrode labels (default true). */
  labels?: boolean;
  /** Pixels across (default 230). */
  size?: number;
}

/**
 * A scalp map ("topomap"): the grid's cells drawn as filled colour steps (one path per step,
 * clipped to the head), electrodes as dots with tooltips, a head outline with nose and ears,
 * and a colour bar. Without a grid (too few electrodes to interpolate) the electrodes
 * themselves are drawn as coloured discs.
 *
 * @example
 *   const grid = interpolateHeadGrid(points); // @cajal/signal
 *   headMap(points, grid, { id: 'alpha', title: 'alpha 8-13 Hz', unit: 'relative power (%)' });
 */
export function headMap(points: ScalpValue[], grid: HeadGrid | undefined, options: HeadMapOptions): string {
  const size = options.size ?? 230;
  const fmt = options.format ?? formatNumber;
  const radius = grid?.radius ?? headRadius(points);
  const top = options.title ? 22 : 6;
  const f: HeadFrame = { cx: size / 2, cy: top + size * 0.08 + size * 0.42, scale: (size * 0.42) / radius, radius };
  const width = size;
  const height = f.cy + size * 0.42 + 48;
  const values = points.map((p) => p.value);
  let [lo, hi] = options.domain ?? (values.length > 0 ? [Math.min(...values), Math.max(...values)] : [0, 1]);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const levels = options.levels ?? 16;
  const levelOf = (value: number): number => Math.min(levels - 1, Math.floor(Math.max(0, Math.min(1, (value - lo) / (hi - lo))) * levels));
  const paths: string[][] = Array.from({ length: levels }, () => []);
  const resolution = grid?.size ?? 0;
  const cell = (2 * radius) / Math.max(1, resolution);
  for (let row = 0; row < resolution; row++) {
    const v = radius - (row + 0.5) * cell;
    let runStart = -1;
    let runLevel = -1;
    const flush = (end: number): void => {
      if (runStart < 0) return;
      const x = f.cx + (-radius + runStart * cell) * f.scale;
      const y = f.cy - (v + cell / 2) * f.scale;
      const w = (end - runStart) * cell * f.scale;
      (paths[runLevel] as string[]).push(`M${x.toFixed(1)},${y.toFixed(1)}h${w.toFixed(1)}v${(cell * f.scale + 0.4).toFixed(1)}h${(-w).toFixed(1)}z`);
      runStart = -1;
    };
    for (let col = 0; col < resolution; col++) {
      const value = (grid as HeadGrid).values[row * resolution + col] as number;
      if (!Number.isFinite(value)) {
        flush(col);
        continue;
      }
      const level = levelOf(value);
      if (level !== runLevel || runStart < 0) {
        flush(col);
        runStart = col;
        runLevel = level;
      }
    }
    flush(resolution);
  }
  const clipId = `clip-${options.id.replace(/[^\w-]/g, '_')}`;
  const fill = paths.map((d, level) => (d.length > 0 ? `<path d="${d.join('')}" fill="${colorScale((level + 0.5) / levels)}"/>` : '')).join('');
  const r = f.radius * f.scale;
  const interpolated = grid !== undefined;
  const electrodes = points
    .map((p) => {
      const x = f.cx + p.u * f.scale;
      const y = f.cy - p.v * f.scale;
      const label = options.labels === false ? '' : `<text x="${x.toFixed(1)}" y="${(y - (interpolated ? 3.5 : size / 26 + 3)).toFixed(1)}" text-anchor="middle" font-size="7.5" fill="#10141c" stroke="#ffffff" stroke-width="2" stroke-opacity="0.75" paint-order="stroke">${escapeHtml(p.label)}</text>`;
      const dot = interpolated ? 'r="1.8" fill="#10141c"' : `r="${(size / 26).toFixed(1)}" fill="${colorScale((levelOf(p.value) + 0.5) / levels)}" stroke="#10141c"`;
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" ${dot}><title>${escapeHtml(p.label)}: ${escapeHtml(fmt(p.value))}</title></circle>${label}`;
    })
    .join('');
  const barY = f.cy + r + size * 0.08;
  const barX = size * 0.15;
  const barWidth = size * 0.7;
  const steps = Array.from({ length: levels }, (_, k) => `<rect x="${(barX + (k * barWidth) / levels).toFixed(1)}" y="${barY.toFixed(1)}" width="${(barWidth / levels + 0.3).toFixed(1)}" height="8" fill="${colorScale((k + 0.5) / levels)}"/>`).join('');
  const bar = `<g class="colorbar">${steps}<text x="${barX}" y="${barY + 19}" font-size="10" text-anchor="start">${escapeHtml(fmt(lo))}</text><text x="${barX + barWidth}" y="${barY + 19}" font-size="10" text-anchor="end">${escapeHtml(fmt(hi))}</text>${options.unit ? `<text x="${size / 2}" y="${barY + 19}" font-size="10" text-anchor="middle" fill="#5b6475">${escapeHtml(options.unit)}</text>` : ''}</g>`;
  const title = options.title ? `<text x="${size / 2}" y="15" font-size="13" font-weight="600" text-anchor="middle">${escapeHtml(options.title)}</text>` : '';
  const description = `Head seen from above, nose up, ${interpolated ? 'interpolated between' : 'coloured at'} ${points.length} electrodes, colour from ${fmt(lo)} to ${fmt(hi)}${options.unit ? ` ${options.unit}` : ''}: ${listNames(points.map((p) => `${p.label} ${fmt(p.value)}`))}.`;
  return `${openSvg({ id: options.id, width, height: height.toFixed(0), title: options.title ?? 'head map', description })}<defs><clipPath id="${clipId}"><circle cx="${f.cx}" cy="${f.cy}" r="${r.toFixed(1)}"/></clipPath></defs>${title}<g clip-path="url(#${clipId})">${fill}</g>${headOutline(f)}${electrodes}${bar}</svg>`;
}
