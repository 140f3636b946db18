import type { Environment, Random, ResetOptions, ResetResult, Space, StepResult } from '@cajal/core';
import { CajalError, createRandom } from '@cajal/core';

/**
 * n-back as a core `Environment`. Every step's `info` carries `correct_action` (the action
 * that earns reward now) and `scored` (whether the step counts toward accuracy), so agents can
 * be trained supervised on the correct action and evaluated by the reward they earn.
 *
 * @example
 *   const env = new NBackTask({ n: 2 });
 *   let { observation, info } = env.reset({ seed: 1 });
 *   const r = env.step(info.correct_action as number); // reward 1 on scored steps
 */

function oneHot(size: number, index: number): Float32Array {
  const out = new Float32Array(size);
  if (index >= 0) out[index] = 1;
  return out;
}

export interface NBackOptions {
  /** How many steps back to compare (default 2). */
  n?: number;
  /** Distinct stimuli, shown one-hot (default 4). */
  stimuli?: number;
  /** Steps per episode (default 20). */
  length?: number;
  /** Probability that a scored step is a match (default 0.5, so chance is 50%). */
  matchProbability?: number;
}

/**
 * n-back: each step shows a stimulus; the agent answers 1 (match: same as n steps ago) or 0
 * (no match). Reward 1 for a correct answer on steps t ≥ n (the scored ones), else 0.
 */
export class NBackTask implements Environment<Float32Array, number> {
  readonly id = 'nn-n-back';
  readonly observationSpace: Space;
  readonly actionSpace: Space = { kind: 'discrete', n: 2, labels: ['no match', 'match'] };
  readonly n: number;
  readonly stimuli: number;
  readonly length: number;
  readonly matchProbability: number;
  private random: Random = createRandom(0);
  private sequence: number[] = [];
  private t = 0;

  constructor(options: NBackOptions = {}) {
    this.n = options.n ?? 2;
    this.stimuli = options.stimuli ?? 4;
    this.length = options.length ?? 20;
    this.matchProbability = options.matchProbability ?? 0.5;
    if (this.stimuli < 2 || this.n < 1 || this.length <= this.n) throw new CajalError('INVALID_ARGUMENT', `n-back needs ≥ 2 stimuli, n ≥ 1 and length > n (got ${this.stimuli}, ${this.n}, ${this.length})`, { field: 'options' });
    this.observationSpace = { kind: 'box', shape: [this.stimuli], low: 0, high: 1 };
  }

  private info(): Record<string, unknown> {
    const scored = this.t >= this.n;
    const match = scored && this.sequence[this.t] === this.sequence[this.t - this.n];
    return { correct_action: match ? 1 : 0, scored, step: this.t };
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.random = createRandom(options.seed);
    this.sequence = [];
    for (let t = 0; t < this.length; t++) {
      if (t >= this.n && this.random.uniform() < this.matchProbability) this.sequence.push(this.sequence[t - this.n] as number);
      else {
        let s = this.random.integer(this.stimuli);
        if (t >= this.n) while (s === this.sequence[t - this.n]) s = this.random.integer(this.stimuli);
        this.sequence.push(s);
      }
    }
    this.t = 0;
    return { observation: oneHot(this.stimuli, this.sequence[0] as number), info: this.info() };
  }

  step(action: number): StepResult<Float32Array> {
    const before = this.info();
    const reward = before['scored'] && action === before['correct_action'] ? 1 : 0;
    this.t++;
    const terminated = this.t >= this.length;
    const observation = terminated ? new Float32Array(this.stimuli) : oneHot(this.stimuli, this.sequence[this.t] as number);
    return { observation, reward, terminated, truncated: false, info: terminated ? { scored: false, correct_action: 0 } : this.info() };
  }
}
