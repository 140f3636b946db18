import { describe, expect, it } from 'vitest';
import { electrodePosition, standard1020Labels } from '@cajal/signal';
import { connectivityGraph, headMap, mergeCoincident, quantile, scalpInterpolator } from './head.ts';
import type { ScalpValue } from './head.ts';

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

  it('quantile interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, NaN, 2], 1)).toBe(2);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('head charts', () => {
  it('headMap draws filled colour steps inside the head, one dot per electrode, a colour bar', () => {
    const svg = headMap(points, { id: 'alpha', title: 'alpha', unit: '%' });
    expect(svg).toContain('data-chart="alpha"');
    expect((svg.match(/<circle [^>]*r="1.8"/g) ?? []).length).toBe(19);
    expect((svg.match(/<path d="M/g) ?? []).length).toBeGreaterThan(8);
    expect(svg).not.toContain('NaN');
  });

  it('connectivityGraph draws the pairs at or above the threshold only', () => {
    const nodes = points.slice(0, 4);
    const m = [
      [1, 0.9, 0.1, 0.2],
      [0.9, 1, 0.5, 0.3],
      [0.1, 0.5, 1, 0.7],
      [0.2, 0.3, 0.7, 1],
    ];
    const svg = connectivityGraph(nodes, m, { id: 'g', threshold: 0.5 });
    expect((svg.match(/<line /g) ?? []).length).toBe(3);
    expect(svg).toContain('3 edges with weight ≥ 0.5');
    expect(svg).not.toContain('NaN');
  });
});

describe('sparse head maps', () => {
  it('with fewer than four electrodes colours the electrodes only (no interpolated fill)', () => {
    const svg = headMap(points.slice(0, 2), { id: 'two' });
    expect(svg).not.toMatch(/<path d="M[^"]*h[\d.]+v/);
    expect((svg.match(/<circle [^>]*stroke="#10141c"/g) ?? []).length).toBe(2);
  });
});
