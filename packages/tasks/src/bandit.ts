import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';

/**
 * An n-armed Bernoulli bandit. Each episode is one trial: `reset` shows a single state
 * (observation 0), `step(arm)` pays 1 with the arm's probability (times `rewardMagnitude`)
 * and ends the trial. Probabilities are fixed, or drift as bounded Gaussian random walks
 * (the "restless" bandit of Daw et al. 2006), updated after every trial. A seeded reset
 * restarts the probabilities and the random stream; an unseeded reset continues them.
 *
 * @example
 *   const env = new BanditEnv({ probabilities: [0.8, 0.2] });
 *   env.reset({ seed: 1 }); const { reward } = env.step(0);
 */
export interface BanditOptions {
  /** Reward probability per arm (sets the number of arms). */
  probabilities: number[];
  /** Standard deviation of each trial's Gaussian step of every probability (default 0 = fixed). */
  driftStd?: number;
  /** Reflecting bounds for drifting probabilities (default [0.25, 0.75] as in Daw 2011). */
  driftBounds?: [number, number];
  /** Reward on a win (default 1). */
  rewardMagnitude?: number;
  /** Reward on a loss (default 0; hBayesDM's 2-armed bandit uses -1). */
  lossMagnitude?: number;
}

/** Reflect x into [low, high]. */
export function reflect(x: number, low: number, high: number): number {
  let y = x;
  for (let k = 0; k < 4 && (y < low || y > high); k++) {
    if (y > high) y = 2 * high - y;
    if (y < low) y = 2 * low - y;
  }
  return Math.min(high, Math.max(low, y));
}

export class BanditEnv implements Environment<number, number> {
  readonly id: string = 'bandit';
  readonly observationSpace: Space = { kind: 'discrete', n: 1 };
  readonly actionSpace: Space;
  readonly options: BanditOptions;
  /** Current reward probabilities (change when drifting). */
  probabilities: Float64Array;
  protected random: Random = createRandom(0);
  protected trial = 0;

  constructor(options: BanditOptions) {
    if (options.probabilities.length < 2) throw new CajalError('INVALID_ARGUMENT', 'a bandit needs at least 2 arms', { field: 'probabilities' });
    for (const p of options.probabilities) {
      if (!(p >= 0 && p <= 1)) throw new CajalError('INVALID_ARGUMENT', `probability ${p} is outside [0, 1]`, { field: 'probabilities' });
    }
    this.options = options;
    this.actionSpace = { kind: 'discrete', n: options.probabilities.length };
    this.probabilities = Float64Array.from(options.probabilities);
  }

  reset(options: ResetOptions = {}): ResetResult<number> {
    if (options.seed !== undefined) {
      this.random = createRandom(options.seed);
      this.probabilities = Float64Array.from(this.options.probabilities);
      this.trial = 0;
    }
    return { observation: 0, info: { trial: this.trial, probabilities: Array.from(this.probabilities) } };
  }

  /** Which arm is currently best (ties: the first). */
  bestArm(): number {
    let best = 0;
    for (let i = 1; i < this.probabilities.length; i++) if ((this.probabilities[i] as number) > (this.probabilities[best] as number)) best = i;
    return best;
  }

  step(action: number): StepResult<number> {
    if (!(Number.isInteger(action) && action >= 0 && action < this.probabilities.length)) {
      throw new CajalError('INVALID_ARGUMENT', `action ${action} is not an arm 0..${this.probabilities.length - 1}`, { field: 'action' });
    }
    const best = this.bestArm();
    const win = this.random.uniform() < (this.probabilities[action] as number);
    const reward = win ? (this.options.rewardMagnitude ?? 1) : (this.options.lossMagnitude ?? 0);
    const info = { trial: this.trial, win, optimal: action === best || this.probabilities[action] === this.probabilities[best] };
    this.afterTrial();
    this.trial++;
    return { observation: 0, reward, terminated: true, truncated: false, info };
  }

  protected afterTrial(): void {
    const std = this.options.driftStd ?? 0;
    if (std > 0) {
      const [low, high] = this.options.driftBounds ?? [0.25, 0.75];
      for (let i = 0; i < this.probabilities.length; i++) {
        this.probabilities[i] = reflect((this.probabilities[i] as number) + this.random.normal(0, std), low, high);
      }
    }
  }
}

/**
 * Probabilistic reversal learning: two options, the "correct" one pays with probability
 * `highProbability` (default 0.8) and the other with 1 - that; the contingencies swap after
 * `reversalAfterCorrect` consecutive correct choices (default 8, with a random extra 0-4
 * trials), or every `reversalEvery` trials when that is set. Rewards are +1 / -1 like
 * hBayesDM's prl data.
 *
 * @example
 *   const env = new ReversalLearningEnv(); env.reset({ seed: 3 }); env.step(1);
 */
export interface ReversalOptions {
  highProbability?: number;
  reversalAfterCorrect?: number;
  reversalEvery?: number;
  rewardMagnitude?: number;
  lossMagnitude?: number;
}

export class ReversalLearningEnv extends BanditEnv {
  override readonly id = 'reversal-learning';
  readonly reversal: ReversalOptions;
  private streak = 0;
  private needed = 0;
  /** Trials at which a reversal happened. */
  reversals: number[] = [];
  private lastAction = -1;

  constructor(options: ReversalOptions = {}) {
    const high = options.highProbability ?? 0.8;
    super({ probabilities: [high, 1 - high], rewardMagnitude: options.rewardMagnitude ?? 1, lossMagnitude: options.lossMagnitude ?? -1 });
    this.reversal = options;
  }

  override reset(options: ResetOptions = {}): ResetResult<number> {
    if (options.seed !== undefined) {
      this.streak = 0;
      this.reversals = [];
      this.needed = 0;
    }
    const result = super.reset(options);
    if (options.seed !== undefined) this.needed = this.drawCriterion();
    return result;
  }

  private drawCriterion(): number {
    return (this.reversal.reversalAfterCorrect ?? 8) + this.random.integer(5);
  }

  override step(action: number): StepResult<number> {
    this.lastAction = action;
    return super.step(action);
  }

  protected override afterTrial(): void {
    const correct = this.lastAction === this.bestArm();
    this.streak = correct ? this.streak + 1 : 0;
    const every = this.reversal.reversalEvery;
    const reverse = every !== undefined ? (this.trial + 1) % every === 0 : this.streak >= this.needed;
    if (reverse) {
      this.probabilities.reverse();
      this.reversals.push(this.trial + 1);
      this.streak = 0;
      this.needed = this.drawCriterion();
    }
  }
}
