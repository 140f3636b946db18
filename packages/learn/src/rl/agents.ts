import { CajalError, createRandom, spaceSize, throttleProgress, throwIfAborted, type Environment, type LongOperationOptions, type Recording } from '@cajal/core';
import { createAgent, type AgentKind } from './control.ts';
import { DistributionalTDAgent } from './distributional.ts';
import { TwoStepHybridAgent, type PlayedTwoStepTrial } from './hybrid.ts';
import { RescorlaWagnerAgent } from './rescorla-wagner.ts';
import { stayAnalysis } from './stay-analysis.ts';
import { TDAgent } from './td.ts';

/**
 * The agents of @cajal/learn as a registry, one entry per agent (as sim's backends are): its
 * name, a line describing it, the kind of task it plays (`plays`, described by what it needs
 * of an `Environment`, so learn imports no task) and how it trains (`train`). Which named
 * task offers which kinds, and the pairing of the two, live in @cajal/compare
 * (`runAgentOnTask`), above both this package and @cajal/tasks.
 *
 * @example
 *   const result = runAgent('td-lambda', { name: 'conditioning', environment, conditioning }, { episodes: 200, seed: 1 });
 *   result.curves.find((c) => c.name === 'cue_rpe');
 */

/**
 * What an agent needs of a task:
 * - `choice`: discrete actions, any observation, episodes that end (q-learning, SARSA, actor-critic);
 * - `timed-conditioning`: one timed trial per episode with feature-vector observations and a
 *   single action, plus `PlayableTask.conditioning` (TD);
 * - `cue-compound`: one step per trial whose observation is the cues present, plus
 *   `PlayableTask.cueNames` (Rescorla-Wagner);
 * - `two-step`: Daw et al.'s two-step trial: a stage-one action, the second-stage state (1 or
 *   2) as observation, a stage-two action, then the reward (model-based, model-free, hybrid);
 * - `single-step-reward`: one step per episode whose reward is drawn from a distribution
 *   (distributional TD).
 */
export type TaskKind = 'choice' | 'timed-conditioning' | 'cue-compound' | 'two-step' | 'single-step-reward';

/** A task handed to an agent: the environment and what its kind needs beside it. */
export interface PlayableTask {
  /** Name used in labels and results ("conditioning"). */
  name: string;
  environment: Environment<unknown, number>;
  /** Episodes when the caller gives none (default 500). */
  episodes?: number;
  /** `choice` agents' learning rate on this task (default 0.1). */
  alpha?: number;
  /** `cue-compound`: the cue names (one per feature) and each cue's salience (default 0.2 each). */
  cueNames?: string[];
  salience?: number[];
  /**
   * `timed-conditioning`: the cue and reward steps (1-based; the prediction error recorded for
   * each is that of the step before it), seconds per step, and the same trial with the reward withheld.
   */
  conditioning?: { cueStep: number; rewardStep: number; stepSeconds: number; withoutReward: () => Environment<Float32Array, number> };
  /** Figures read from the task after training, added to the summary (e.g. reversals earned). */
  summarize?: () => Record<string, number>;
}

export interface TrainingCurve {
  name: string;
  /** One value per episode. */
  values: Float32Array;
}

