import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';

/**
 * Neurogym-style timed tasks (Molano-Mazon et al. 2022): each episode is one trial divided
 * into periods of whole steps (default 100 ms each). Action 0 means "keep fixating"; any other
 * action before the decision period breaks fixation (reward `abortReward`, trial ends). In the
 * decision period the first non-fixation action is scored: +1 correct, 0 wrong; a trial
 * whose decision period passes without a choice ends with reward 0. Step info gives `period`
 * (of the step just taken) and `next_period` (of the returned observation), and, for the
 * returned observation's step, `correct_action` (what earns reward there: 0 before the decision)
 * and `scored` (true in the decision period), so agents trained on correct actions (the
 * recurrent agents of @cajal/learn, nn's task data sets) play these tasks too. A task built
 * with `abortOnBrokenFixation: false` does not end the trial when fixation breaks: the action
 * earns 0 and the trial goes on.
 */
export interface Period {
  name: string;
  steps: number;
}

abstract class TimedTask implements Environment<Float32Array, number> {
  abstract readonly id: string;
  abstract readonly observationSpace: Space;
  abstract readonly actionSpace: Space;
  readonly stepSeconds: number;
  readonly abortReward: number;
  readonly abortOnBrokenFixation: boolean;
  protected random: Random = createRandom(0);
  protected periods: Period[] = [];
  protected t = 0;

  constructor(stepSeconds: number, abortReward: number, abortOnBrokenFixation = true) {
    this.stepSeconds = stepSeconds;
    this.abortReward = abortReward;
    this.abortOnBrokenFixation = abortOnBrokenFixation;
  }

  /** What the agent should do at step t, and whether that step is scored. */
  private target(t: number): { correct_action: number; scored: boolean } {
    const decision = this.periodAt(t) === 'decision';
    return { correct_action: decision ? this.correctAction() : 0, scored: decision };
  }

  /** Period name at step t. */
  periodAt(t: number): string {
    let end = 0;
    for (const p of this.periods) {
      end += p.steps;
      if (t < end) return p.name;
    }
    return 'end';
  }

  /** Total steps in the current trial. */
  get trialSteps(): number {
    return this.periods.reduce((s, p) => s + p.steps, 0);
  }

  protected abstract newTrial(): void;
  protected abstract observe(period: string): Float32Array;
  protected abstract correctAction(): number;
  protected abstract trialInfo(): Record<string, unknown>;

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.random = createRandom(options.seed);
    this.t = 0;
    this.newTrial();
    return { observation: this.observe(this.periodAt(0)), info: { period: this.periodAt(0), ...this.trialInfo(), ...this.target(0) } };
  }

  step(action: number): StepResult<Float32Array> {
    const n = this.actionSpace.kind === 'discrete' ? this.actionSpace.n : 0;
    if (!(Number.isInteger(action) && action >= 0 && action < n)) throw new CajalError('INVALID_ARGUMENT', `action ${action} must be 0..${n - 1}`, { field: 'action' });
    const period = this.periodAt(this.t);
    this.t++;
    const nextPeriod = this.periodAt(this.t);
    const info = { period, next_period: nextPeriod, ...this.trialInfo() };
    if (period === 'decision' && action !== 0) {
      const correct = action === this.correctAction();
      return { observation: this.observe('end'), reward: correct ? 1 : 0, terminated: true, truncated: false, info: { ...info, correct, chosen: action, correct_action: 0, scored: false } };
    }
    if (action !== 0 && this.abortOnBrokenFixation) {
      return { observation: this.observe('end'), reward: this.abortReward, terminated: true, truncated: false, info: { ...info, aborted: true } };
    }
    const ended = nextPeriod === 'end';
    return { observation: this.observe(nextPeriod), reward: 0, terminated: ended, truncated: false, info: ended ? { ...info, correct: false, no_response: true, correct_action: 0, scored: false } : { ...info, ...this.target(this.t) } };
  }
}

