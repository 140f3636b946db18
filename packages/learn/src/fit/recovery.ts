import { createRandom, throttleProgress, throwIfAborted, type LongOperationOptions, type Session } from '@cajal/core';
import { agentRandom } from '../rl/control.ts';
import { pearson, sampleIndex, softmax } from '../rl/math.ts';
import { fitSession } from './fit.ts';
import { getModel } from './models.ts';

/**
 * Parameter recovery for Rescorla-Wagner + softmax: simulate participants with known alpha and
 * beta on a two-armed bandit whose better arm (p = 0.8 vs 0.2) swaps every `reversalEvery`
 * trials, fit each by maximum likelihood, and correlate true with fitted values.
 *
 * @example
 *   const r = parameterRecovery({ participants: 50, trials: 500, seed: 1 });
 *   r.correlation.alpha; // >= 0.8
 */
export interface RecoveryOptions extends LongOperationOptions {
  participants?: number;
  trials?: number;
  reversalEvery?: number;
  alphaRange?: [number, number];
  betaRange?: [number, number];
  seed?: number;
  method?: 'mle' | 'map';
}

export interface RecoveryResult {
  true_params: Array<{ alpha: number; beta: number }>;
  fitted_params: Array<{ alpha: number; beta: number }>;
  correlation: { alpha: number; beta: number };
  sessions: Session[];
}

/** Simulate one Rescorla-Wagner + softmax participant on a reversing two-armed bandit. */
export function simulateRescorlaWagner(alpha: number, beta: number, trials: number, seed: number, reversalEvery = 50): Session {
  // The two-armed bandit of @cajal/tasks (BanditEnv, p = 0.8 / 0.2), drawn here with the same
  // seeded stream (one uniform per trial) because learn does not import tasks.
  const bandit = createRandom(seed);
  const probabilities = [0.8, 0.2];
  const random = agentRandom(seed);
  const q = new Float64Array(2);
  const out: Session = { subject_id: `sim-${seed}`, task: 'bandit-2', participant_kind: 'simulated', trials: [], true_params: { alpha, beta } };
  for (let t = 0; t < trials; t++) {
    if (t > 0 && t % reversalEvery === 0) probabilities.reverse();
    const choice = sampleIndex(softmax(q, beta), random.uniform());
    const reward = bandit.uniform() < (probabilities[choice] as number) ? 1 : 0;
    q[choice] = (q[choice] as number) + alpha * (reward - (q[choice] as number));
    out.trials.push({ trial_index: t, choice, outcome: reward });
  }
  return out;
}

export function parameterRecovery(options: RecoveryOptions = {}): RecoveryResult {
  const n = options.participants ?? 50;
  const trials = options.trials ?? 500;
  const [aLow, aHigh] = options.alphaRange ?? [0.05, 0.9];
  const [bLow, bHigh] = options.betaRange ?? [1, 10];
  const random = createRandom(options.seed ?? 0);
  const model = getModel('rw');
  const progress = throttleProgress(options.onProgress);
  const result: RecoveryResult = { true_params: [], fitted_params: [], correlation: { alpha: 0, beta: 0 }, sessions: [] };
  for (let i = 0; i < n; i++) {
    throwIfAborted(options.signal, 'parameter recovery');
    const alpha = random.uniformRange(aLow, aHigh);
    const beta = random.uniformRange(bLow, bHigh);
    const session = simulateRescorlaWagner(alpha, beta, trials, (options.seed ?? 0) * 1000 + i, options.reversalEvery ?? 50);
    const fit = fitSession(model, session, { method: options.method ?? 'mle', seed: i, starts: 3 });
    result.true_params.push({ alpha, beta });
    result.fitted_params.push({ alpha: fit.params['alpha'] as number, beta: fit.params['beta'] as number });
    result.sessions.push(session);
    progress({ done: i + 1, total: n, stage: 'recovery' });
  }
  result.correlation = {
    alpha: pearson(result.true_params.map((p) => p.alpha), result.fitted_params.map((p) => p.alpha)),
    beta: pearson(result.true_params.map((p) => p.beta), result.fitted_params.map((p) => p.beta)),
  };
  return result;
}