export interface TrainingResult {
  agent: string;
  environment: string;
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

/** What `AgentEntry.train` gets besides the task: the resolved run settings. */
export interface AgentRun {
  agent: string;
  episodes: number;
  seed: number;
  /** Call after every episode: reports progress and throws ABORTED once the signal fired. */
  tick: (episode: number) => void;
  base: { agent: string; environment: string; episodes: number; seed: number };
}

/** One agent of the registry. */
export interface AgentEntry {
  readonly name: string;
  /** One line, for help texts and `cajal train --list`. */
  readonly description: string;
  readonly plays: TaskKind;
  /** Train on `task`, yielding every 16 episodes (so a caller can let the event loop run). */
  train(task: PlayableTask, run: AgentRun): Generator<void, TrainingResult>;
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

function conditioningOf(task: PlayableTask, agent: string): NonNullable<PlayableTask['conditioning']> {
  if (!task.conditioning) throw new CajalError('INVALID_ARGUMENT', `agent "${agent}" needs a timed-conditioning task with its cue and reward steps; "${task.name}" has none`, { field: 'env' });
  return task.conditioning;
}

function* trainTemporalDifference(task: PlayableTask, run: AgentRun): Generator<void, TrainingResult> {
  const { agent, episodes, seed, tick, base } = run;
  const timed = conditioningOf(task, agent);
  const environment = task.environment as Environment<Float32Array, number>;
  const td = new TDAgent({ featureCount: spaceSize(environment.observationSpace), alpha: 0.1, gamma: 0.98, lambda: agent === 'td' ? 0 : 0.9 });
  const cue = new Float32Array(episodes);
  const reward = new Float32Array(episodes);
  const snapshots: Array<{ label: string; rpe: Float32Array }> = [];
  const marks = new Set([0, Math.floor(episodes / 10), Math.floor(episodes / 3), episodes - 1]);
  let steps = 0;
  for (let e = 0; e < episodes; e++) {
    const trace = td.runEpisode(environment, e === 0 ? { reset: { seed } } : {});
    steps += trace.rpe.length;
    cue[e] = trace.rpe[timed.cueStep - 1] as number;
    reward[e] = trace.rpe[timed.rewardStep - 1] as number;
    if (marks.has(e)) snapshots.push({ label: `trial ${e + 1}`, rpe: trace.rpe });
    tick(e);
    if (e % 16 === 15) yield;
  }
  const omitted = td.runEpisode(timed.withoutReward(), { learn: false, reset: { seed } });
  snapshots.push({ label: 'reward omitted (after training)', rpe: omitted.rpe });
  return {
    ...base,
    curves: [{ name: 'cue_rpe', values: cue }, { name: 'reward_rpe', values: reward }],
    rpe_snapshots: snapshots,
    recording: td.recorder.toRecording({ sampleRateHz: 1 / timed.stepSeconds, source: `${agent} on ${task.name}` }),
    summary: { final_cue_rpe: cue[episodes - 1] as number, final_reward_rpe: reward[episodes - 1] as number, omitted_reward_rpe: omitted.rpe[timed.rewardStep - 1] as number },
    updates: td.updates,
    environment_steps: steps,
  };
}

function* trainRescorlaWagner(task: PlayableTask, run: AgentRun): Generator<void, TrainingResult> {
  const { agent, episodes, seed, tick, base } = run;
  const compound = task.environment as Environment<Float32Array, number>;
  const names = task.cueNames;
  if (!names) throw new CajalError('INVALID_ARGUMENT', `agent "${agent}" needs a cue-compound task with cueNames; "${task.name}" has none`, { field: 'env' });
  const rw = new RescorlaWagnerAgent({ cueCount: names.length, salience: task.salience ?? names.map(() => 0.2), cueNames: names });
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
    recording: rw.recorder.toRecording({ source: `${agent} on ${task.name}` }),
    summary,
    updates: rw.updates,
    environment_steps: episodes,
  };
}

function* trainDistributional(task: PlayableTask, run: AgentRun): Generator<void, TrainingResult> {
  const { agent, episodes, seed, tick, base } = run;
  const random = createRandom(seed);
  const units = 20;
  const alphaPlus = Array.from({ length: units }, () => random.uniformRange(0.005, 0.05));
  const alphaMinus = Array.from({ length: units }, () => random.uniformRange(0.005, 0.05));
  const dist = new DistributionalTDAgent({ alphaPlus, alphaMinus });
  const curves = Array.from({ length: units }, () => new Float32Array(episodes));
  const rewards = task.environment;
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
    recording: dist.recorder.toRecording({ source: `${agent} on ${task.name}` }),
    summary: { lowest_value: Math.min(...dist.values), highest_value: Math.max(...dist.values), units },
    updates: dist.updates,
    environment_steps: episodes,
  };
}

function* trainTwoStep(task: PlayableTask, run: AgentRun): Generator<void, TrainingResult> {
  const { agent, episodes, seed, tick, base } = run;
  const w = agent === 'model-based' ? 1 : agent === 'model-free' ? 0 : 0.5;
  const hybrid = new TwoStepHybridAgent({ alpha1: 0.5, alpha2: 0.5, lambda: w === 1 ? 0 : 1, beta1: 5, beta2: 5, w, perseveration: 0 }, seed);
  const rewards = new Float32Array(episodes);
  const trials: PlayedTwoStepTrial[] = [];
  for (let e = 0; e < episodes; e++) {
    const trial = hybrid.runEpisode(task.environment as Environment<number, number>, e === 0 ? { reset: { seed } } : {});
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
    recording: hybrid.recorder.toRecording({ source: `${agent} on ${task.name}` }),
    summary,
    updates: hybrid.updates,
    environment_steps: 2 * episodes,
  };
}

