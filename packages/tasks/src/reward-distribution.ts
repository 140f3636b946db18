import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';

/**
 * A one-step Pavlovian task whose reward is drawn from a discrete distribution: each episode
 * shows one cue (observation 0), any action (pass 0) ends it with a reward of
 * `magnitudes[i]` with probability `probabilities[i]` (normalised). This is what the
 * distributional TD units of Dabney et al. 2020 learn from (their juice distribution is
 * `dabneyRewardDistribution` in rl/distributional.ts).
 *
 * @example
 *   const env = new RewardDistributionEnv({ magnitudes: [0.1, 5, 20], probabilities: [0.3, 0.5, 0.2] });
 *   env.reset({ seed: 1 });
 *   env.step(0).reward; // 0.1, 5 or 20
 */
export class RewardDistributionEnv implements Environment<number, number> {
  readonly id = 'reward-distribution';
  readonly observationSpace: Space = { kind: 'discrete', n: 1, labels: ['cue'] };
  readonly actionSpace: Space = { kind: 'discrete', n: 1 };
  readonly magnitudes: readonly number[];
  private readonly cumulative: Float64Array;
  private random: Random = createRandom(0);

  constructor(distribution: { magnitudes: readonly number[]; probabilities: readonly number[] }) {
    const { magnitudes, probabilities } = distribution;
    if (magnitudes.length === 0 || magnitudes.length !== probabilities.length) {
      throw new CajalError('INVALID_ARGUMENT', `need as many probabilities (${probabilities.length}) as magnitudes (${magnitudes.length}), at least one`, { field: 'probabilities' });
    }
    if (probabilities.some((p) => !(p >= 0)) || probabilities.every((p) => p === 0)) {
      throw new CajalError('INVALID_ARGUMENT', 'probabilities must be >= 0 and not all 0', { field: 'probabilities' });
    }
    const total = probabilities.reduce((a, b) => a + b, 0);
    this.magnitudes = [...magnitudes];
    this.cumulative = new Float64Array(probabilities.length);
    let sum = 0;
    probabilities.forEach((p, i) => (this.cumulative[i] = sum += p / total));
  }

  reset(options: ResetOptions = {}): ResetResult<number> {
    if (options.seed !== undefined) this.random = createRandom(options.seed);
    return { observation: 0, info: {} };
  }

  step(_action: number): StepResult<number> {
    const u = this.random.uniform();
    let i = 0;
    while (i < this.cumulative.length - 1 && u >= (this.cumulative[i] as number)) i++;
    return { observation: 0, reward: this.magnitudes[i] as number, terminated: true, truncated: false, info: { outcome_index: i } };
  }
}
