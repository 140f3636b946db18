/** The plot frame and the x/y axes (ticks, grid, title, axis labels) of the x-y charts. */
import { escapeHtml, formatNumber } from './markup.ts';

/** Pixel layout of an x-y chart: the plot area inside the margins. */
export interface Frame {
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
  width: number;
  height: number;
}

/** Texts around the plot area. */
export interface AxisText {
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

/**
 * The plot area of a `width` x `height` chart (62 px left for the y ticks, 26 px above for
 * the title, 40 px below for the x ticks and label).
 *
 * @example plotFrame(720, 280).plotWidth; // 642
 */
export function plotFrame(width: number, height: number): Frame {
  const left = 62;
  const top = 26;
  return { left, top, plotWidth: width - left - 16, plotHeight: height - top - 40, width, height };
}

/**
 * The frame rectangle, x ticks below it, y ticks with grid lines, title and axis labels.
 * `sx`/`sy` map axis values to pixels; `xFormat`/`yFormat` write the tick labels.
 *
 * @example drawAxes(frame, niceTicks(0, 1), niceTicks(0, 5), sx, sy, { xLabel: 'time (s)' });
 */
export function drawAxes(f: Frame, xTicks: number[], yTicks: number[], sx: (v: number) => number, sy: (v: number) => number, text: AxisText, xFormat = formatNumber, yFormat = formatNumber): string {
  const parts: string[] = [];
  parts.push(`<rect x="${f.left}" y="${f.top}" width="${f.plotWidth}" height="${f.plotHeight}" fill="none" stroke="#c8ced8"/>`);
  for (const t of xTicks) {
    const x = sx(t);
    parts.push(`<line x1="${x}" x2="${x}" y1="${f.top + f.plotHeight}" y2="${f.top + f.plotHeight + 4}" stroke="#888"/><text x="${x}" y="${f.top + f.plotHeight + 16}" text-anchor="middle" font-size="11">${xFormat(t)}</text>`);
  }
  for (const t of yTicks) {
    const y = sy(t);
    parts.push(`<line x1="${f.left - 4}" x2="${f.left + f.plotWidth}" y1="${y}" y2="${y}" stroke="#eef0f4"/><text x="${f.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${yFormat(t)}</text>`);
  }
  if (text.title) parts.push(`<text x="${f.left}" y="16" font-size="13" font-weight="600">${escapeHtml(text.title)}</text>`);
  if (text.xLabel) parts.push(`<text x="${f.left + f.plotWidth / 2}" y="${f.height - 6}" text-anchor="middle" font-size="12">${escapeHtml(text.xLabel)}</text>`);
  if (text.yLabel) parts.push(`<text transform="translate(14 ${f.top + f.plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(text.yLabel)}</text>`);
  return parts.join('');
}
