import { colorScale } from './charts.ts';
import { escapeHtml, formatNumber } from './html.ts';

/**
 * Charts drawn on a schematic head seen from above (nose up, left ear left): a scalp map of
 * one value per electrode, interpolated between electrodes, and a connectivity graph whose
 * nodes sit at the electrodes. Positions are the 2-D projection of @cajal/signal's
 * `electrodePosition` (u right, v front, the Fpz-T7-Oz-T8 circle at radius 1).
 */
export interface HeadPoint {
  label: string;
  u: number;
  v: number;
}

export interface ScalpValue extends HeadPoint {
  value: number;
}

/** Biharmonic spline Green's function (Sandwell 1987; MATLAB griddata 'v4', EEGLAB topoplot). */
function green(r: number): number {
  return r > 1e-12 ? r * r * (Math.log(r) - 1) : 0;
}

/** Solve A x = b in place by Gaussian elimination with partial pivoting (A is n x n, row-major). */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k] as number) > Math.abs(a[pivot * n + k] as number)) pivot = i;
    if (pivot !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j] as number;
        a[k * n + j] = a[pivot * n + j] as number;
        a[pivot * n + j] = t;
      }
      const t = b[k] as number;
      b[k] = b[pivot] as number;
      b[pivot] = t;
    }
    const d = a[k * n + k] as number;
    if (Math.abs(d) < 1e-14) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k] as number) / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] = (a[i * n + j] as number) - f * (a[k * n + j] as number);
      b[i] = (b[i] as number) - f * (b[k] as number);
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let j = i + 1; j < n; j++) s -= (a[i * n + j] as number) * (x[j] as number);
    const d = a[i * n + i] as number;
    x[i] = Math.abs(d) < 1e-14 ? 0 : s / d;
  }
  return x;
}

/** Points at the same place (duplicate electrodes) merged, their values averaged; non-finite values dropped. */
export function mergeCoincident(points: ScalpValue[]): ScalpValue[] {
  const out: Array<ScalpValue & { count: number }> = [];
  for (const p of points) {
    if (!Number.isFinite(p.value) || !Number.isFinite(p.u) || !Number.isFinite(p.v)) continue;
    const same = out.find((q) => Math.hypot(q.u - p.u, q.v - p.v) < 1e-6);
    if (same) {
      same.value = (same.value * same.count + p.value) / (same.count + 1);
      same.count++;
    } else {
      out.push({ ...p, count: 1 });
    }
  }
  return out.map(({ label, u, v, value }) => ({ label, u, v, value }));
}

/**
 * Interpolate scattered values with a biharmonic spline (exact at the points, smooth between).
 * Returns a function of (u, v). One point gives a constant; none gives NaN.
 *
 * @example
 *   const f = scalpInterpolator([{ label: 'O1', u: -0.3, v: -0.95, value: 0.6 }, ...]);
 *   f(0, 0); // value at Cz
 */
export function scalpInterpolator(points: ScalpValue[]): (u: number, v: number) => number {
  const p = mergeCoincident(points);
  const n = p.length;
  if (n === 0) return () => NaN;
  if (n === 1) return () => (p[0] as ScalpValue).value;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const pi = p[i] as ScalpValue;
      const pj = p[j] as ScalpValue;
      a[i * n + j] = green(Math.hypot(pi.u - pj.u, pi.v - pj.v));
    }
  }
  const weights = solve(a, Float64Array.from(p, (q) => q.value), n);
  return (u, v) => {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const q = p[j] as ScalpValue;
      s += (weights[j] as number) * green(Math.hypot(u - q.u, v - q.v));
    }
    return s;
  };
}

interface HeadFrame {
  cx: number;
  cy: number;
  /** Pixels per unit of (u, v). */
  scale: number;
  /** Head radius in (u, v) units. */
  radius: number;
}

