import { CajalError, spaceSize, type Environment, type ResetOptions } from '@cajal/core';
import { SignalRecorder } from './recorder.ts';

/**
 * Linear TD(lambda) value learning, V(x) = w . x, with accumulating eligibility traces:
 * delta = r + gamma V(x') - V(x); e = gamma lambda e + x; w += alpha delta e.
 * lambda = 0 gives TD(0). The prediction error `delta` is the model of the phasic dopamine
 * response (Schultz, Dayan and Montague 1997). Every step is recorded on the channels
 * "rpe", "value" and "reward".
 *
 * @example
 *   const agent = new TDAgent({ featureCount: 30, alpha: 0.1, gamma: 0.98, lambda: 0.9 });
 *   const deltas = agent.runEpisode(env);
 */
export interface TDOptions {
  featureCount: number;
  /** Learning rate (default 0.1). */
  alpha?: number;
  /** Discount per step (default 0.98). */
  gamma?: number;
  /** Trace decay (default 0 = TD(0)). */
  lambda?: number;
}

export interface EpisodeTrace {
  /** Prediction error at each step (delta on the transition into step t+1). */
  rpe: Float32Array;
  /** V(x_t) before the update. */
  value: Float32Array;
  reward: Float32Array;
  info: Array<Record<string, unknown>>;
}

export class TDAgent {
  readonly weights: Float64Array;
  readonly alpha: number;
  readonly gamma: number;
  readonly lambda: number;
  readonly recorder = new SignalRecorder(['rpe', 'value', 'reward']);
  private readonly trace: Float64Array;
  /** Updates applied so far. */
  updates = 0;

  constructor(options: TDOptions) {
    if (!(options.featureCount > 0)) throw new CajalError('INVALID_ARGUMENT', `featureCount ${options.featureCount} must be > 0`, { field: 'featureCount' });
    this.weights = new Float64Array(options.featureCount);
    this.trace = new Float64Array(options.featureCount);
    this.alpha = options.alpha ?? 0.1;
    this.gamma = options.gamma ?? 0.98;
    this.lambda = options.lambda ?? 0;
  }

  /** V(x) = w . x. */
  value(x: ArrayLike<number>): number {
    let v = 0;
    for (let i = 0; i < x.length; i++) v += (this.weights[i] as number) * (x[i] as number);
    return v;
  }

  /** Clear the eligibility trace (call at the start of an episode). */
  startEpisode(): void {
    this.trace.fill(0);
  }

  /** One TD update on the transition x -r-> next; returns delta. `learn = false` only evaluates. */
  update(x: ArrayLike<number>, reward: number, next: ArrayLike<number>, terminal: boolean, learn = true): number {
    const v = this.value(x);
    const vNext = terminal ? 0 : this.value(next);
    const delta = reward + this.gamma * vNext - v;
    if (learn) {
      const decay = this.gamma * this.lambda;
      for (let i = 0; i < this.weights.length; i++) {
        const e = decay * (this.trace[i] as number) + (x[i] as number);
        this.trace[i] = e;
        this.weights[i] = (this.weights[i] as number) + this.alpha * delta * e;
      }
      this.updates++;
    }
    return delta;
  }

  /**
   * Play one episode (actions 0) on a conditioning-style environment, learning unless
   * `learn` is false; returns the per-step trace and appends to `recorder`.
   */
  runEpisode(env: Environment<Float32Array, number>, options: { reset?: ResetOptions; learn?: boolean } = {}): EpisodeTrace {
    if (spaceSize(env.observationSpace) !== this.weights.length) {
      throw new CajalError('INVALID_ARGUMENT', `environment has ${spaceSize(env.observationSpace)} features, agent ${this.weights.length}`, { field: 'featureCount' });
    }
    const learn = options.learn ?? true;
    this.startEpisode();
    let { observation } = env.reset(options.reset);
    const rpe: number[] = [];
    const value: number[] = [];
    const reward: number[] = [];
    const info: Array<Record<string, unknown>> = [];
    this.recorder.mark('episode start');
    for (;;) {
      const step = env.step(0);
      const v = this.value(observation);
      const delta = this.update(observation, step.reward, step.observation, step.terminated, learn);
      rpe.push(delta);
      value.push(v);
      reward.push(step.reward);
      info.push(step.info);
      this.recorder.record({ rpe: delta, value: v, reward: step.reward });
      observation = step.observation;
      if (step.terminated || step.truncated) break;
    }
    return { rpe: Float32Array.from(rpe), value: Float32Array.from(value), reward: Float32Array.from(reward), info };
  }
}
