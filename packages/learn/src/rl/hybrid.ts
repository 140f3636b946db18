import { CajalError, type Environment, type ResetOptions } from '@cajal/core';
import { agentRandom } from './control.ts';
import { logistic } from './math.ts';
import { SignalRecorder } from './recorder.ts';
import type { Random } from '@cajal/core';

/**
 * The model-based / model-free hybrid for the two-step task (Daw et al. 2011), in the form
 * hBayesDM fits ("ts_par7"): model-free values Q(stage 1, a) and Q(stage 2 state, a) learned
 * by SARSA(lambda); model-based values Q_MB(a) = sum over states of P(state | a) max Q(state, .)
 * with the known 0.7 / 0.3 transitions; stage-1 choice by softmax (beta1) over
 * w Q_MB + (1 - w) Q_MF plus a perseveration bonus for repeating the last stage-1 choice;
 * stage-2 choice by softmax (beta2). w = 1 is purely model-based, w = 0 purely model-free.
 */
export interface TwoStepHybridParams {
  /** Stage-1 learning rate (0-1). */
  alpha1: number;
  /** Stage-2 learning rate (0-1). */
  alpha2: number;
  /** Eligibility: how much the stage-2 error also updates the stage-1 value (0-1). */
  lambda: number;
  /** Stage-1 inverse temperature. */
  beta1: number;
  /** Stage-2 inverse temperature. */
  beta2: number;
  /** Model-based weight (0-1). */
  w: number;
  /** Perseveration: added to the logit of repeating the previous stage-1 choice. */
  perseveration: number;
}

/** One two-step trial: choices 0/1, stage-2 state 1 or 2 (TwoStepEnv's observation; state 1 is common after choice 0). */
export interface TwoStepTrial {
  level1_choice: number;
  level2_state: number;
  level2_choice: number;
  reward: number;
}

/** The mutable model state: values [q1a0, q1a1, s1a0, s1a1, s2a0, s2a1] and last choice. */
export interface TwoStepModelState {
  q: Float64Array;
  previousChoice: number;
}

export function newTwoStepState(): TwoStepModelState {
  return { q: new Float64Array(6), previousChoice: -1 };
}

/** P(stage-1 choice = 1) under the hybrid. */
export function stageOneProbability(state: TwoStepModelState, p: TwoStepHybridParams, commonProbability = 0.7): number {
  const q = state.q;
  const max1 = Math.max(q[2] as number, q[3] as number);
  const max2 = Math.max(q[4] as number, q[5] as number);
  const mb0 = commonProbability * max1 + (1 - commonProbability) * max2;
  const mb1 = (1 - commonProbability) * max1 + commonProbability * max2;
  const net0 = p.w * mb0 + (1 - p.w) * (q[0] as number);
  const net1 = p.w * mb1 + (1 - p.w) * (q[1] as number);
  const stick = state.previousChoice < 0 ? 0 : state.previousChoice === 1 ? 1 : -1;
  return logistic(p.beta1 * (net1 - net0) + p.perseveration * stick);
}

/** P(stage-2 choice = 1) in stage-2 state 1 or 2 (values q[2 * state], q[2 * state + 1]). */
export function stageTwoProbability(state: TwoStepModelState, p: TwoStepHybridParams, level2State: number): number {
  const base = 2 * level2State;
  return logistic(p.beta2 * ((state.q[base + 1] as number) - (state.q[base] as number)));
}

/** Learn from one trial (hBayesDM's update order); returns the stage-1 and stage-2 errors. */
export function updateTwoStep(state: TwoStepModelState, p: TwoStepHybridParams, trial: TwoStepTrial): { delta1: number; delta2: number } {
  const q = state.q;
  const i1 = trial.level1_choice;
  const i2 = 2 * trial.level2_state + trial.level2_choice;
  const delta1 = (q[i2] as number) - (q[i1] as number);
  q[i1] = (q[i1] as number) + p.alpha1 * delta1;
  const delta2 = trial.reward - (q[i2] as number);
  q[i2] = (q[i2] as number) + p.alpha2 * delta2;
  q[i1] = (q[i1] as number) + p.lambda * p.alpha1 * (trial.reward - (q[i2] as number));
  state.previousChoice = i1;
  return { delta1, delta2 };
}

