import { CajalError, createRandom, throttleProgress, throwIfAborted, type Environment, type LongOperationOptions, type Random, type ResetOptions } from '@cajal/core';
import { observationEncoder, type ObservationEncoder } from './features.ts';
import { sampleIndex, softmax } from './math.ts';
import { SignalRecorder } from './recorder.ts';

/**
 * Control agents with linear function approximation (tabular on discrete observations):
 * Q-learning (off-policy, max over next actions), SARSA (on-policy) and actor-critic
 * (softmax actor with preferences theta_a . phi, TD critic V = v . phi). Each records, per
 * step, the channels "rpe", "value" (Q of the chosen action, or V for actor-critic),
 * "policy" (probability of the chosen action), "action" and "reward".
 *
 * @example
 *   const env = new GridworldEnv();
 *   const agent = createAgent('q-learning', env, { seed: 1 });
 *   const curve = trainAgent(agent, env, 200, { seed: 1 });
 */
export type AgentKind = 'q-learning' | 'sarsa' | 'actor-critic';

export interface ControlOptions {
  /** Learning rate (default 0.1; the critic's for actor-critic). */
  alpha?: number;
  /** Actor learning rate (actor-critic, default 0.05). */
  actorAlpha?: number;
  /** Discount (default 0.95). */
  gamma?: number;
  /** Exploration: epsilon-greedy probability for Q-learning/SARSA (default 0.1). */
  epsilon?: number;
  /** Use softmax with this inverse temperature instead of epsilon-greedy (Q-learning/SARSA). */
  beta?: number;
  /** Initial Q values (default 0). */
  initialValue?: number;
  seed?: number;
}

export interface EpisodeResult {
  total_reward: number;
  steps: number;
  /** Mean absolute prediction error over the episode. */
  mean_abs_rpe: number;
  last_info: Record<string, unknown>;
}

/** Anything that learns by playing episodes of an Environment. */
export interface LearningAgent {
  readonly kind: string;
  readonly recorder: SignalRecorder;
  /** Updates applied so far. */
  updates: number;
  runEpisode(env: Environment<unknown, number>, options?: { reset?: ResetOptions; learn?: boolean }): EpisodeResult;
}

/**
 * The agent's own random stream, derived from `seed` so that an agent and an environment
 * given the same seed do not draw identical numbers (which would correlate choices and rewards).
 */
export function agentRandom(seed: number): Random {
  return createRandom((Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + 0x7f4a7c15) >>> 0);
}

function actionCount(env: Environment<unknown, number>): number {
  if (env.actionSpace.kind !== 'discrete') throw new CajalError('INVALID_ARGUMENT', `agent needs a discrete action space, got ${env.actionSpace.kind}`, { field: 'actionSpace' });
  return env.actionSpace.n;
}

export class ValueControlAgent implements LearningAgent {
  readonly kind: 'q-learning' | 'sarsa';
  readonly recorder = new SignalRecorder(['rpe', 'value', 'policy', 'action', 'reward']);
  readonly weights: Float64Array[];
  readonly encoder: ObservationEncoder;
  private readonly options: ControlOptions;
  private readonly random: Random;
  updates = 0;

  constructor(kind: 'q-learning' | 'sarsa', env: Environment<unknown, number>, options: ControlOptions = {}) {
    this.kind = kind;
    this.options = options;
    this.encoder = observationEncoder(env.observationSpace);
    const n = actionCount(env);
    const init = options.initialValue ?? 0;
    // With one-hot features the initial Q value is the weight; with box features, the bias weight.
    this.weights = Array.from({ length: n }, () => {
      const w = new Float64Array(this.encoder.size);
      if (env.observationSpace.kind === 'discrete') w.fill(init);
      else w[this.encoder.size - 1] = init;
      return w;
    });
    this.random = agentRandom(options.seed ?? 0);
  }

  /** Q(phi, a) for every action. */
  actionValues(phi: Float64Array): Float64Array {
    const q = new Float64Array(this.weights.length);
    for (let a = 0; a < q.length; a++) {
      const w = this.weights[a] as Float64Array;
      let v = 0;
      for (let i = 0; i < phi.length; i++) v += (w[i] as number) * (phi[i] as number);
      q[a] = v;
    }
    return q;
  }

  /** Action probabilities of the behaviour policy. */
  policy(q: Float64Array): Float64Array {
    if (this.options.beta !== undefined) return softmax(q, this.options.beta);
    const epsilon = this.options.epsilon ?? 0.1;
    const p = new Float64Array(q.length).fill(epsilon / q.length);
    let best = 0;
    for (let a = 1; a < q.length; a++) if ((q[a] as number) > (q[best] as number)) best = a;
    p[best] = (p[best] as number) + 1 - epsilon;
    return p;
  }

  runEpisode(env: Environment<unknown, number>, options: { reset?: ResetOptions; learn?: boolean } = {}): EpisodeResult {
    const learn = options.learn ?? true;
    const alpha = this.options.alpha ?? 0.1;
    const gamma = this.options.gamma ?? 0.95;
    let phi = this.encoder.encode(env.reset(options.reset).observation);
    let q = this.actionValues(phi);
    let p = this.policy(q);
    let action = sampleIndex(p, this.random.uniform());
    let total = 0;
    let steps = 0;
    let absRpe = 0;
    let info: Record<string, unknown> | undefined;
    this.recorder.mark('episode start');
    for (;;) {
      const step = env.step(action);
      total += step.reward;
      steps++;
      info = step.info;
      const nextPhi = this.encoder.encode(step.observation);
      const nextQ = this.actionValues(nextPhi);
      const nextP = this.policy(nextQ);
      const nextAction = sampleIndex(nextP, this.random.uniform());
      let target = step.reward;
      if (!step.terminated) target += gamma * (this.kind === 'q-learning' ? Math.max(...nextQ) : (nextQ[nextAction] as number));
      const delta = target - (q[action] as number);
      absRpe += Math.abs(delta);
      this.recorder.record({ rpe: delta, value: q[action] as number, policy: p[action] as number, action, reward: step.reward });
      if (learn) {
        const w = this.weights[action] as Float64Array;
        for (let i = 0; i < phi.length; i++) w[i] = (w[i] as number) + alpha * delta * (phi[i] as number);
        this.updates++;
      }
      if (step.terminated || step.truncated) break;
      phi = nextPhi;
      q = this.actionValues(phi);
      p = nextP;
      action = nextAction;
    }
    return { total_reward: total, steps, mean_abs_rpe: absRpe / steps, last_info: info ?? {} };
  }
}

