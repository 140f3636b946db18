import type { Environment, Random, ResetOptions, ResetResult, Space, StepResult } from '@cajal/core';
import { CajalError, createRandom } from '@cajal/core';

/**
 * Small cognitive tasks as core `Environment`s for the neural-network agents (written here
 * because packages/learn/src/env had no n-back or delayed match-to-sample yet). Every step's
 * `info` carries `correct_action` (the action that earns reward now) and `scored` (whether the
 * step counts toward accuracy), so agents can be trained supervised on the correct action and
 * evaluated by the reward they earn.
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
  match_probability?: number;
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
    this.matchProbability = options.match_probability ?? 0.5;
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

export interface DelayedMatchOptions {
  /** Distinct stimuli (default 4). */
  stimuli?: number;
  /** Shortest and longest delay in steps (default 2 and 6). */
  min_delay?: number;
  max_delay?: number;
  /** Steps per episode, filled with back-to-back trials (default 30). */
  length?: number;
}

/**
 * Delayed match-to-sample: a trial shows a sample stimulus (with a "sample" flag), then a
 * blank delay of random length, then a test stimulus (with a "test" flag). Actions: 0 = wait,
 * 1 = match, 2 = non-match. Waiting is correct on sample and delay steps; on the test step the
 * correct answer is match (probability 0.5) or non-match and is rewarded 1. Test steps are the
 * scored ones (chance 50%). Observation: [stimulus one-hot..., sample flag, test flag].
 */
export class DelayedMatchTask implements Environment<Float32Array, number> {
  readonly id = 'nn-delayed-match';
  readonly observationSpace: Space;
  readonly actionSpace: Space = { kind: 'discrete', n: 3, labels: ['wait', 'match', 'non-match'] };
  readonly stimuli: number;
  readonly minDelay: number;
  readonly maxDelay: number;
  readonly length: number;
  private random: Random = createRandom(0);
  private observations: Float32Array[] = [];
  private correct: number[] = [];
  private t = 0;

  constructor(options: DelayedMatchOptions = {}) {
    this.stimuli = options.stimuli ?? 4;
    this.minDelay = options.min_delay ?? 2;
    this.maxDelay = options.max_delay ?? 6;
    this.length = options.length ?? 30;
    if (this.minDelay < 0 || this.maxDelay < this.minDelay) throw new CajalError('INVALID_ARGUMENT', `delays must satisfy 0 ≤ min ≤ max (got ${this.minDelay}, ${this.maxDelay})`, { field: 'min_delay' });
    this.observationSpace = { kind: 'box', shape: [this.stimuli + 2], low: 0, high: 1 };
  }

  private frame(stimulus: number, flag: number): Float32Array {
    const out = new Float32Array(this.stimuli + 2);
    if (stimulus >= 0) out[stimulus] = 1;
    if (flag >= 0) out[this.stimuli + flag] = 1;
    return out;
  }

  private info(): Record<string, unknown> {
    const action = this.correct[this.t] as number;
    return { correct_action: action, scored: action !== 0, step: this.t };
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.random = createRandom(options.seed);
    this.observations = [];
    this.correct = [];
    while (this.observations.length < this.length) {
      const sample = this.random.integer(this.stimuli);
      const delay = this.minDelay + this.random.integer(this.maxDelay - this.minDelay + 1);
      const match = this.random.uniform() < 0.5;
      let test = sample;
      if (!match) while (test === sample) test = this.random.integer(this.stimuli);
      this.observations.push(this.frame(sample, 0));
      this.correct.push(0);
      for (let d = 0; d < delay; d++) {
        this.observations.push(this.frame(-1, -1));
        this.correct.push(0);
      }
      this.observations.push(this.frame(test, 1));
      this.correct.push(match ? 1 : 2);
    }
    this.observations.length = this.length;
    this.correct.length = this.length;
    this.t = 0;
    return { observation: this.observations[0] as Float32Array, info: this.info() };
  }

  step(action: number): StepResult<Float32Array> {
    const wanted = this.correct[this.t] as number;
    const reward = wanted !== 0 && action === wanted ? 1 : 0;
    this.t++;
    const terminated = this.t >= this.length;
    const observation = terminated ? new Float32Array(this.stimuli + 2) : (this.observations[this.t] as Float32Array);
    return { observation, reward, terminated, truncated: false, info: terminated ? { scored: false, correct_action: 0 } : this.info() };
  }
}

export interface CueingOptions {
  /** Probability that the cue points at the target's location (default 0.8). */
  validity?: number;
  /** Target contrast (signal) against unit Gaussian noise (default 1.2). */
  contrast?: number;
}

/** Features per token of the cueing display. */
export const CUEING_FEATURES = 6;

/**
 * Posner cueing, one step per episode: the display is three tokens — a cue pointing left or
 * right, then the left and right locations. One location holds a target whose sign (+ or −
 * tilt) the agent reports (action 0 = negative, 1 = positive); both locations carry Gaussian
 * noise. The cue points at the target on `validity` of trials. Token features:
 * [is cue, is location, is left, is right, cue points left, cue points right ... stimulus]
 * laid out as [token][feature] with the stimulus in the last feature.
 */
export class CueingTask implements Environment<Float32Array, number> {
  readonly id = 'nn-posner-cueing';
  readonly observationSpace: Space = { kind: 'box', shape: [3, CUEING_FEATURES], low: -10, high: 10 };
  readonly actionSpace: Space = { kind: 'discrete', n: 2, labels: ['negative', 'positive'] };
  readonly validity: number;
  readonly contrast: number;
  private random: Random = createRandom(0);
  private trial: { cue: number; target: number; sign: number; valid: boolean } = { cue: 0, target: 0, sign: 1, valid: true };

  constructor(options: CueingOptions = {}) {
    this.validity = options.validity ?? 0.8;
    this.contrast = options.contrast ?? 1.2;
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.random = createRandom(options.seed);
    const cue = this.random.integer(2);
    const valid = this.random.uniform() < this.validity;
    const target = valid ? cue : 1 - cue;
    const sign = this.random.uniform() < 0.5 ? -1 : 1;
    this.trial = { cue, target, sign, valid };
    const f = CUEING_FEATURES;
    const observation = new Float32Array(3 * f);
    observation[0] = 1;
    observation[4 + cue] = 1;
    for (let location = 0; location < 2; location++) {
      const base = (1 + location) * f;
      observation[base + 1] = 1;
      observation[base + 2 + location] = 1;
      observation[base + f - 1] = this.random.normal() + (location === target ? sign * this.contrast : 0);
    }
    return { observation, info: { correct_action: sign > 0 ? 1 : 0, scored: true, valid, cued_location: cue, target_location: target } };
  }

  step(action: number): StepResult<Float32Array> {
    const correct = this.trial.sign > 0 ? 1 : 0;
    return { observation: new Float32Array(3 * CUEING_FEATURES), reward: action === correct ? 1 : 0, terminated: true, truncated: false, info: { valid: this.trial.valid } };
  }
}
