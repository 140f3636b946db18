import { describe, expect, it } from 'vitest';
import { stackedBarChart } from './stacked-bar-chart.ts';

describe('stackedBarChart', () => {
  it('splits each bar into its shares of the row total, left to right, and names every part in the legend', () => {
    // 640 px wide, labels 110 px: bars span 520 px.
    const svg = stackedBarChart(['delta', 'theta', 'a&b'], [{ label: 'O1', values: [3, 1, 0] }, { label: 'Fp1', values: [1, NaN, 1] }], { id: 'bands', colors: ['#111', '#222', '#333'] });
    const segments = [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="13" fill="(#\d+)"><title>([^<]*)<\/title>/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3]), m[4], m[5]]);
    expect(segments).toEqual([
      [110, 24, 390, '#111', 'O1 delta: 75.0 %'],
      [500, 24, 130, '#222', 'O1 theta: 25.0 %'],
      [630, 24, 0, '#333', 'O1 a&amp;b: 0.0 %'],
      [110, 40, 260, '#111', 'Fp1 delta: 50.0 %'],
      [370, 40, 0, '#222', 'Fp1 theta: NaN %'],
      [370, 40, 260, '#333', 'Fp1 a&amp;b: 50.0 %'],
    ]);
    expect([...svg.matchAll(/<g class="legend-entry"[^>]*><rect[^>]*\/><text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1])).toEqual(['delta', 'theta', 'a&amp;b']);
    expect(svg).toContain('role="img"');
  });
});
