import { describe, expect, it } from 'vitest';
import { poissonLif } from './examples.ts';
import { expectedImprovement, fitGaussianProcess, fitToTargets, proposeNext } from './fit.ts';
import { evaluateJob, applyParameters } from './sweep.ts';

describe('fitting with a Gaussian-process surrogate', () => {
  it('the GP interpolates its data and is uncertain away from it; EI prefers low mean and high uncertainty', () => {
    const xs = [[0], [0.25], [0.5], [0.75], [1]];
    const ys = xs.map(([x]) => Math.sin(6 * (x as number)));
    const gp = fitGaussianProcess(xs, ys);
    for (let k = 0; k < xs.length; k++) expect(gp.predict(xs[k] as number[]).mean).toBeCloseTo(ys[k] as number, 1);
    expect(gp.predict([0.6]).sd).toBeGreaterThan(gp.predict([0.5]).sd);
    expect(expectedImprovement(0, 1, 0.5)).toBeGreaterThan(expectedImprovement(1, 1, 0.5));
    expect(expectedImprovement(1, 2, 0.5)).toBeGreaterThan(expectedImprovement(1, 0.1, 0.5));
  });

  it('criterion: proposals find the minimum of (x - 0.3)^2 on [0, 1] to within 0.02 in <= 10 evaluations', () => {
    const space = [{ name: 'x', from: 0, to: 1 }];
    const history: Array<{ point: Record<string, number>; mismatch: number }> = [0.1, 0.5, 0.9].map((x) => ({ point: { x }, mismatch: (x - 0.3) ** 2 }));
    while (history.length < 10 && Math.min(...history.map((h) => Math.abs((h.point.x as number) - 0.3))) > 0.02) {
      const point = proposeNext(space, history, 5);
      history.push({ point, mismatch: ((point.x as number) - 0.3) ** 2 });
    }
    expect(Math.min(...history.map((h) => Math.abs((h.point.x as number) - 0.3)))).toBeLessThanOrEqual(0.02);
  });

  it('criterion: finds the Poisson input rate giving a 15 Hz LIF rate within 10 % in <= 10 simulations', async () => {
    const net = poissonLif({ size: 40, inputs: 100, seed: 11 });
    const fit = await fitToTargets(net, [{ name: 'Input.rate', from: 2, to: 40 }], { mean_rate_hz: 15 }, { budget: 10, tolerance: 0.1, durationSeconds: 0.5 });
    expect(fit.converged).toBe(true);
    expect(fit.simulations).toBeLessThanOrEqual(10);
    expect(Math.abs(fit.best.statistics.mean_rate_hz - 15) / 15).toBeLessThanOrEqual(0.1);
    expect(fit.history.some((h) => h.proposed_by === 'expected_improvement')).toBe(true);
  }, 60_000);

  it('criterion: recovers rate and ISI CV of a hidden (input rate, weight) network within 10 % each in <= 25 simulations', async () => {
    const net = poissonLif({ size: 40, inputs: 100, seed: 12 });
    const truth = await evaluateJob({ description: applyParameters(net, { 'Input.rate': 11, we: 0.75 }), durationSeconds: 0.5 });
    const fit = await fitToTargets(net, [{ name: 'Input.rate', from: 4, to: 30 }, { name: 'we', from: 0.3, to: 1.2 }],
      { mean_rate_hz: truth.mean_rate_hz, mean_cv_isi: truth.mean_cv_isi }, { budget: 25, tolerance: 0.1, durationSeconds: 0.5, seed: 3 });
    expect(fit.best.worst_relative_error).toBeLessThanOrEqual(0.1);
    expect(fit.simulations).toBeLessThanOrEqual(25);
  }, 120_000);
});
