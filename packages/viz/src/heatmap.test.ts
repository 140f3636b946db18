import { describe, expect, it } from 'vitest';
import { heatmap } from './heatmap.ts';
import { colorScale } from './scales.ts';
import { stackedTraces } from './traces.ts';

describe('heatmap', () => {
  it('one cell per value, coloured from the low to the high end of the domain, NaN grey', () => {
    const svg = heatmap([[0, 1], [0.5, NaN]], { rows: ['a', 'b'], columns: ['c', 'd'] }, { id: 'm', cellSize: 10 });
    const cells = [...svg.matchAll(/<rect x="(\d+)" y="(\d+)" width="10" height="10" fill="([^"]+)"><title>([^<]+)<\/title>/g)];
    expect(cells.map((c) => c[4])).toEqual(['a – c: 0', 'a – d: 1', 'b – c: 0.5', 'b – d: NaN']);
    expect(cells.map((c) => c[3])).toEqual([colorScale(0), colorScale(1), colorScale(0.5), '#eceef2']);
    expect(cells.map((c) => [Number(c[1]), Number(c[2])])).toEqual([[70, 30], [80, 30], [70, 40], [80, 40]]);
  });
});

describe('stackedTraces', () => {
  it('one path per channel, each in its own lane, labels escaped', () => {
    const n = 512;
    const sine = (f: number) => Float32Array.from({ length: n }, (_, i) => 10 * Math.sin((2 * Math.PI * f * i) / 256));
    const svg = stackedTraces(['Fp1', 'F<3>'], [sine(10), sine(3)], { id: 'traces', sampleRateHz: 256, unit: 'uV' });
    const paths = [...svg.matchAll(/<path d="M([\d.]+),([\d.]+)[^"]*" fill="none"/g)];
    expect(paths).toHaveLength(2);
    // The lanes are 22 px apart, centred at 10 + 11 and 10 + 33; a sine starts at its centre.
    expect(paths.map((p) => Number(p[2]))).toEqual([21, 43]);
    expect(paths.map((p) => Number(p[1]))).toEqual([78, 78]);
    expect(svg).toContain('>F&lt;3&gt;</text>');
    expect(svg).toMatch(/<desc id="traces-desc">2 channels over 2 s, one lane each, top to bottom: Fp1, F&lt;3&gt;; scale bar 20 uV per lane\.<\/desc>/);
  });
});