/**
 * Perceptual decision making (random-dots-like): fixation, stimulus and decision periods.
 * Observation [fixation, evidence left, evidence right]: during the stimulus each evidence
 * channel is (1 +/- coherence) / 2 plus Gaussian noise `noiseStd`; the fixation channel is 1
 * until the decision period. Actions: 0 fixate, 1 left, 2 right.
 *
 * @example
 *   const env = new PerceptualDecisionEnv({ coherences: [0.1, 0.5] }); env.reset({ seed: 1 });
 */
export interface PerceptualDecisionOptions {
  /** Coherence levels drawn uniformly per trial (default [0, 0.064, 0.128, 0.256, 0.512]). */
  coherences?: number[];
  noiseStd?: number;
  fixationSteps?: number;
  stimulusSteps?: number;
  decisionSteps?: number;
  /** Keep the evidence on during the decision period (default false, as in neurogym). */
  stimulusDuringDecision?: boolean;
  stepSeconds?: number;
  abortReward?: number;
}

export class PerceptualDecisionEnv extends TimedTask {
  readonly id = 'perceptual-decision';
  readonly observationSpace: Space = { kind: 'box', shape: [3], low: -Infinity, high: Infinity, labels: ['fixation', 'left', 'right'] };
  readonly actionSpace: Space = { kind: 'discrete', n: 3, labels: ['fixate', 'left', 'right'] };
  readonly options: PerceptualDecisionOptions;
  private side = 1;
  private coherence = 0;

  constructor(options: PerceptualDecisionOptions = {}) {
    super(options.stepSeconds ?? 0.1, options.abortReward ?? -0.1);
    this.options = options;
  }

  protected newTrial(): void {
    const coherences = this.options.coherences ?? [0, 0.064, 0.128, 0.256, 0.512];
    this.coherence = coherences[this.random.integer(coherences.length)] as number;
    this.side = 1 + this.random.integer(2);
    this.periods = [
      { name: 'fixation', steps: this.options.fixationSteps ?? 3 },
      { name: 'stimulus', steps: this.options.stimulusSteps ?? 8 },
      { name: 'decision', steps: this.options.decisionSteps ?? 2 },
    ];
  }

  protected observe(period: string): Float32Array {
    const out = new Float32Array(3);
    if (period === 'end') return out;
    out[0] = period === 'decision' ? 0 : 1;
    if (period === 'stimulus' || (period === 'decision' && this.options.stimulusDuringDecision)) {
      const noise = this.options.noiseStd ?? 0.5;
      const signed = this.side === 1 ? this.coherence : -this.coherence;
      out[1] = (1 + signed) / 2 + this.random.normal(0, noise);
      out[2] = (1 - signed) / 2 + this.random.normal(0, noise);
    }
    return out;
  }

  protected correctAction(): number {
    return this.side;
  }

  protected trialInfo(): Record<string, unknown> {
    return { ground_truth: this.side, coherence: this.coherence };
  }
}

/**
 * Delayed match-to-sample, the one definition people, RL agents, memory models and recurrent
 * networks all play: fixation, sample, delay, test, decision. A sample (one of `stimulusCount`
 * one-hot patterns) is shown, then after the delay a test stimulus that matches it with
 * probability 0.5. Actions 0 fixate (wait), 1 match, 2 non-match. The delay is drawn per trial
 * from `delaySteps`. Observation: with `encoding: 'fixation'` (default, neurogym's)
 * [fixation, stimulus one-hot...]; with `'period-flags'` [stimulus one-hot..., sample flag,
 * test flag]. `testDuringDecision` shows the test stimulus in the decision period (the answer
 * is then given while the test is on screen; set `testSteps: 0`). `delayedMatchSequence` plays
 * back-to-back trials of the short variant the recurrent networks learn.
 *
 * @example
 *   const env = new DelayedMatchToSampleEnv({ delaySteps: [2, 4, 8] });
 */
