/**
 * @cajal/viz: charts as pure functions from typed data to SVG markup (a string), one chart per
 * concept, with an accessible name and description. No DOM: they render in Node (static HTML
 * reports) and in the browser alike.
 *
 * @example
 *   import { spectrumChart } from '@cajal/viz';
 *   const svg = spectrumChart(['Fp1', 'Fp2'], frequencies, [fp1, fp2], { id: 'psd', unit: 'uV^2/Hz' });
 */
export * from './markup.ts';
export * from './scales.ts';
export * from './axes.ts';
export * from './line-chart.ts';
export * from './bar-chart.ts';
export * from './raster.ts';
export * from './heatmap.ts';
export * from './traces.ts';
export * from './spectrum.ts';
export * from './head.ts';
export * from './connectivity-graph.ts';
export * from './stacked-bar-chart.ts';
export * from './dot-chart.ts';
