import { describe, expect, it } from 'vitest';
import { electrodePosition, standard1020Labels } from './positions.ts';
import { interpolateHeadGrid, mergeCoincident, minimumInterpolated, scalpInterpolator } from './head-map.ts';
import type { ScalpValue } from './head-map.ts';

const points: ScalpValue[] = standard1020Labels.slice(0, 19).map((label, i) => {
  const p = electrodePosition(label);
  if (!p) throw new Error(label);
  return { label, u: p.u, v: p.v, value: Math.sin(i) + 0.1 * p.v };
});

describe('scalp interpolation (biharmonic spline)', () => {
  it('passes through every electrode value (abs 1e-8) and stays finite between them', () => {
    const f = scalpInterpolator(points);
    for (const p of points) expect(f(p.u, p.v)).toBeCloseTo(p.value, 8);
    for (let u = -1; u <= 1; u += 0.25) for (let v = -1; v <= 1; v += 0.25) expect(Number.isFinite(f(u, v))).toBe(true);
  });

  it('reproduces a plane exactly (a biharmonic spline holds linear functions)', () => {
    const plane = points.map((p) => ({ ...p, value: 2 + 3 * p.u - p.v }));
    const f = scalpInterpolator(plane);
    expect(f(0.1, 0.2)).toBeCloseTo(2 + 0.3 - 0.2, 1);
  });

  it('merges duplicate electrodes (mean value), drops NaN, handles 0 and 1 point', () => {
    const merged = mergeCoincident([{ label: 'a', u: 0, v: 0, value: 1 }, { label: 'b', u: 0, v: 0, value: 3 }, { label: 'c', u: 1, v: 0, value: NaN }]);
    expect(merged).toEqual([{ label: 'a', u: 0, v: 0, value: 2 }]);
    expect(scalpInterpolator([])(0, 0)).toBeNaN();
    expect(scalpInterpolator([{ label: 'Cz', u: 0, v: 0, value: 5 }])(0.3, 0.3)).toBe(5);
  });
});

describe('head grid', () => {
  it('samples the spline at the cell centres inside the head circle, NaN outside', () => {
    const grid = interpolateHeadGrid(points, { resolution: 20 });
    if (!grid) throw new Error('expected a grid for 19 electrodes');
    expect(grid.size).toBe(20);
    expect(grid.values).toHaveLength(400);
    expect(grid.radius).toBeGreaterThanOrEqual(1);
    const f = scalpInterpolator(points);
    const cell = (2 * grid.radius) / 20;
    let inside = 0;
    for (let row = 0; row < 20; row++) {
      for (let col = 0; col < 20; col++) {
        const u = -grid.radius + (col + 0.5) * cell;
        const v = grid.radius - (row + 0.5) * cell;
        const value = grid.values[row * 20 + col] as number;
        if (Math.hypot(u, v) <= grid.radius) {
          inside++;
          expect(value).toBeCloseTo(f(u, v), 12);
        } else {
          expect(value).toBeNaN();
        }
      }
    }
    // A circle fills pi/4 of its square.
    expect(inside / 400).toBeCloseTo(Math.PI / 4, 1);
  });

  it('gives no grid below the minimum number of electrodes (after merging)', () => {
    expect(minimumInterpolated).toBe(4);
    expect(interpolateHeadGrid(points.slice(0, 3))).toBeUndefined();
    const duplicated = [...points.slice(0, 3), { ...(points[0] as ScalpValue), label: 'copy' }];
    expect(interpolateHeadGrid(duplicated)).toBeUndefined();
    expect(interpolateHeadGrid(points.slice(0, 4))).toBeDefined();
  });
});
