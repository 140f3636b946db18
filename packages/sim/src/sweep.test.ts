import { describe, expect, it } from 'vitest';
import { createSweepPool } from './sweep.node.ts';
import { coba, poissonLif } from './examples.ts';
import { applyParameters, gridPoints, parseSweepParameter, randomPoints, runSweep, sweepTableToCsv } from './sweep.ts';

describe('parameter sweeps', () => {
  it('grid and random designs cover the ranges (log spacing too) and are seeded', () => {
    const grid = gridPoints([{ name: 'a', from: 0, to: 1, steps: 3 }, { name: 'b', from: 1, to: 100, steps: 3, log: true }]);
    expect(grid).toHaveLength(9);
    expect(grid[0]).toEqual({ a: 0, b: 1 });
    expect(grid[4]?.b).toBeCloseTo(10, 9);
    expect(grid[8]).toEqual({ a: 1, b: 100 });
    const r1 = randomPoints([{ name: 'a', from: 2, to: 3, steps: 1 }], 50, 7);
    expect(r1).toEqual(randomPoints([{ name: 'a', from: 2, to: 3, steps: 1 }], 50, 7));
    for (const p of r1) expect(p.a).toBeGreaterThanOrEqual(2);
    for (const p of r1) expect(p.a).toBeLessThan(3);
    expect(parseSweepParameter('Input.rate=1:40:5')).toEqual({ name: 'Input.rate', from: 1, to: 40, steps: 5 });
    expect(parseSweepParameter('we=0.1:1:4:log')).toEqual({ name: 'we', from: 0.1, to: 1, steps: 4, log: true });
    expect(() => parseSweepParameter('we=0.1:x:4')).toThrow(/from:to:steps/);
  });

  it('parameters land in the description in the unit they were written in; unknown names fail', () => {
    const net = applyParameters(coba({ size: 100 }), { we: 0.3, El: -65, 'Ci.p': 0.1 });
    expect(net.synapses?.[0]?.parameters?.we).toBe(0.3);
    const g = net.groups[0];
    expect(g && g.kind !== 'poisson' && g.kind !== 'spike_times' ? g.model.parameters?.El : undefined).toBe('-65*mV');
    expect(net.synapses?.[1]?.connect).toEqual({ rule: 'probability', p: 0.1 });
    const lif = applyParameters(poissonLif(), { 'Input.rate': 12 });
    expect(lif.groups[0]?.kind === 'poisson' ? lif.groups[0].rate : undefined).toBe('12*Hz');
    expect(() => applyParameters(coba({ size: 100 }), { nonsense: 1 })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('criterion: in-process table is ordered by point and the LIF rate rises with the input rate; a 2-worker pool gives the identical table', async () => {
    const base = poissonLif({ size: 20, inputs: 100, seed: 3 });
    const points = gridPoints([{ name: 'Input.rate', from: 5, to: 25, steps: 3 }, { name: 'we', from: 0.5, to: 0.8, steps: 2 }]);
    const table = await runSweep(base, points, { durationSeconds: 0.3 });
    expect(table.columns.slice(0, 3)).toEqual(['Input.rate', 'we', 'seed']);
    expect(table.rows.map((r) => [r['Input.rate'], r.we])).toEqual(points.map((p) => [p['Input.rate'], p.we]));
    const rates = table.rows.filter((r) => r.we === 0.5).map((r) => r.mean_rate_hz);
    expect(rates[0]).toBeLessThan(rates[1] as number);
    expect(rates[1]).toBeLessThan(rates[2] as number);
    expect(sweepTableToCsv(table).split('\n')[0]).toBe(table.columns.join(','));
    const pool = createSweepPool({ size: 2 });
    try {
      const parallel = await runSweep(base, points, { durationSeconds: 0.3, runner: pool });
      expect(parallel).toEqual(table);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
