import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';
import { encodeFeatures, featureCount, type RepresentationKind, type RepresentationOptions } from './representation.ts';

/**
 * Classical (Pavlovian) conditioning in time: each episode is one trial of `trialLength` steps;
 * cues switch on at set steps and a reward may arrive at a set step with a given probability.
 * The observation is the stimulus representation (CSC, microstimulus or presence) at that step;
 * the action is ignored (pass 0). This is the task of the dopamine recordings of Schultz et al.
 * (1997) and Fiorillo et al. (2003).
 *
 * @example
 *   const env = new TimedConditioningEnv({ trialTypes: [{ name: 'CS+', cues: [{ cue: 0, onset: 5 }], rewardStep: 15, rewardProbability: 1 }] });
 *   let { observation } = env.reset({ seed: 1 });
 *   let done = false; while (!done) { const s = env.step(0); done = s.terminated; }
 */
export interface CueOnset {
  /** Cue index (0-based). */
  cue: number;
  /** Step at which the cue starts. */
  onset: number;
}

export interface TimedTrialType {
  name: string;
  cues: CueOnset[];
  /** Step at which reward is delivered (omit for no reward). */
  rewardStep?: number;
  /** Probability that the reward is delivered (default 1). */
  rewardProbability?: number;
  /** Reward size (default 1). */
  rewardMagnitude?: number;
  /** Relative frequency among trial types (default 1). */
  weight?: number;
}

export interface TimedConditioningOptions {
  trialTypes: TimedTrialType[];
  /** Steps per trial (default 30). */
  trialLength?: number;
  /** Number of distinct cues (default: 1 + largest cue index used). */
  cueCount?: number;
  /** Stimulus representation (default "csc"). */
  representation?: RepresentationKind;
  /** Extra representation settings (microstimulus count, width, trace decay). */
  representationOptions?: Partial<Omit<RepresentationOptions, 'kind' | 'cueCount' | 'trialLength'>>;
  /** Seconds per step, reported in info and used for recordings (default 0.1). */
  stepSeconds?: number;
  /**
   * Treat a delivered reward as one more stimulus with its own representation (Ludvig et al.
   * 2008 do so; it lets the value fall sharply after the reward). Default: true for
   * "microstimulus", false otherwise.
   */
  rewardAsStimulus?: boolean;
}

export class TimedConditioningEnv implements Environment<Float32Array, number> {
  readonly id = 'timed-conditioning';
  readonly observationSpace: Space;
  readonly actionSpace: Space = { kind: 'discrete', n: 1 };
  readonly trialLength: number;
  readonly stepSeconds: number;
  readonly representation: RepresentationOptions;
  readonly trialTypes: TimedTrialType[];
  /** Number of cues (without the reward stimulus). */
  readonly cueCount: number;
  readonly rewardAsStimulus: boolean;
  private random: Random = createRandom(0);
  private step_index = 0;
  private trialType: TimedTrialType;
  private rewardDelivered = false;
  private readonly since: Int32Array;
  private readonly totalWeight: number;

  constructor(options: TimedConditioningOptions) {
    if (options.trialTypes.length === 0) throw new CajalError('INVALID_ARGUMENT', 'at least one trial type is needed', { field: 'trialTypes' });
    this.trialTypes = options.trialTypes;
    this.trialLength = options.trialLength ?? 30;
    this.stepSeconds = options.stepSeconds ?? 0.1;
    const maxCue = Math.max(...options.trialTypes.flatMap((t) => t.cues.map((c) => c.cue)), 0);
    const cueCount = options.cueCount ?? maxCue + 1;
    this.rewardAsStimulus = options.rewardAsStimulus ?? options.representation === 'microstimulus';
    for (const type of options.trialTypes) {
      if (type.rewardStep !== undefined && (type.rewardStep < 1 || type.rewardStep >= this.trialLength)) {
        throw new CajalError('INVALID_ARGUMENT', `trial type "${type.name}" has reward step ${type.rewardStep} outside 1..${this.trialLength - 1}`, { field: 'rewardStep' });
      }
    }
    this.cueCount = cueCount;
    const represented = cueCount + (this.rewardAsStimulus ? 1 : 0);
    this.representation = { ...options.representationOptions, kind: options.representation ?? 'csc', cueCount: represented, trialLength: this.trialLength };
    const n = featureCount(this.representation);
    this.observationSpace = { kind: 'box', shape: [n], low: 0, high: 1 };
    this.since = new Int32Array(represented);
    this.trialType = options.trialTypes[0] as TimedTrialType;
    this.totalWeight = options.trialTypes.reduce((s, t) => s + (t.weight ?? 1), 0);
  }

  private observe(): Float32Array {
    this.since.fill(-1);
    for (const c of this.trialType.cues) if (this.step_index >= c.onset) this.since[c.cue] = this.step_index - c.onset;
    const rewardStep = this.trialType.rewardStep;
    if (this.rewardAsStimulus && rewardStep !== undefined && this.rewardDelivered && this.step_index >= rewardStep) {
      this.since[this.cueCount] = this.step_index - rewardStep;
    }
    return encodeFeatures(this.representation, this.since, new Float32Array(featureCount(this.representation)));
  }

  /** Start a trial; `options.options.trialType` (a name) forces the trial type. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.random = createRandom(options.seed);
    const forced = options.options?.['trialType'];
    if (typeof forced === 'string') {
      const found = this.trialTypes.find((t) => t.name === forced);
      if (!found) throw new CajalError('INVALID_ARGUMENT', `no trial type "${forced}"`, { field: 'trialType' });
      this.trialType = found;
    } else {
      let u = this.random.uniform() * this.totalWeight;
      this.trialType = this.trialTypes[this.trialTypes.length - 1] as TimedTrialType;
      for (const t of this.trialTypes) {
        u -= t.weight ?? 1;
        if (u < 0) {
          this.trialType = t;
          break;
        }
      }
    }
    this.step_index = 0;
    this.rewardDelivered = this.random.uniform() < (this.trialType.rewardProbability ?? 1);
    return { observation: this.observe(), info: { step: 0, trial_type: this.trialType.name, reward_scheduled: this.rewardDelivered } };
  }

  step(_action: number): StepResult<Float32Array> {
    this.step_index++;
    const atReward = this.trialType.rewardStep === this.step_index;
    const reward = atReward && this.rewardDelivered ? (this.trialType.rewardMagnitude ?? 1) : 0;
    const terminated = this.step_index >= this.trialLength - 1;
    return {
      observation: this.observe(),
      reward,
      terminated,
      truncated: false,
      info: { step: this.step_index, trial_type: this.trialType.name, reward_time: atReward, reward_omitted: atReward && !this.rewardDelivered },
    };
  }
}