export interface DelayedMatchOptions {
  /** Distinct stimuli (default 4). */
  stimulusCount?: number;
  /** Delays in steps, one drawn uniformly per trial (default [5]). */
  delaySteps?: number[];
  /** Period lengths in steps (defaults 2, 3, 3, 2). */
  fixationSteps?: number;
  sampleSteps?: number;
  testSteps?: number;
  decisionSteps?: number;
  /** Keep the test stimulus on during the decision period (default false). */
  testDuringDecision?: boolean;
  /** Observation layout (default 'fixation'). */
  encoding?: 'fixation' | 'period-flags';
  /** Gaussian noise added to the stimulus channels (default 0). */
  noiseStd?: number;
  /** Seconds per step (default 0.1). */
  stepSeconds?: number;
  /** Reward for breaking fixation (default -0.1). */
  abortReward?: number;
  /** End the trial when fixation breaks (default true); false: the action earns 0 and the trial goes on. */
  abortOnBrokenFixation?: boolean;
}

export class DelayedMatchToSampleEnv extends TimedTask {
  readonly id = 'delayed-match-to-sample';
  readonly observationSpace: Space;
  readonly actionSpace: Space = { kind: 'discrete', n: 3, labels: ['fixate', 'match', 'non-match'] };
  readonly options: DelayedMatchOptions;
  private sample = 0;
  private test = 0;
  private delay = 0;

  constructor(options: DelayedMatchOptions = {}) {
    super(options.stepSeconds ?? 0.1, options.abortReward ?? -0.1, options.abortOnBrokenFixation ?? true);
    this.options = options;
    const k = options.stimulusCount ?? 4;
    if (!(k >= 2)) throw new CajalError('INVALID_ARGUMENT', `stimulusCount ${k} must be >= 2`, { field: 'stimulusCount' });
    const delays = options.delaySteps ?? [5];
    if (delays.length === 0 || delays.some((d) => !(Number.isInteger(d) && d >= 0))) throw new CajalError('INVALID_ARGUMENT', `delaySteps ${JSON.stringify(delays)} must be whole numbers >= 0`, { field: 'delaySteps' });
    this.observationSpace = { kind: 'box', shape: [k + (options.encoding === 'period-flags' ? 2 : 1)], low: -Infinity, high: Infinity };
  }

  protected newTrial(): void {
    const k = this.options.stimulusCount ?? 4;
    const delays = this.options.delaySteps ?? [5];
    this.delay = delays[this.random.integer(delays.length)] as number;
    this.sample = this.random.integer(k);
    this.test = this.random.bernoulli(0.5) ? this.sample : (this.sample + 1 + this.random.integer(k - 1)) % k;
    this.periods = [
      { name: 'fixation', steps: this.options.fixationSteps ?? 2 },
      { name: 'sample', steps: this.options.sampleSteps ?? 3 },
      { name: 'delay', steps: this.delay },
      { name: 'test', steps: this.options.testSteps ?? 3 },
      { name: 'decision', steps: this.options.decisionSteps ?? 2 },
    ];
  }

  protected observe(period: string): Float32Array {
    const out = new Float32Array(this.observationSpace.kind === 'box' ? (this.observationSpace.shape[0] as number) : 0);
    if (period === 'end') return out;
    const k = this.options.stimulusCount ?? 4;
    const flags = this.options.encoding === 'period-flags';
    const first = flags ? 0 : 1;
    const testShown = period === 'test' || (period === 'decision' && this.options.testDuringDecision === true);
    if (!flags) out[0] = period === 'decision' ? 0 : 1;
    if (period === 'sample') out[first + this.sample] = 1;
    if (testShown) out[first + this.test] = 1;
    if (flags && period === 'sample') out[k] = 1;
    if (flags && testShown) out[k + 1] = 1;
    const noise = this.options.noiseStd ?? 0;
    if (noise > 0) for (let i = first; i < first + k; i++) out[i] = (out[i] as number) + this.random.normal(0, noise);
    return out;
  }