function* trainControl(task: PlayableTask, run: AgentRun, kind: AgentKind): Generator<void, TrainingResult> {
  const { agent, episodes, seed, tick, base } = run;
  const control = createAgent(kind, task.environment, { seed, alpha: task.alpha ?? 0.1, epsilon: 0.05, actorAlpha: 0.2 });
  const totals = new Float32Array(episodes);
  const lengths = new Float32Array(episodes);
  const absRpe = new Float32Array(episodes);
  let steps = 0;
  for (let e = 0; e < episodes; e++) {
    const result = control.runEpisode(task.environment, e === 0 ? { reset: { seed } } : {});
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
    recording: control.recorder.toRecording({ source: `${agent} on ${task.name}` }),
    summary: {
      final_mean_return: tail.reduce((a, b) => a + b, 0) / tail.length,
      ...(task.summarize?.() ?? {}),
    },
    updates: control.updates,
    environment_steps: steps,
  };
}

const control = (name: AgentKind, description: string): AgentEntry => ({ name, description, plays: 'choice', train: (task, run) => trainControl(task, run, name) });

/** Every agent, in the order `cajal train --list` shows them. */
export const agents: readonly AgentEntry[] = [
  { name: 'td', description: 'TD(0) on a timed-conditioning representation; its prediction error is the model of dopamine', plays: 'timed-conditioning', train: trainTemporalDifference },
  { name: 'td-lambda', description: 'TD(lambda = 0.9) with eligibility traces on the same representations', plays: 'timed-conditioning', train: trainTemporalDifference },
  { name: 'rescorla-wagner', description: 'Rescorla-Wagner trial-level learning of compound-cue associations', plays: 'cue-compound', train: trainRescorlaWagner },
  control('q-learning', 'tabular / linear Q-learning, epsilon-greedy'),
  control('sarsa', 'on-policy SARSA, epsilon-greedy'),
  control('actor-critic', 'softmax actor with a TD critic'),
  { name: 'distributional-td', description: '20 units with asymmetric learning rates for positive and negative errors (Dabney et al. 2020)', plays: 'single-step-reward', train: trainDistributional },
  { name: 'model-based', description: 'two-step agent planning with the known transition matrix (w = 1)', plays: 'two-step', train: trainTwoStep },
  { name: 'model-free', description: 'two-step SARSA(lambda = 1) agent (w = 0)', plays: 'two-step', train: trainTwoStep },
  { name: 'hybrid', description: 'two-step model-based/model-free mixture (w = 0.5; Daw et al. 2011)', plays: 'two-step', train: trainTwoStep },
];

/** Names of the agents, in registry order. */
export const agentNames: readonly string[] = agents.map((a) => a.name);

/** The agent named `name`; throws NOT_FOUND listing the known ones. */
export function getAgent(name: string): AgentEntry {
  const entry = agents.find((a) => a.name === name);
  if (!entry) throw new CajalError('NOT_FOUND', `no agent "${name}"; known: ${agentNames.join(', ')}`, { field: 'agent' });
  return entry;
}

/** Options of a training run: episodes (default the task's, else 500), seed (default 0), progress and cancellation. */
export type TrainOptions = LongOperationOptions & { episodes?: number; seed?: number };

/** The agent's training as steps: each `next()` runs up to 16 episodes; the last returns the result. */
function trainingSteps(agentName: string, task: PlayableTask, options: TrainOptions = {}): Generator<void, TrainingResult> {
  const entry = getAgent(agentName);
  const seed = options.seed ?? 0;
  const episodes = options.episodes ?? task.episodes ?? 500;
  if (!(Number.isInteger(episodes) && episodes > 0)) throw new CajalError('INVALID_ARGUMENT', `episodes ${episodes} must be a positive integer`, { field: 'episodes' });
  const progress = throttleProgress(options.onProgress);
  const tick = (e: number): void => {
    if (e % 16 === 0) throwIfAborted(options.signal, 'training');
    progress({ done: e + 1, total: episodes, stage: 'episodes' });
  };
  return entry.train(task, { agent: entry.name, episodes, seed, tick, base: { agent: entry.name, environment: task.name, episodes, seed } });
}

/**
 * Train agent `agentName` on `task` (synchronously; `runAgentAsync` lets the event loop run).
 *
 * @example
 *   const result = runAgent('q-learning', { name: 'bandit', environment: bandit }, { episodes: 200, seed: 4 });
 */
export function runAgent(agentName: string, task: PlayableTask, options: TrainOptions = {}): TrainingResult {
  const steps = trainingSteps(agentName, task, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * `runAgent` that hands control back to the event loop about every `sliceMs` (default 25 ms),
 * so an `AbortSignal` fired from a signal handler or UI stops it.
 */
export async function runAgentAsync(agentName: string, task: PlayableTask, options: TrainOptions & { sliceMs?: number } = {}): Promise<TrainingResult> {
  const steps = trainingSteps(agentName, task, options);
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
