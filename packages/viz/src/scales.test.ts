import { describe, expect, it } from 'vitest';
import { colorScale, decimate, extent, niceTicks, quantile } from './scales.ts';

describe('scales', () => {
  it('quantile interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, NaN, 2], 1)).toBe(2);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('ticks are round and inside the range; extent skips non-finite values', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.13, 0.61)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(extent([3, NaN, 1, Infinity])).toEqual([1, 3]);
    expect(extent([2, 2])).toEqual([1, 3]);
  });

  it('colour scale ends at viridis purple and yellow, diverging passes white', () => {
    expect(colorScale(0)).toBe('rgb(68,1,84)');
    expect(colorScale(1)).toBe('rgb(253,231,37)');
    expect(colorScale(0.5, true)).toBe('rgb(255,255,255)');
  });

  it('decimation keeps each column min and max in order', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i);
    const y = Float64Array.from({ length: 1000 }, (_, i) => (i === 123 ? 50 : i === 456 ? -50 : Math.sin(i)));
    const points = decimate(x, y, 10);
    expect(points.length).toBeLessThanOrEqual(20);
    expect(points).toContainEqual([123, 50]);
    expect(points).toContainEqual([456, -50]);
    for (let i = 1; i < points.length; i++) expect((points[i] as number[])[0]).toBeGreaterThan((points[i - 1] as number[])[0] as number);
  });
});