  protected correctAction(): number {
    return this.sample === this.test ? 1 : 2;
  }

  protected trialInfo(): Record<string, unknown> {
    return { sample: this.sample, test: this.test, match: this.sample === this.test, delay_steps: this.delay };
  }
}

/**
 * The delayed match-to-sample variant recurrent networks learn, as back-to-back trials filling
 * episodes of `steps` steps: a one-step sample (with a sample flag), a blank delay of
 * `minDelay`..`maxDelay` steps (defaults 2 and 6), and a one-step test (with a test flag) on
 * which the agent answers match (1) or non-match (2); waiting (0) is correct elsewhere and
 * other actions there earn 0 without ending the trial. Test steps are the scored ones
 * (chance 50%). Observation [stimulus one-hot..., sample flag, test flag].
 *
 * @example
 *   const env = delayedMatchSequence({ stimulusCount: 4, minDelay: 2, maxDelay: 6, steps: 30 });
 */
export function delayedMatchSequence(options: { stimulusCount?: number; minDelay?: number; maxDelay?: number; steps?: number } = {}): TrialSequence {
  const minDelay = options.minDelay ?? 2;
  const maxDelay = options.maxDelay ?? 6;
  if (!(minDelay >= 0 && maxDelay >= minDelay)) throw new CajalError('INVALID_ARGUMENT', `delays must satisfy 0 ≤ min ≤ max (got ${minDelay}, ${maxDelay})`, { field: 'minDelay' });
  const delaySteps = Array.from({ length: maxDelay - minDelay + 1 }, (_, i) => minDelay + i);
  const trial = new DelayedMatchToSampleEnv({
    stimulusCount: options.stimulusCount ?? 4,
    delaySteps,
    fixationSteps: 0,
    sampleSteps: 1,
    testSteps: 0,
    decisionSteps: 1,
    testDuringDecision: true,
    encoding: 'period-flags',
    abortOnBrokenFixation: false,
  });
  return new TrialSequence(trial, { steps: options.steps ?? 30 });
}

/**
 * Trials of a one-trial-per-episode task played back to back in episodes of exactly `steps`
 * steps (the last trial is cut off): when the inner trial ends, the next one starts at once
 * (its first observation is returned, not terminated). A seeded reset seeds the inner task;
 * the trials after it continue its random stream. The final step returns zeros with
 * `scored: false`.
 *
 * @example
 *   const env = new TrialSequence(new DelayedMatchToSampleEnv(), { steps: 100 });
 */
export class TrialSequence implements Environment<Float32Array, number> {
  readonly id: string;
  readonly observationSpace: Space;
  readonly actionSpace: Space;
  readonly steps: number;
  private t = 0;

  constructor(
    readonly trial: Environment<Float32Array, number>,
    options: { steps: number },
  ) {
    if (!(Number.isInteger(options.steps) && options.steps > 0)) throw new CajalError('INVALID_ARGUMENT', `steps ${options.steps} must be a positive integer`, { field: 'steps' });
    this.id = `${trial.id}-sequence`;
    this.observationSpace = trial.observationSpace;
    this.actionSpace = trial.actionSpace;
    this.steps = options.steps;
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    this.t = 0;
    return this.trial.reset(options);
  }

  step(action: number): StepResult<Float32Array> {
    const result = this.trial.step(action);
    this.t++;
    if (this.t >= this.steps) return { observation: new Float32Array(result.observation.length), reward: result.reward, terminated: true, truncated: false, info: { scored: false, correct_action: 0 } };
    if (!(result.terminated || result.truncated)) return result;
    const next = this.trial.reset();
    return { observation: next.observation, reward: result.reward, terminated: false, truncated: false, info: { ...next.info, trial_ended: true } };
  }
}
