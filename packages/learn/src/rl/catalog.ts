import { CajalError, createRandom, throttleProgress, throwIfAborted, type Environment, type LongOperationOptions, type Recording } from '@cajal/core';
import { BanditEnv, ReversalLearningEnv } from '../env/bandit.ts';
import { blockingDesign, conditionedInhibitionDesign, CueCompoundEnv, overshadowingDesign } from '../env/compound.ts';
import { TimedConditioningEnv } from '../env/conditioning.ts';
import { GridworldEnv } from '../env/gridworld.ts';
import { RewardDistributionEnv } from '../env/reward-distribution.ts';
import { featureCount } from '../env/representation.ts';
import { DelayedMatchToSampleEnv, PerceptualDecisionEnv } from '../env/timed-tasks.ts';
import { TwoStepEnv } from '../env/two-step.ts';
import { createAgent, type AgentKind } from './control.ts';
import { dabneyRewardDistribution, DistributionalTDAgent } from './distributional.ts';
import { TwoStepHybridAgent, type PlayedTwoStepTrial } from './hybrid.ts';
import { RescorlaWagnerAgent } from './rescorla-wagner.ts';
import { stayAnalysis } from './stay-analysis.ts';
import { TDAgent } from './td.ts';

/**
 * Named agents and environments, and one `trainByName` that plays any sensible pairing and
 * returns learning curves, within-trial prediction-error snapshots and the agent's Recording
 * (what `cajal train` draws).
 *
 * @example
 *   const result = trainByName('td-lambda', 'conditioning', { episodes: 200, seed: 1 });
 *   result.curves.find((c) => c.name === 'cue_rpe');
 */
export const agentNames = ['td', 'td-lambda', 'rescorla-wagner', 'q-learning', 'sarsa', 'actor-critic', 'distributional-td', 'model-based', 'model-free', 'hybrid'] as const;
export type AgentName = (typeof agentNames)[number];

export const environmentNames = [
  'conditioning',
  'conditioning-microstimulus',
  'blocking',
  'overshadowing',
  'conditioned-inhibition',
  'bandit',
  'restless-bandit',
  'reversal',
  'two-step',
  'gridworld',
  'perceptual-decision',
  'delayed-match',
  'reward-distribution',
] as const;
export type EnvironmentName = (typeof environmentNames)[number];

/** Which environments each agent can play. */
export const compatibleEnvironments: Record<AgentName, EnvironmentName[]> = {
  td: ['conditioning', 'conditioning-microstimulus'],
  'td-lambda': ['conditioning', 'conditioning-microstimulus'],
  'rescorla-wagner': ['blocking', 'overshadowing', 'conditioned-inhibition'],
  'q-learning': ['bandit', 'restless-bandit', 'reversal', 'two-step', 'gridworld', 'perceptual-decision', 'delayed-match'],
  sarsa: ['bandit', 'restless-bandit', 'reversal', 'two-step', 'gridworld', 'perceptual-decision', 'delayed-match'],
  'actor-critic': ['bandit', 'restless-bandit', 'reversal', 'two-step', 'gridworld', 'perceptual-decision', 'delayed-match'],
  'distributional-td': ['reward-distribution'],
  'model-based': ['two-step'],
  'model-free': ['two-step'],
  hybrid: ['two-step'],
};

export interface TrainingCurve {
  name: string;
  /** One value per episode. */
  values: Float32Array;
}

export interface TrainingResult {
  agent: AgentName;
  environment: EnvironmentName;
  episodes: number;
  seed: number;
  curves: TrainingCurve[];
  /** Within-episode prediction error at chosen episodes (TD agents), for "dopamine" plots. */
  rpe_snapshots: Array<{ label: string; rpe: Float32Array }>;
  recording: Recording;
  summary: Record<string, number | string>;
  /** Agent updates and environment steps performed. */
  updates: number;
  environment_steps: number;
}