export class ActorCriticAgent implements LearningAgent {
  readonly kind = 'actor-critic';
  readonly recorder = new SignalRecorder(['rpe', 'value', 'policy', 'action', 'reward']);
  readonly critic: Float64Array;
  readonly actor: Float64Array[];
  readonly encoder: ObservationEncoder;
  private readonly options: ControlOptions;
  private readonly random: Random;
  updates = 0;

  constructor(env: Environment<unknown, number>, options: ControlOptions = {}) {
    this.options = options;
    this.encoder = observationEncoder(env.observationSpace);
    this.critic = new Float64Array(this.encoder.size);
    this.actor = Array.from({ length: actionCount(env) }, () => new Float64Array(this.encoder.size));
    this.random = agentRandom(options.seed ?? 0);
  }

  /** Softmax policy over actor preferences. */
  policy(phi: Float64Array): Float64Array {
    const prefs = this.actor.map((w) => w.reduce((s, wi, i) => s + wi * (phi[i] as number), 0));
    return softmax(prefs, 1);
  }

  value(phi: Float64Array): number {
    let v = 0;
    for (let i = 0; i < phi.length; i++) v += (this.critic[i] as number) * (phi[i] as number);
    return v;
  }

  runEpisode(env: Environment<unknown, number>, options: { reset?: ResetOptions; learn?: boolean } = {}): EpisodeResult {
    const learn = options.learn ?? true;
    const alpha = this.options.alpha ?? 0.1;
    const actorAlpha = this.options.actorAlpha ?? 0.05;
    const gamma = this.options.gamma ?? 0.95;
    let phi = this.encoder.encode(env.reset(options.reset).observation);
    let total = 0;
    let steps = 0;
    let absRpe = 0;
    let info: Record<string, unknown> | undefined;
    this.recorder.mark('episode start');
    for (;;) {
      const p = this.policy(phi);
      const action = sampleIndex(p, this.random.uniform());
      const step = env.step(action);
      total += step.reward;
      steps++;
      info = step.info;
      const nextPhi = this.encoder.encode(step.observation);
      const v = this.value(phi);
      const delta = step.reward + (step.terminated ? 0 : gamma * this.value(nextPhi)) - v;
      absRpe += Math.abs(delta);
      this.recorder.record({ rpe: delta, value: v, policy: p[action] as number, action, reward: step.reward });
      if (learn) {
        for (let i = 0; i < phi.length; i++) this.critic[i] = (this.critic[i] as number) + alpha * delta * (phi[i] as number);
        for (let a = 0; a < this.actor.length; a++) {
          const w = this.actor[a] as Float64Array;
          const g = (a === action ? 1 : 0) - (p[a] as number);
          for (let i = 0; i < phi.length; i++) w[i] = (w[i] as number) + actorAlpha * delta * g * (phi[i] as number);
        }
        this.updates++;
      }
      if (step.terminated || step.truncated) break;
      phi = nextPhi;
    }
    return { total_reward: total, steps, mean_abs_rpe: absRpe / steps, last_info: info ?? {} };
  }
}

/** Create a control agent by name. */
export function createAgent(kind: AgentKind, env: Environment<unknown, number>, options: ControlOptions = {}): LearningAgent {
  if (kind === 'actor-critic') return new ActorCriticAgent(env, options);
  if (kind === 'q-learning' || kind === 'sarsa') return new ValueControlAgent(kind, env, options);
  throw new CajalError('INVALID_ARGUMENT', `unknown agent "${String(kind)}"`, { field: 'agent' });
}

/** Per-episode results of a training run. */
export interface LearningCurve {
  total_reward: Float32Array;
  steps: Float32Array;
  mean_abs_rpe: Float32Array;
}

/**
 * Play `episodes` episodes, learning; the first reset uses `seed`. Reports progress per
 * episode and honours `signal`.
 */
export function trainAgent(
  agent: LearningAgent,
  env: Environment<unknown, number>,
  episodes: number,
  options: LongOperationOptions & { seed?: number } = {},
): LearningCurve {
  if (!(Number.isInteger(episodes) && episodes > 0)) throw new CajalError('INVALID_ARGUMENT', `episodes ${episodes} must be a positive integer`, { field: 'episodes' });
  const progress = throttleProgress(options.onProgress);
  const curve: LearningCurve = { total_reward: new Float32Array(episodes), steps: new Float32Array(episodes), mean_abs_rpe: new Float32Array(episodes) };
  for (let e = 0; e < episodes; e++) {
    if (e % 16 === 0) throwIfAborted(options.signal, 'training');
    const result = agent.runEpisode(env, e === 0 ? { reset: { seed: options.seed ?? 0 } } : {});
    curve.total_reward[e] = result.total_reward;
    curve.steps[e] = result.steps;
    curve.mean_abs_rpe[e] = result.mean_abs_rpe;
    progress({ done: e + 1, total: episodes, stage: 'episodes' });
  }
  return curve;
}
