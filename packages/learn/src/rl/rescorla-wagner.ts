import { CajalError, spaceSize, type Environment, type ResetOptions } from '@cajal/core';
import { SignalRecorder } from './recorder.ts';

/**
 * The Rescorla-Wagner model (1972): on each trial every present cue i changes its associative
 * strength by dV_i = alpha_i * beta * (lambda - sum of V over present cues). The shared error
 * term produces blocking, overshadowing and conditioned inhibition. Records "rpe" (the error),
 * "value" (summed prediction) and one "V_<cue>" channel per cue, one sample per trial.
 *
 * @example
 *   const agent = new RescorlaWagnerAgent({ cueCount: 2, salience: [0.3, 0.3] });
 *   agent.runEpisode(env);
 */
export interface RescorlaWagnerOptions {
  cueCount: number;
  /** Cue saliences alpha_i (default 0.2 each). */
  salience?: number[];
  /** US learning rate beta (default 1). */
  beta?: number;
  /** Channel names for cues (default "0", "1", ...). */
  cueNames?: string[];
}

export class RescorlaWagnerAgent {
  readonly strengths: Float64Array;
  readonly salience: Float64Array;
  readonly beta: number;
  readonly recorder: SignalRecorder;
  private readonly cueNames: string[];
  updates = 0;

  constructor(options: RescorlaWagnerOptions) {
    if (!(options.cueCount > 0)) throw new CajalError('INVALID_ARGUMENT', `cueCount ${options.cueCount} must be > 0`, { field: 'cueCount' });
    if (options.salience && options.salience.length !== options.cueCount) {
      throw new CajalError('INVALID_ARGUMENT', `salience has ${options.salience.length} values for ${options.cueCount} cues`, { field: 'salience' });
    }
    this.strengths = new Float64Array(options.cueCount);
    this.salience = Float64Array.from(options.salience ?? new Array<number>(options.cueCount).fill(0.2));
    this.beta = options.beta ?? 1;
    this.cueNames = options.cueNames ?? Array.from({ length: options.cueCount }, (_, i) => String(i));
    this.recorder = new SignalRecorder(['rpe', 'value', ...this.cueNames.map((n) => `V_${n}`)]);
  }

  /** Summed prediction for a cue vector. */
  predict(cues: ArrayLike<number>): number {
    let v = 0;
    for (let i = 0; i < cues.length; i++) v += (this.strengths[i] as number) * (cues[i] as number);
    return v;
  }

  /** One trial: cues present (0/1 or intensities) and the outcome lambda; returns the error. */
  update(cues: ArrayLike<number>, outcome: number): number {
    const error = outcome - this.predict(cues);
    for (let i = 0; i < cues.length; i++) {
      this.strengths[i] = (this.strengths[i] as number) + (this.salience[i] as number) * this.beta * error * (cues[i] as number);
    }
    this.updates++;
    const values: Record<string, number> = { rpe: error, value: outcome - error };
    this.cueNames.forEach((name, i) => (values[`V_${name}`] = this.strengths[i] as number));
    this.recorder.record(values);
    return error;
  }

  /** Play one trial of a trial-level environment (e.g. CueCompoundEnv); returns the error. */
  runEpisode(env: Environment<Float32Array, number>, options: { reset?: ResetOptions } = {}): number {
    if (spaceSize(env.observationSpace) !== this.strengths.length) {
      throw new CajalError('INVALID_ARGUMENT', `environment has ${spaceSize(env.observationSpace)} cues, agent ${this.strengths.length}`, { field: 'cueCount' });
    }
    const { observation } = env.reset(options.reset);
    const step = env.step(0);
    return this.update(observation, step.reward);
  }
}
