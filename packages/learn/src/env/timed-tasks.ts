import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';

/**
 * Neurogym-style timed tasks (Molano-Mazon et al. 2022): each episode is one trial divided
 * into periods of whole steps (default 100 ms each). Action 0 means "keep fixating"; any other
 * action before the decision period breaks fixation (reward `abortReward`, trial ends). In the
 * decision period the first non-fixation action is scored: +1 correct, 0 wrong; a trial
 * whose decision period passes without a choice ends with reward 0. Step info gives `period`
 * (of the step just taken) and `next_period` (of the returned observation).
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
  protected random: Random = createRandom(0);
  protected periods: Period[] = [];
  protected t = 0;

  constructor(stepSeconds: number, abortReward: number) {
    this.stepSeconds = stepSeconds;
    this.abortReward = abortReward;
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
    return { observation: this.observe(this.periodAt(0)), info: { period: this.periodAt(0), ...this.trialInfo() } };
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
      return { observation: this.observe('end'), reward: correct ? 1 : 0, terminated: true, truncated: false, info: { ...info, correct, chosen: action } };
    }
    if (action !== 0) {
      return { observation: this.observe('end'), reward: this.abortReward, terminated: true, truncated: false, info: { ...info, aborted: true } };
    }
    const ended = nextPeriod === 'end';
    return { observation: this.observe(nextPeriod), reward: 0, terminated: ended, truncated: false, info: ended ? { ...info, correct: false, no_response: true } : info };
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
 * Delayed match-to-sample: fixation, sample, delay, test, decision. A sample (one of
 * `stimulusCount` one-hot patterns) is shown, then after the delay a test stimulus that
 * matches it with probability 0.5. Observation [fixation, stimulus one-hot...]; actions 0
 * fixate, 1 match, 2 non-match. The delay is drawn per trial from `delaySteps`.
 *
 * @example
 *   const env = new DelayedMatchToSampleEnv({ delaySteps: [2, 4, 8] });
 */
export interface DelayedMatchOptions {
  stimulusCount?: number;
  delaySteps?: number[];
  fixationSteps?: number;
  sampleSteps?: number;
  testSteps?: number;
  decisionSteps?: number;
  noiseStd?: number;
  stepSeconds?: number;
  abortReward?: number;
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
    super(options.stepSeconds ?? 0.1, options.abortReward ?? -0.1);
    this.options = options;
    const k = options.stimulusCount ?? 4;
    if (!(k >= 2)) throw new CajalError('INVALID_ARGUMENT', `stimulusCount ${k} must be >= 2`, { field: 'stimulusCount' });
    this.observationSpace = { kind: 'box', shape: [1 + k], low: -Infinity, high: Infinity };
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
    out[0] = period === 'decision' ? 0 : 1;
    const noise = this.options.noiseStd ?? 0;
    if (period === 'sample') out[1 + this.sample] = 1;
    if (period === 'test') out[1 + this.test] = 1;
    if (noise > 0) for (let i = 1; i < out.length; i++) out[i] = (out[i] as number) + this.random.normal(0, noise);
    return out;
  }

  protected correctAction(): number {
    return this.sample === this.test ? 1 : 2;
  }

  protected trialInfo(): Record<string, unknown> {
    return { sample: this.sample, test: this.test, match: this.sample === this.test, delay_steps: this.delay };
  }
}