function headOutline(f: HeadFrame): string {
  const r = f.radius * f.scale;
  const { cx, cy } = f;
  const nose = `M${cx - r * 0.12},${cy - r * 0.99}L${cx},${cy - r * 1.13}L${cx + r * 0.12},${cy - r * 0.99}`;
  const ear = (side: number): string =>
    `M${cx + side * r * 0.995},${cy - r * 0.12}C${cx + side * r * 1.09},${cy - r * 0.16} ${cx + side * r * 1.1},${cy + r * 0.16} ${cx + side * r * 0.995},${cy + r * 0.14}`;
  return `<path class="head" d="M${cx - r},${cy}A${r},${r} 0 1 0 ${cx + r},${cy}A${r},${r} 0 1 0 ${cx - r},${cy}Z${nose}${ear(-1)}${ear(1)}" fill="none" stroke="#1d2330" stroke-width="1.5"/>`;
}

/** Head radius that holds every point (at least the 10-20 equator, radius 1). */
function headRadius(points: HeadPoint[]): number {
  return Math.max(1, ...points.map((p) => Math.hypot(p.u, p.v) * 1.04));
}

/** Fewest electrodes for an interpolated map; with fewer, only the electrodes are coloured. */
export const minimumInterpolated = 4;

export interface HeadMapOptions {
  id: string;
  title?: string;
  /** Text under the colour bar (e.g. "relative power (%)"). */
  unit?: string;
  /** Colour range; default the values' min and max. */
  domain?: [number, number];
  /** Value shown next to each colour-bar end and in tooltips. */
  format?: (value: number) => string;
  /** Grid cells across the head (default 96). */
  resolution?: number;
  /** Number of colour steps (default 16): filled contours. */
  levels?: number;
  /** Draw electrode labels (default true). */
  labels?: boolean;
  size?: number;
}

/**
 * A scalp map ("topomap"): values at electrodes interpolated with a biharmonic spline over the
 * head, drawn as filled colour steps (one path per step), with electrodes as dots, a head
 * outline with nose and ears, and a colour bar. With fewer than four electrodes nothing is
 * interpolated: the electrodes themselves are drawn as coloured discs.
 *
 * @example
 *   headMap(points, { id: 'alpha', title: 'alpha 8-13 Hz', unit: 'relative power (%)' });
 */
