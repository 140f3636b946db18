import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.ts';
import { lineChart } from './line-chart.ts';
import { raster } from './raster.ts';

const legendNames = (svg: string): string[] => [...svg.matchAll(/<g class="legend-entry"[^>]*>.*?<text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1] as string);

describe('lineChart', () => {
  it('draws one path per series and a legend entry named after each', () => {
    const x = [0, 1, 2];
    const svg = lineChart([{ name: 'train', x, y: [3, 2, 1] }, { name: 'test', x, y: [3, 2.5, 2] }, { name: 'a<b', x, y: [1, 1, 1] }], { id: 'loss', xLabel: 'epoch' });
    expect((svg.match(/<path /g) ?? []).length).toBe(3);
    expect(legendNames(svg)).toEqual(['train', 'test', 'a&lt;b']);
    expect(svg).not.toContain('a<b');
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<desc id="loss-desc">Line chart of 3 series \(train, test, a&lt;b\); epoch from 0 to 2/);
  });

  it('maps x and y linearly onto the plot area (62..704 px across, 240..26 px up at 720 x 280)', () => {
    const svg = lineChart([{ name: 'ramp', x: [0, 1, 2], y: [0, 5, 10] }], { id: 'ramp' });
    expect(svg).toContain('d="M62.0,240.0L383.0,133.0L704.0,26.0"');
    expect(svg).not.toContain('class="legend"');
  });

  it('on a log y axis, decades are equally spaced and non-positive values are left out', () => {
    // The point at y = 0 is dropped, so x spans 0..2.
    const svg = lineChart([{ name: 'p', x: [0, 1, 2, 3], y: [1, 10, 100, 0] }], { id: 'log', logY: true });
    expect(svg).toContain('d="M62.0,240.0L383.0,133.0L704.0,26.0"');
  });
});

describe('barChart and raster', () => {
  it('bars rise from 0 to their value, one tooltip each', () => {
    const svg = barChart(['go', 'stop'], [2, 1], { id: 'bars' });
    const heights = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" fill="#1f77b4"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect((heights[0] as number) / (heights[1] as number)).toBeCloseTo(2, 6);
    expect(svg).toContain('<title>go: 2</title>');
  });

  it('a raster draws one dash per spike, thinned to maxSpikes', () => {
    const neuron = [0, 1, 2, 3];
    const times = [0.1, 0.2, 0.3, 0.4];
    expect((raster(neuron, times, { id: 'r', neuronCount: 4, durationSeconds: 1 }).match(/h1/g) ?? []).length).toBe(4);
    expect((raster(neuron, times, { id: 'r', neuronCount: 4, durationSeconds: 1, maxSpikes: 2 }).match(/h1/g) ?? []).length).toBe(2);
  });
});
