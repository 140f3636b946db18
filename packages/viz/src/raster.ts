/** Spike raster: one dot per spike, neurons on y, time on x. */
import { drawAxes, plotFrame, type AxisText } from './axes.ts';
import { openSvg, formatNumber } from './markup.ts';
import { niceTicks } from './scales.ts';

export interface RasterOptions {
  id: string;
  title?: string;
  /** Neurons 0..neuronCount-1, bottom to top. */
  neuronCount: number;
  /** Time axis 0..durationSeconds. */
  durationSeconds: number;
  /** Spikes drawn at most (every k-th spike beyond it; default 30000). */
  maxSpikes?: number;
  /** Pixels (default 720 x 300). */
  width?: number;
  height?: number;
}

/**
 * A spike raster: spike k of neuron `neuron[k]` at `timesSeconds[k]` is a 1-px dash (`h1`) in
 * one path; thinned to `maxSpikes`.
 *
 * @example raster(spikes.neuron, spikes.times, { id: 'raster', neuronCount: 4000, durationSeconds: 1 });
 */
export function raster(neuron: ArrayLike<number>, timesSeconds: ArrayLike<number>, options: RasterOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 300;
  const f = plotFrame(width, height);
  const stride = Math.max(1, Math.ceil(neuron.length / (options.maxSpikes ?? 30000)));
  const sx = (t: number): number => f.left + (t / options.durationSeconds) * f.plotWidth;
  const sy = (n: number): number => f.top + f.plotHeight - ((n + 0.5) / options.neuronCount) * f.plotHeight;
  const dots: string[] = [];
  for (let k = 0; k < neuron.length; k += stride) {
    dots.push(`M${sx(timesSeconds[k] as number).toFixed(1)},${sy(neuron[k] as number).toFixed(1)}h1`);
  }
  const text: AxisText = { xLabel: 'time (s)', yLabel: 'neuron' };
  if (options.title) text.title = options.title;
  const description = `Spike raster of ${neuron.length} spikes${stride > 1 ? ` (every ${stride}th drawn)` : ''} from ${options.neuronCount} neurons over ${formatNumber(options.durationSeconds)} s.`;
  return `${openSvg({ id: options.id, width, height, title: options.title ?? 'spike raster', description })}${drawAxes(f, niceTicks(0, options.durationSeconds), niceTicks(0, options.neuronCount), sx, (n) => sy(n - 0.5), text)}<path d="${dots.join('')}" stroke="#1d2330" stroke-width="1.2" fill="none"/></svg>`;
}