export function headMap(points: ScalpValue[], options: HeadMapOptions): string {
  const size = options.size ?? 230;
  const fmt = options.format ?? formatNumber;
  const usable = mergeCoincident(points);
  const radius = headRadius(usable);
  const top = options.title ? 22 : 6;
  const f: HeadFrame = { cx: size / 2, cy: top + size * 0.08 + (size * 0.42), scale: (size * 0.42) / radius, radius };
  const width = size;
  const height = f.cy + size * 0.42 + 48;
  const values = usable.map((p) => p.value);
  let [lo, hi] = options.domain ?? (values.length > 0 ? [Math.min(...values), Math.max(...values)] : [0, 1]);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const levels = options.levels ?? 16;
  const resolution = options.resolution ?? 96;
  // Below four electrodes a spline over the whole head is mostly extrapolation: colour the electrodes only.
  const interpolated = usable.length >= minimumInterpolated;
  const interpolate = scalpInterpolator(interpolated ? usable : []);
  const cell = (2 * radius) / resolution;
  const paths: string[][] = Array.from({ length: levels }, () => []);
  for (let row = 0; interpolated && row < resolution; row++) {
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
      const u = -radius + (col + 0.5) * cell;
      if (Math.hypot(u, v) > radius) {
        flush(col);
        continue;
      }
      const value = interpolate(u, v);
      const t = Math.max(0, Math.min(1, (value - lo) / (hi - lo)));
      const level = Math.min(levels - 1, Math.floor(t * levels));
      if (level !== runLevel || runStart < 0) {
        flush(col);
        runStart = col;
        runLevel = level;
      }
    }
    flush(resolution);
  }
  const clipId = `clip-${options.id.replace(/[^\w-]/g, '_')}`;
  const fill = paths
    .map((d, level) => (d.length > 0 ? `<path d="${d.join('')}" fill="${colorScale((level + 0.5) / levels)}"/>` : ''))
    .join('');
  const r = f.radius * f.scale;
  const electrodes = usable
    .map((p) => {
      const x = f.cx + p.u * f.scale;
      const y = f.cy - p.v * f.scale;
      const label = options.labels === false ? '' : `<text x="${x.toFixed(1)}" y="${(y - (interpolated ? 3.5 : size / 26 + 3)).toFixed(1)}" text-anchor="middle" font-size="7.5" fill="#10141c" stroke="#ffffff" stroke-width="2" stroke-opacity="0.75" paint-order="stroke">${escapeHtml(p.label)}</text>`;
      const t = Math.max(0, Math.min(1, (p.value - lo) / (hi - lo)));
      const dot = interpolated ? 'r="1.8" fill="#10141c"' : `r="${(size / 26).toFixed(1)}" fill="${colorScale((Math.min(levels - 1, Math.floor(t * levels)) + 0.5) / levels)}" stroke="#10141c"`;
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" ${dot}><title>${escapeHtml(p.label)}: ${escapeHtml(fmt(p.value))}</title></circle>${label}`;
    })
    .join('');
  const barY = f.cy + r + size * 0.08;
  const barX = size * 0.15;
  const barWidth = size * 0.7;
  const steps = Array.from({ length: levels }, (_, k) => `<rect x="${(barX + (k * barWidth) / levels).toFixed(1)}" y="${barY.toFixed(1)}" width="${(barWidth / levels + 0.3).toFixed(1)}" height="8" fill="${colorScale((k + 0.5) / levels)}"/>`).join('');
  const bar = `<g class="colorbar">${steps}<text x="${barX}" y="${barY + 19}" font-size="10" text-anchor="start">${escapeHtml(fmt(lo))}</text><text x="${barX + barWidth}" y="${barY + 19}" font-size="10" text-anchor="end">${escapeHtml(fmt(hi))}</text>${options.unit ? `<text x="${size / 2}" y="${barY + 19}" font-size="10" text-anchor="middle" fill="#5b6475">${escapeHtml(options.unit)}</text>` : ''}</g>`;
  const title = options.title ? `<text x="${size / 2}" y="15" font-size="13" font-weight="600" text-anchor="middle">${escapeHtml(options.title)}</text>` : '';
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${width} ${height.toFixed(0)}" width="${width}" height="${height.toFixed(0)}" xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="${clipId}"><circle cx="${f.cx}" cy="${f.cy}" r="${r.toFixed(1)}"/></clipPath></defs>${title}<g clip-path="url(#${clipId})">${fill}</g>${headOutline(f)}${electrodes}${bar}</svg>`;
}

export interface ConnectivityGraphOptions {
  id: string;
  title?: string;
  /** Edges drawn: weight >= threshold (default: the 80th percentile of the off-diagonal weights). */
  threshold?: number;
  /** Colour/width range of the edges; default [threshold, max weight]. */
  domain?: [number, number];
  /** Node strengths (sum of weights) for node sizes; default computed from the matrix. */
  strength?: number[];
  /** Module (community) of each node: nodes are filled with the module's colour. */
  communities?: number[];
  size?: number;
}

/** Light fills for graph modules (the edges use the viridis scale). */
const moduleColors = ['#ffffff', '#fdd0a2', '#c6dbef', '#c7e9c0', '#dadaeb', '#fcbba1', '#f2f0a1', '#d9d9d9'];

/** The q-quantile (0..1) of finite values, linear between order statistics. */
export function quantile(values: number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * Math.max(0, Math.min(1, q));
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return (sorted[below] as number) + (position - below) * ((sorted[above] as number) - (sorted[below] as number));
}

/**
 * A connectivity graph on the head: one node per electrode (radius by strength), one line per
 * pair whose weight is at least the threshold (width and colour by weight, strongest on top).
 * `matrix[i][j]` pairs with `nodes[i]`, `nodes[j]`.
 *
 * @example
 *   connectivityGraph(nodes, coherence, { id: 'graph-msc', title: 'coherence, alpha' });
 */