/** Log-likelihood of a sequence of trials (both stages' choices) under the hybrid. */
export function twoStepLogLikelihood(p: TwoStepHybridParams, trials: TwoStepTrial[], include?: (index: number) => boolean): number {
  const state = newTwoStepState();
  let total = 0;
  trials.forEach((trial, index) => {
    if (!include || include(index)) {
      const p1 = stageOneProbability(state, p);
      const p2 = stageTwoProbability(state, p, trial.level2_state);
      total += Math.log(Math.max(1e-300, trial.level1_choice === 1 ? p1 : 1 - p1));
      total += Math.log(Math.max(1e-300, trial.level2_choice === 1 ? p2 : 1 - p2));
    }
    updateTwoStep(state, p, trial);
  });
  return total;
}

/** A played two-step trial with the transition type. */
export interface PlayedTwoStepTrial extends TwoStepTrial {
  transition: 'common' | 'rare';
}

/**
 * An agent that plays TwoStepEnv with the hybrid model. Records per trial "rpe" (stage-2
 * error), "rpe_stage1", "value" (chosen stage-1 net value proxy: Q_MF), "policy" (P of the
 * chosen stage-1 action).
 *
 * @example
 *   const agent = new TwoStepHybridAgent({ alpha1: 0.5, alpha2: 0.5, lambda: 1, beta1: 5, beta2: 5, w: 1, perseveration: 0 }, 1);
 *   const trials = agent.play(new TwoStepEnv(), 1000, 1);
 */
export class TwoStepHybridAgent {
  readonly params: TwoStepHybridParams;
  readonly state = newTwoStepState();
  readonly recorder = new SignalRecorder(['rpe', 'rpe_stage1', 'value', 'policy']);
  private readonly random: Random;
  updates = 0;

  constructor(params: TwoStepHybridParams, seed = 0) {
    for (const key of ['alpha1', 'alpha2', 'lambda', 'w'] as const) {
      if (!(params[key] >= 0 && params[key] <= 1)) throw new CajalError('INVALID_ARGUMENT', `${key} = ${params[key]} must be in [0, 1]`, { field: key });
    }
    this.params = params;
    this.random = agentRandom(seed);
  }

  /** Play one trial (an episode of a two-step environment). */
  runEpisode(env: Environment<number, number>, options: { reset?: ResetOptions } = {}): PlayedTwoStepTrial {
    env.reset(options.reset);
    const p1 = stageOneProbability(this.state, this.params);
    const a1 = this.random.uniform() < p1 ? 1 : 0;
    const first = env.step(a1);
    const s2 = first.observation;
    if (s2 !== 1 && s2 !== 2) throw new CajalError('INVALID_ARGUMENT', `stage-2 state ${s2} is not 1 or 2`, { field: 'observation' });
    const p2 = stageTwoProbability(this.state, this.params, s2);
    const a2 = this.random.uniform() < p2 ? 1 : 0;
    const second = env.step(a2);
    const trial: PlayedTwoStepTrial = { level1_choice: a1, level2_state: s2, level2_choice: a2, reward: second.reward, transition: first.info['transition'] === 'rare' ? 'rare' : 'common' };
    const value = this.state.q[a1] as number;
    const { delta1, delta2 } = updateTwoStep(this.state, this.params, trial);
    this.updates++;
    this.recorder.record({ rpe: delta2, rpe_stage1: delta1, value, policy: a1 === 1 ? p1 : 1 - p1 });
    return trial;
  }

  /** Play `trials` trials, seeding the environment on the first. */
  play(env: Environment<number, number>, trials: number, seed = 0): PlayedTwoStepTrial[] {
    const out: PlayedTwoStepTrial[] = [];
    for (let t = 0; t < trials; t++) out.push(this.runEpisode(env, t === 0 ? { reset: { seed } } : {}));
    return out;
  }
}