/** Build a named environment. */
export function createEnvironment(name: EnvironmentName): Environment<unknown, number> {
  switch (name) {
    case 'conditioning':
    case 'conditioning-microstimulus':
      return new TimedConditioningEnv({
        trialTypes: [{ name: 'CS', cues: [{ cue: 0, onset: 5 }], rewardStep: 15 }],
        trialLength: 30,
        representation: name === 'conditioning' ? 'csc' : 'microstimulus',
      });
    case 'blocking':
      return new CueCompoundEnv(blockingDesign());
    case 'overshadowing':
      return new CueCompoundEnv(overshadowingDesign());
    case 'conditioned-inhibition':
      return new CueCompoundEnv(conditionedInhibitionDesign());
    case 'bandit':
      return new BanditEnv({ probabilities: [0.8, 0.2] });
    case 'restless-bandit':
      return new BanditEnv({ probabilities: [0.6, 0.4, 0.5, 0.3], driftStd: 0.05, driftBounds: [0.05, 0.95] });
    case 'reversal':
      return new ReversalLearningEnv();
    case 'two-step':
      return new TwoStepEnv();
    case 'gridworld':
      return new GridworldEnv();
    case 'perceptual-decision':
      return new PerceptualDecisionEnv({ stimulusDuringDecision: true, coherences: [0.256, 0.512, 1] });
    case 'delayed-match':
      return new DelayedMatchToSampleEnv({ delaySteps: [2, 4] });
    case 'reward-distribution':
      return new RewardDistributionEnv(dabneyRewardDistribution);
    default:
      throw new CajalError('NOT_FOUND', `no environment "${String(name)}"; known: ${environmentNames.join(', ')}`, { field: 'env' });
  }
}

function smooth(values: Float32Array, window: number): Float32Array {
  const out = new Float32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] as number;
    if (i >= window) sum -= values[i - window] as number;
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

/** One line per agent, for help texts and `cajal train --list`. */
export const agentDescriptions: Record<AgentName, string> = {
  td: 'TD(0) on a timed-conditioning representation; its prediction error is the model of dopamine',
  'td-lambda': 'TD(lambda = 0.9) with eligibility traces on the same representations',
  'rescorla-wagner': 'Rescorla-Wagner trial-level learning of compound-cue associations',
  'q-learning': 'tabular / linear Q-learning, epsilon-greedy',
  sarsa: 'on-policy SARSA, epsilon-greedy',
  'actor-critic': 'softmax actor with a TD critic',
  'distributional-td': '20 units with asymmetric learning rates for positive and negative errors (Dabney et al. 2020)',
  'model-based': 'two-step agent planning with the known transition matrix (w = 1)',
  'model-free': 'two-step SARSA(lambda = 1) agent (w = 0)',
  hybrid: 'two-step model-based/model-free mixture (w = 0.5; Daw et al. 2011)',
};

/** One line per environment, for help texts and `cajal train --list`. */
export const environmentDescriptions: Record<EnvironmentName, string> = {
  conditioning: 'cue at step 5, reward at step 15 of 30; complete serial compound features',
  'conditioning-microstimulus': 'the same trial with microstimulus features (Ludvig et al. 2008)',
  blocking: 'A+ then AB+ with a CD+ control (Kamin 1969)',
  overshadowing: 'salient A with weak B, AB+, and C+ alone',
  'conditioned-inhibition': 'A+ interleaved with AX-',
  bandit: '2-armed bandit, reward probabilities 0.8 / 0.2',
  'restless-bandit': '4-armed bandit with drifting reward probabilities (SD 0.05 per trial)',
  reversal: 'probabilistic reversal learning (0.8 / 0.2, reverses after a run of correct choices)',
  'two-step': 'two-step task (Daw et al. 2011): 0.7 common transitions, drifting reward probabilities',
  gridworld: 'a small gridworld with walls and a goal',
  'perceptual-decision': 'neurogym-style random-dot decision (coherences 0.256, 0.512, 1)',
  'delayed-match': 'delayed match-to-sample with delays of 2 or 4 steps',
  'reward-distribution': 'rewards drawn from the Dabney et al. 2020 juice distribution (for distributional TD)',
};

type TrainOptions = LongOperationOptions & { episodes?: number; seed?: number };

/**
 * Train agent `agentName` on environment `environmentName` for `episodes` episodes
 * (synchronously; see `trainByNameAsync` for a version that lets the event loop run, so
 * Ctrl-C and other callbacks can cancel it).
 */
export function trainByName(agentName: string, environmentName: string, options: TrainOptions = {}): TrainingResult {
  const steps = trainSteps(agentName, environmentName, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * `trainByName` that hands control back to the event loop about every `sliceMs` (default 25 ms),
 * so an `AbortSignal` fired from a signal handler or UI stops it.
 */
export async function trainByNameAsync(agentName: string, environmentName: string, options: TrainOptions & { sliceMs?: number } = {}): Promise<TrainingResult> {
  const steps = trainSteps(agentName, environmentName, options);
  const slice = options.sliceMs ?? 25;
  let last = Date.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (Date.now() - last >= slice) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = Date.now();
    }
  }
}