export function connectivityGraph(nodes: HeadPoint[], matrix: ArrayLike<number>[], options: ConnectivityGraphOptions): string {
  const size = options.size ?? 300;
  const n = nodes.length;
  const weights: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) weights.push(Math.abs((matrix[i] as ArrayLike<number>)[j] as number));
  const threshold = options.threshold ?? quantile(weights, 0.8);
  const finite = weights.filter(Number.isFinite);
  const max = finite.length > 0 ? Math.max(...finite) : 1;
  const [lo, hi] = options.domain ?? [threshold, max];
  const radius = headRadius(nodes);
  const top = options.title ? 22 : 6;
  const f: HeadFrame = { cx: size / 2, cy: top + size * 0.06 + size * 0.42, scale: (size * 0.42) / radius, radius };
  const height = f.cy + size * 0.42 + 40;
  const strength = options.strength ?? nodes.map((_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) if (j !== i) s += Math.abs((matrix[i] as ArrayLike<number>)[j] as number) || 0;
    return s;
  });
  const maxStrength = Math.max(1e-12, ...strength.filter(Number.isFinite));
  const edges: Array<{ i: number; j: number; w: number }> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = Math.abs((matrix[i] as ArrayLike<number>)[j] as number);
      if (Number.isFinite(w) && w >= threshold) edges.push({ i, j, w });
    }
  }
  edges.sort((a, b) => a.w - b.w);
  const xy = (p: HeadPoint): [number, number] => [f.cx + p.u * f.scale, f.cy - p.v * f.scale];
  const lines = edges
    .map(({ i, j, w }) => {
      const t = hi > lo ? Math.max(0, Math.min(1, (w - lo) / (hi - lo))) : 1;
      const [x1, y1] = xy(nodes[i] as HeadPoint);
      const [x2, y2] = xy(nodes[j] as HeadPoint);
      return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${colorScale(0.15 + 0.85 * t)}" stroke-width="${(0.8 + 3.2 * t).toFixed(2)}" stroke-opacity="${(0.45 + 0.5 * t).toFixed(2)}" stroke-linecap="round"><title>${escapeHtml((nodes[i] as HeadPoint).label)} – ${escapeHtml((nodes[j] as HeadPoint).label)}: ${formatNumber(w)}</title></line>`;
    })
    .join('');
  const circles = nodes
    .map((p, i) => {
      const [x, y] = xy(p);
      const s = strength[i] ?? 0;
      const r = 3 + 5 * (Number.isFinite(s) ? s / maxStrength : 0);
      const module = options.communities?.[i];
      const fill = module === undefined ? '#ffffff' : (moduleColors[module % moduleColors.length] as string);
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" fill="${fill}" stroke="#1d2330" stroke-width="1.2"><title>${escapeHtml(p.label)}: strength ${formatNumber(s)}${module === undefined ? '' : `, module ${module + 1}`}</title></circle><text x="${x.toFixed(1)}" y="${(y - r - 2).toFixed(1)}" text-anchor="middle" font-size="8" fill="#10141c">${escapeHtml(p.label)}</text>`;
    })
    .join('');
  const legendY = f.cy + f.radius * f.scale + size * 0.07;
  const legend = `<text x="${size / 2}" y="${legendY.toFixed(1)}" font-size="10" text-anchor="middle" fill="#5b6475">${edges.length} edges with weight ≥ ${escapeHtml(formatNumber(threshold))} (max ${escapeHtml(formatNumber(max))})</text>`;
  const title = options.title ? `<text x="${size / 2}" y="15" font-size="13" font-weight="600" text-anchor="middle">${escapeHtml(options.title)}</text>` : '';
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${size} ${height.toFixed(0)}" width="${size}" height="${height.toFixed(0)}" xmlns="http://www.w3.org/2000/svg">${title}${headOutline(f)}<g class="edges">${lines}</g><g class="nodes">${circles}</g>${legend}</svg>`;
}
