/** Connectivity graph on the head: electrodes as nodes, the strongest pairs as lines. */
import { headOutline, headRadius, type HeadFrame, type HeadPoint } from './head.ts';
import { escapeHtml, formatNumber, openSvg } from './markup.ts';
import { colorScale, quantile } from './scales.ts';

export interface ConnectivityGraphOptions {
  id: string;
  title?: string;
  /** Edges drawn: |weight| >= threshold (default: the 80th percentile of the off-diagonal |weights|). */
  threshold?: number;
  /** Colour/width range of the edges; default [threshold, max weight]. */
  domain?: [number, number];
  /** Node strengths (sum of |weights|) for node sizes; default computed from the matrix. */
  strength?: number[];
  /** Module (community, from 0) of each node: nodes are filled with the module's colour. */
  communities?: number[];
  /** Pixels across (default 300). */
  size?: number;
}

/** Light fills for graph modules (the edges use the viridis scale). */
const moduleColors = ['#ffffff', '#fdd0a2', '#c6dbef', '#c7e9c0', '#dadaeb', '#fcbba1', '#f2f0a1', '#d9d9d9'];

/**
 * A connectivity graph on the head: one node per electrode (radius by strength), one line per
 * pair whose |weight| is at least the threshold (width and colour by weight, strongest on top),
 * each with a tooltip. `matrix[i][j]` pairs `nodes[i]` with `nodes[j]` (upper triangle read).
 *
 * @example
 *   connectivityGraph(nodes, coherence, { id: 'graph-msc', title: 'coherence, alpha' });
 */
export function connectivityGraph(nodes: HeadPoint[], matrix: ArrayLike<number>[], options: ConnectivityGraphOptions): string {
  const size = options.size ?? 300;
  const n = nodes.length;
  const weight = (i: number, j: number): number => Math.abs((matrix[i] as ArrayLike<number>)[j] as number);
  const weights: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) weights.push(weight(i, j));
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
    for (let j = 0; j < n; j++) if (j !== i) s += weight(i, j) || 0;
    return s;
  });
  const maxStrength = Math.max(1e-12, ...strength.filter(Number.isFinite));
  const edges: Array<{ i: number; j: number; w: number }> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = weight(i, j);
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
  const summary = `${edges.length} edges with weight ≥ ${formatNumber(threshold)} (max ${formatNumber(max)})`;
  const legend = `<text x="${size / 2}" y="${legendY.toFixed(1)}" font-size="10" text-anchor="middle" fill="#5b6475">${escapeHtml(summary)}</text>`;
  const title = options.title ? `<text x="${size / 2}" y="15" font-size="13" font-weight="600" text-anchor="middle">${escapeHtml(options.title)}</text>` : '';
  const strongest = edges.slice(-10).reverse().map(({ i, j, w }) => `${(nodes[i] as HeadPoint).label}–${(nodes[j] as HeadPoint).label} ${formatNumber(w)}`);
  const description = `Graph of ${n} electrodes on the head seen from above, ${summary}${strongest.length > 0 ? `; strongest: ${strongest.join(', ')}` : ''}.`;
  return `${openSvg({ id: options.id, width: size, height: height.toFixed(0), title: options.title ?? 'connectivity graph', description })}${title}${headOutline(f)}<g class="edges">${lines}</g><g class="nodes">${circles}</g>${legend}</svg>`;
}