function* trainSteps(agentName: string, environmentName: string, options: TrainOptions): Generator<void, TrainingResult> {
  if (!(agentNames as readonly string[]).includes(agentName)) throw new CajalError('NOT_FOUND', `no agent "${agentName}"; known: ${agentNames.join(', ')}`, { field: 'agent' });
  if (!(environmentNames as readonly string[]).includes(environmentName)) throw new CajalError('NOT_FOUND', `no environment "${environmentName}"; known: ${environmentNames.join(', ')}`, { field: 'env' });
  const agent = agentName as AgentName;
  const envName = environmentName as EnvironmentName;
  if (!compatibleEnvironments[agent].includes(envName)) {
    throw new CajalError('INVALID_ARGUMENT', `agent "${agent}" cannot play "${envName}"; it plays: ${compatibleEnvironments[agent].join(', ')}`, { field: 'env' });
  }
  const seed = options.seed ?? 0;
  const env = createEnvironment(envName);
  const episodes = options.episodes ?? (env instanceof CueCompoundEnv ? env.trialCount : envName === 'gridworld' ? 300 : 500);
  if (!(Number.isInteger(episodes) && episodes > 0)) throw new CajalError('INVALID_ARGUMENT', `episodes ${episodes} must be a positive integer`, { field: 'episodes' });
  const progress = throttleProgress(options.onProgress);
  const tick = (e: number): void => {
    if (e % 16 === 0) throwIfAborted(options.signal, 'training');
    progress({ done: e + 1, total: episodes, stage: 'episodes' });
  };
  const base = { agent, environment: envName, episodes, seed };

  if (agent === 'td' || agent === 'td-lambda') {
    const timed = env as TimedConditioningEnv;
    const td = new TDAgent({ featureCount: featureCount(timed.representation), alpha: 0.1, gamma: 0.98, lambda: agent === 'td' ? 0 : 0.9 });
    const cue = new Float32Array(episodes);
    const reward = new Float32Array(episodes);
    const snapshots: Array<{ label: string; rpe: Float32Array }> = [];
    const marks = new Set([0, Math.floor(episodes / 10), Math.floor(episodes / 3), episodes - 1]);
    let steps = 0;
    for (let e = 0; e < episodes; e++) {
      const trace = td.runEpisode(timed, e === 0 ? { reset: { seed } } : {});
      steps += trace.rpe.length;
      cue[e] = trace.rpe[4] as number;
      reward[e] = trace.rpe[14] as number;
      if (marks.has(e)) snapshots.push({ label: `trial ${e + 1}`, rpe: trace.rpe });
      tick(e);
      if (e % 16 === 15) yield;
    }
    const omitted = td.runEpisode(new TimedConditioningEnv({ trialTypes: [{ name: 'omission', cues: [{ cue: 0, onset: 5 }], rewardStep: 15, rewardProbability: 0 }], trialLength: 30, representation: timed.representation.kind }), { learn: false, reset: { seed } });
    snapshots.push({ label: 'reward omitted (after training)', rpe: omitted.rpe });
    return {
      ...base,
      curves: [{ name: 'cue_rpe', values: cue }, { name: 'reward_rpe', values: reward }],
      rpe_snapshots: snapshots,
      recording: td.recorder.toRecording({ sampleRateHz: 1 / timed.stepSeconds, source: `${agent} on ${envName}` }),
      summary: { final_cue_rpe: cue[episodes - 1] as number, final_reward_rpe: reward[episodes - 1] as number, omitted_reward_rpe: omitted.rpe[14] as number },
      updates: td.updates,
      environment_steps: steps,
    };
  }

  if (agent === 'rescorla-wagner') {
    const compound = env as CueCompoundEnv;
    const names = compound.design.cueNames;
    const rw = new RescorlaWagnerAgent({ cueCount: names.length, salience: names.map((n, i) => (envName === 'overshadowing' ? (i === 0 ? 0.3 : 0.05) : 0.2)), cueNames: names });
    const strengths = names.map(() => new Float32Array(episodes));
    const errors = new Float32Array(episodes);
    for (let e = 0; e < episodes; e++) {
      errors[e] = rw.runEpisode(compound, e === 0 ? { reset: { seed } } : {});
      names.forEach((_, i) => ((strengths[i] as Float32Array)[e] = rw.strengths[i] as number));
      tick(e);
      if (e % 16 === 15) yield;
    }
    const summary: Record<string, number> = {};
    names.forEach((n, i) => (summary[`V_${n}`] = rw.strengths[i] as number));
    return {
      ...base,
      curves: [...names.map((n, i) => ({ name: `V_${n}`, values: strengths[i] as Float32Array })), { name: 'prediction_error', values: errors }],
      rpe_snapshots: [],
      recording: rw.recorder.toRecording({ source: `${agent} on ${envName}` }),
      summary,
      updates: rw.updates,
      environment_steps: episodes,
    };
  }

  if (agent === 'distributional-td') {
    const random = createRandom(seed);
    const units = 20;
    const alphaPlus = Array.from({ length: units }, () => random.uniformRange(0.005, 0.05));
    const alphaMinus = Array.from({ length: units }, () => random.uniformRange(0.005, 0.05));
    const dist = new DistributionalTDAgent({ alphaPlus, alphaMinus });
    const curves = Array.from({ length: units }, () => new Float32Array(episodes));
    const rewards = env as RewardDistributionEnv;
    for (let e = 0; e < episodes; e++) {
      rewards.reset(e === 0 ? { seed } : {});
      dist.update(rewards.step(0).reward);
      dist.values.forEach((v, i) => ((curves[i] as Float32Array)[e] = v));
      tick(e);
      if (e % 16 === 15) yield;
    }
    const taus = dist.asymmetries();
    const order = Array.from(taus.keys()).sort((a, b) => (taus[a] as number) - (taus[b] as number));
    return {
      ...base,
      curves: order.map((i) => ({ name: `unit ${i} value (tau ${(taus[i] as number).toFixed(2)})`, values: curves[i] as Float32Array })),
      rpe_snapshots: [],
      recording: dist.recorder.toRecording({ source: `${agent} on ${envName}` }),
      summary: { lowest_value: Math.min(...dist.values), highest_value: Math.max(...dist.values), units },
      updates: dist.updates,
      environment_steps: episodes,
    };
  }

  if (agent === 'model-based' || agent === 'model-free' || agent === 'hybrid') {
    const w = agent === 'model-based' ? 1 : agent === 'model-free' ? 0 : 0.5;
    const hybrid = new TwoStepHybridAgent({ alpha1: 0.5, alpha2: 0.5, lambda: w === 1 ? 0 : 1, beta1: 5, beta2: 5, w, perseveration: 0 }, seed);
    const rewards = new Float32Array(episodes);
    const trials: PlayedTwoStepTrial[] = [];
    for (let e = 0; e < episodes; e++) {
      const trial = hybrid.runEpisode(env as TwoStepEnv, e === 0 ? { reset: { seed } } : {});
      trials.push(trial);
      rewards[e] = trial.reward;
      tick(e);
      if (e % 16 === 15) yield;
    }
    const summary: Record<string, number | string> = { mean_reward: rewards.reduce((a, b) => a + b, 0) / episodes, w };
    if (episodes >= 10) {
      const stay = stayAnalysis(trials);
      Object.assign(summary, {
        stay_rewarded_common: stay.rewarded_common,
        stay_rewarded_rare: stay.rewarded_rare,
        stay_unrewarded_common: stay.unrewarded_common,
        stay_unrewarded_rare: stay.unrewarded_rare,
        logistic_reward: stay.coefficients[1],
        logistic_interaction: stay.coefficients[3],
      });
    }
    return {
      ...base,
      curves: [{ name: 'reward (20-trial mean)', values: smooth(rewards, 20) }],
      rpe_snapshots: [],
      recording: hybrid.recorder.toRecording({ source: `${agent} on ${envName}` }),
      summary,
      updates: hybrid.updates,
      environment_steps: 2 * episodes,
    };
  }

  const control = createAgent(agent as AgentKind, env, { seed, alpha: envName === 'gridworld' ? 0.5 : envName === 'reversal' ? 0.3 : 0.1, epsilon: 0.05, actorAlpha: 0.2 });
  const totals = new Float32Array(episodes);
  const lengths = new Float32Array(episodes);
  const absRpe = new Float32Array(episodes);
  let steps = 0;
  for (let e = 0; e < episodes; e++) {
    const result = control.runEpisode(env, e === 0 ? { reset: { seed } } : {});
    totals[e] = result.total_reward;
    lengths[e] = result.steps;
    absRpe[e] = result.mean_abs_rpe;
    steps += result.steps;
    tick(e);
    if (e % 16 === 15) yield;
  }
  const window = Math.max(1, Math.min(50, Math.floor(episodes / 10)));
  const tail = totals.slice(-window);
  return {
    ...base,
    curves: [
      { name: `return (${window}-episode mean)`, values: smooth(totals, window) },
      { name: `steps (${window}-episode mean)`, values: smooth(lengths, window) },
      { name: `mean |rpe| (${window}-episode mean)`, values: smooth(absRpe, window) },
    ],
    rpe_snapshots: [],
    recording: control.recorder.toRecording({ source: `${agent} on ${envName}` }),
    summary: {
      final_mean_return: tail.reduce((a, b) => a + b, 0) / tail.length,
      // Reversals come only after a run of correct choices, so in this task the count of
      // reversals earned (a chance player earns almost none) measures learning, not the return.
      ...(env instanceof ReversalLearningEnv ? { reversals: env.reversals.length } : {}),
    },
    updates: control.updates,
    environment_steps: steps,
  };
}
