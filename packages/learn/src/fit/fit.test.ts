import { describe, expect, it } from 'vitest';
import { minimize } from './optimize.ts';
import { compareModels, crossValidatedLogLikelihood, fitSession } from './fit.ts';
import { getModel, logPrior } from './models.ts';
import { parameterRecovery, simulateRescorlaWagner } from './recovery.ts';

describe('model fitting', () => {
  it('Nelder-Mead finds the minimum of the Rosenbrock function', () => {
    const result = minimize((x) => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2, { dimension: 2, starts: 3, seed: 1 });
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });

  it('priors are normalised densities (beta(1,1) = 0, normal peak = -log(sqrt(2 pi)))', () => {
    expect(logPrior({ kind: 'beta', a: 1, b: 1 }, 0.3)).toBeCloseTo(0, 10);
    expect(logPrior({ kind: 'normal', mean: 0, std: 1 }, 0)).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 10);
    expect(logPrior({ kind: 'gamma', shape: 1, scale: 2 }, 1)).toBeCloseTo(-0.5 - Math.log(2), 10);
  });

  it('parameter recovery: 50 simulated participants (500 trials, alpha U(0.05, 0.9), beta U(1, 10)), MLE, r(true, fitted) >= 0.8 for alpha and beta', () => {
    const recovery = parameterRecovery({ participants: 50, trials: 500, seed: 3 });
    expect(recovery.correlation.alpha).toBeGreaterThanOrEqual(0.8);
    expect(recovery.correlation.beta).toBeGreaterThanOrEqual(0.8);
  });

  it('model comparison prefers the generating model by BIC, and cross-validation agrees', () => {
    const sessions = [1, 2, 3, 4].map((s) => simulateRescorlaWagner(0.3, 6, 300, s));
    const comparison = compareModels(['rw', 'fictitious'], sessions, { seed: 1, starts: 2 });
    expect(comparison.winner_by_bic).toBe('rw');
    const rw = getModel('rw');
    const fictitious = getModel('fictitious');
    const session = sessions[0]!;
    expect(crossValidatedLogLikelihood(rw, session, { folds: 3, starts: 2 })).toBeGreaterThan(crossValidatedLogLikelihood(fictitious, session, { folds: 3, starts: 2 }));
  });

  it('MAP fits stay inside the prior support and report a posterior', () => {
    const session = simulateRescorlaWagner(0.5, 4, 100, 9);
    const fit = fitSession(getModel('rw-perseveration'), session, { method: 'map', seed: 2 });
    expect(fit.log_posterior).toBeDefined();
    expect(fit.params['alpha']).toBeGreaterThan(0);
    expect(fit.params['alpha']).toBeLessThan(1);
    expect(fit.bic).toBeCloseTo(3 * Math.log(100) - 2 * fit.log_likelihood, 8);
  });

  it('rejects unknown models and malformed trials with typed errors', () => {
    expect(() => getModel('nope')).toThrow(/no model "nope"/);
    expect(() => fitSession(getModel('rw'), { subject_id: 'x', task: 't', trials: [{ trial_index: 0, choice: -1, outcome: 1 }] })).toThrow(/choice -1/);
  });
});
