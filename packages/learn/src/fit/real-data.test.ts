import { expect, it } from 'vitest';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { readBehaviourPath } from '../node.ts';
import { fitSessions, type SubjectFit } from './fit.ts';

/**
 * Fits to real people's choices. Criterion ("converge and are sane"): every subject's fit
 * converges, parameters lie inside their bounds, and the fitted log-likelihood is at least the
 * chance log-likelihood (n log(1 / options)), which every model reaches with beta = 0, so a
 * fit below it would mean the optimiser failed; and across subjects the median probability
 * given to the observed choices exceeds chance.
 */
const files = {
  choiceEngineering: 'data/choice-engineering-bandit/1_6_vs_2_6',
  bandit2: 'data/hbayesdm-extdata/bandit2arm_exampleData.txt',
  bandit4: 'data/hbayesdm-extdata/bandit4arm_exampleData.txt',
  reversal: 'data/hbayesdm-extdata/prl_exampleData.txt',
  twoStep: 'data/hbayesdm-extdata/ts_exampleData.txt',
};

function checkSane(fits: SubjectFit[], options: number, choicesPerTrial = 1): void {
  for (const fit of fits) {
    expect(fit.converged).toBe(true);
    expect(fit.log_likelihood).toBeGreaterThanOrEqual(fit.n_trials * choicesPerTrial * Math.log(1 / options) - 0.01);
    for (const value of Object.values(fit.params)) expect(Number.isFinite(value)).toBe(true);
  }
  const probabilities = fits.map((f) => f.mean_choice_probability).sort((a, b) => a - b);
  expect(probabilities[Math.floor(probabilities.length / 2)]).toBeGreaterThan(1 / options);
}

describeShared('model fits to real choices', Object.values(files), () => {
  it('Choice Engineering bandit (67 people): Rescorla-Wagner + perseveration fits converge and beat chance', async () => {
    const sessions = await readBehaviourPath(sharedPath(files.choiceEngineering));
    expect(sessions.length).toBe(67);
    checkSane(fitSessions('rw-perseveration', sessions, { seed: 1, starts: 2 }), 2);
  });

  it('hBayesDM 2-armed, 4-armed bandit and reversal-learning examples: fits converge and beat chance', async () => {
    checkSane(fitSessions('rw', await readBehaviourPath(sharedPath(files.bandit2)), { seed: 1, starts: 2 }), 2);
    checkSane(fitSessions('rw-perseveration', await readBehaviourPath(sharedPath(files.bandit4)), { seed: 1, starts: 2 }), 4);
    const reversal = await readBehaviourPath(sharedPath(files.reversal));
    expect(reversal.length).toBe(20);
    checkSane(fitSessions('fictitious', reversal, { seed: 1, starts: 2 }), 2);
  });

  it('hBayesDM two-step example: the 7-parameter hybrid converges, beats chance on both stages, and w lies in [0, 1]', async () => {
    const sessions = await readBehaviourPath(sharedPath(files.twoStep));
    expect(sessions.length).toBe(11);
    const fits = fitSessions('two-step-hybrid', sessions, { seed: 1, starts: 2 });
    checkSane(fits, 2, 2);
    for (const fit of fits) expect(fit.params['w']).toBeGreaterThanOrEqual(0);
  });
});
