import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';
import { reflect } from './bandit.ts';

/**
 * The two-step task (Daw, Gershman, Seymour, Dayan and Dolan 2011). Each episode is one trial:
 * state 0 offers two actions; action a leads to second-stage state 1 + a with probability
 * `commonProbability` (0.7, a "common" transition) and to the other state otherwise ("rare").
 * Each second-stage state offers two actions paying 1 with probabilities that drift as
 * Gaussian random walks (sd 0.025) reflected in [0.25, 0.75]. Observations are the state
 * index (0, 1, 2). Info reports `transition` ("common" | "rare") and `state`.
 *
 * @example
 *   const env = new TwoStepEnv(); env.reset({ seed: 1 });
 *   const s = env.step(0);      // observation 1 or 2
 *   const r = env.step(1);      // reward 0 or 1, terminated
 */
export interface TwoStepOptions {
  commonProbability?: number;
  driftStd?: number;
  bounds?: [number, number];
  /** Initial reward probabilities [state1 a0, state1 a1, state2 a0, state2 a1] (default random in bounds). */
  initialProbabilities?: [number, number, number, number];
}

export class TwoStepEnv implements Environment<number, number> {
  readonly id = 'two-step';
  readonly observationSpace: Space = { kind: 'discrete', n: 3, labels: ['stage 1', 'stage 2 A', 'stage 2 B'] };
  readonly actionSpace: Space = { kind: 'discrete', n: 2 };
  readonly commonProbability: number;
  /** Reward probabilities, index (state - 1) * 2 + action. */
  rewardProbabilities = new Float64Array(4);
  private readonly options: TwoStepOptions;
  private random: Random = createRandom(0);
  private state = 0;
  private trial = 0;

  constructor(options: TwoStepOptions = {}) {
    this.options = options;
    this.commonProbability = options.commonProbability ?? 0.7;
    if (!(this.commonProbability > 0 && this.commonProbability < 1)) {
      throw new CajalError('INVALID_ARGUMENT', `commonProbability ${this.commonProbability} must be in (0, 1)`, { field: 'commonProbability' });
    }
    this.initialise();
  }

  private initialise(): void {
    const [low, high] = this.options.bounds ?? [0.25, 0.75];
    const initial = this.options.initialProbabilities;
    for (let i = 0; i < 4; i++) this.rewardProbabilities[i] = initial ? (initial[i] as number) : this.random.uniformRange(low, high);
    this.trial = 0;
  }

  reset(options: ResetOptions = {}): ResetResult<number> {
    if (options.seed !== undefined) {
      this.random = createRandom(options.seed);
      this.initialise();
    }
    this.state = 0;
    return { observation: 0, info: { trial: this.trial, stage: 1 } };
  }

  step(action: number): StepResult<number> {
    if (action !== 0 && action !== 1) throw new CajalError('INVALID_ARGUMENT', `action ${action} must be 0 or 1`, { field: 'action' });
    if (this.state === 0) {
      const common = this.random.uniform() < this.commonProbability;
      this.state = common ? 1 + action : 2 - action;
      return { observation: this.state, reward: 0, terminated: false, truncated: false, info: { stage: 1, transition: common ? 'common' : 'rare', state: this.state } };
    }
    const index = (this.state - 1) * 2 + action;
    const reward = this.random.uniform() < (this.rewardProbabilities[index] as number) ? 1 : 0;
    const info = { stage: 2, state: this.state, probability: this.rewardProbabilities[index] };
    const std = this.options.driftStd ?? 0.025;
    const [low, high] = this.options.bounds ?? [0.25, 0.75];
    for (let i = 0; i < 4; i++) this.rewardProbabilities[i] = reflect((this.rewardProbabilities[i] as number) + this.random.normal(0, std), low, high);
    this.trial++;
    this.state = 0;
    return { observation: 0, reward, terminated: true, truncated: false, info };
  }
}
