import { describe, expect, it } from 'vitest';
import { createRandom } from './random.ts';

describe('createRandom', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const sa = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(sa);
  });

  it('has the moments of its distributions (criterion: within 3 standard errors over 200k draws)', () => {
    const rng = createRandom(1);
    const n = 200_000;
    const moments = (draw: () => number): [number, number] => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        s += x;
        s2 += x * x;
      }
      const mean = s / n;
      return [mean, s2 / n - mean * mean];
    };
    const [um, uv] = moments(() => rng.uniform());
    expect(Math.abs(um - 0.5)).toBeLessThan(3 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(uv - 1 / 12)).toBeLessThan(0.002);
    const [nm, nv] = moments(() => rng.normal(2, 3));
    expect(Math.abs(nm - 2)).toBeLessThan(3 * 3 / Math.sqrt(n));
    expect(Math.abs(nv - 9) / 9).toBeLessThan(0.02);
    const [pm, pv] = moments(() => rng.poisson(4.5));
    expect(Math.abs(pm - 4.5)).toBeLessThan(3 * Math.sqrt(4.5 / n));
    expect(Math.abs(pv - 4.5) / 4.5).toBeLessThan(0.02);
    const [bm] = moments(() => rng.poisson(80));
    expect(Math.abs(bm - 80)).toBeLessThan(3 * Math.sqrt(80 / n));
    const [gm, gv] = moments(() => rng.gamma(2.5, 2));
    expect(Math.abs(gm - 5) / 5).toBeLessThan(0.01);
    expect(Math.abs(gv - 10) / 10).toBeLessThan(0.03);
  });

  it('draws integers uniformly over their range', () => {
    const rng = createRandom(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.integer(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});
