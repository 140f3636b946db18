import type { Environment, Random, ResetOptions, ResetResult, Space, StepResult } from '@cajal/core';
import { createRandom } from '@cajal/core';

/**
 * Posner cueing as a core `Environment` (one trial per episode; see `CueingTask`).
 *
 * @example
 *   const env = new CueingTask({ validity: 0.8 });
 *   const { observation, info } = env.reset({ seed: 1 }); // info.correct_action: the target's sign
 */
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
