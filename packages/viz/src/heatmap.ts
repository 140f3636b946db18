/** Heatmap: a labelled matrix as coloured cells with a colour bar. */
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';
import { colorScale, extent } from './scales.ts';

export interface HeatmapOptions {
  id: string;
  title?: string;
  /** Colour range (default the finite values' min and max). */
  domain?: [number, number];
  /** Blue-white-red instead of viridis. */
  diverging?: boolean;
  /** Pixels per cell (default 560 / the larger side, within 8..28). */
  cellSize?: number;
}

/**
 * A labelled matrix (connectivity, confusion, correlation) as coloured cells: `matrix[i][j]`
 * is the cell in row i, column j, coloured by (value - lo) / (hi - lo) (NaN: light grey), each
 * with a tooltip "row – column: value"; a colour bar on the right.
 *
 * @example heatmap([[1, 0.2], [0.2, 1]], { rows: ['Fp1', 'Fp2'], columns: ['Fp1', 'Fp2'] }, { id: 'msc' });
 */
export function heatmap(matrix: ArrayLike<number>[], labels: { rows: string[]; columns: string[] }, options: HeatmapOptions): string {
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
  const description = `Matrix of ${rows} by ${columns} values, colour from ${formatNumber(lo)} to ${formatNumber(hi)}; rows: ${listNames(labels.rows)}; columns: ${listNames(labels.columns)}.`;
  return `${openSvg({ id: options.id, width, height, title: options.title ?? 'matrix', description })}${title}${cells.join('')}${rowLabels}${colLabels}${legend}</svg>`;
}
