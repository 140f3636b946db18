import type { Environment } from '@cajal/core';
import { CajalError, createRandom, spaceSize } from '@cajal/core';
import type { Dataset } from './train.ts';

/**
 * Supervised data recorded from any core `Environment` whose step `info` reports
 * `correct_action` (the action that earns reward now) and `scored` (whether the step counts):
 * the tasks of @cajal/tasks do. `collectEpisodes` plays the correct actions and records every
 * step; `taskDataset` cuts many-to-one windows ending at the scored steps.
 *
 * @example
 *   const batch = collectEpisodes(env, 32, 1);            // [episodes, steps, observation]
 *   const data = taskDataset(env, 300, 1000, 4);           // windows of 4 steps -> correct action
 */

/** Episodes recorded with the correct action and scoring of every step. */
export interface EpisodeBatch {
  observations: Float32Array;
  correct: Int32Array;
  scored: Uint8Array;
  episodes: number;
  steps: number;
  observationSize: number;
}

/** Play `episodes` episodes (actions: the correct ones) and record them; all must have the same length. */
export function collectEpisodes(env: Environment<Float32Array, number>, episodes: number, seed: number): EpisodeBatch {
  const size = spaceSize(env.observationSpace);
  const observations: number[] = [];
  const correct: number[] = [];
  const scored: number[] = [];
  let steps = -1;
  const random = createRandom(seed);
  for (let e = 0; e < episodes; e++) {
    let { observation, info } = env.reset({ seed: random.nextUint32() });
    let count = 0;
    for (;;) {
      observations.push(...observation);
      const action = Number(info['correct_action'] ?? 0);
      correct.push(action);
      scored.push(info['scored'] ? 1 : 0);
      count++;
      const r = env.step(action);
      if (r.terminated || r.truncated) break;
      observation = r.observation;
      info = r.info;
    }
    if (steps >= 0 && count !== steps) throw new CajalError('INVALID_ARGUMENT', `episodes differ in length (${steps} and ${count}); batching needs equal lengths`, { field: 'env' });
    steps = count;
  }
  return { observations: Float32Array.from(observations), correct: Int32Array.from(correct), scored: Uint8Array.from(scored), episodes, steps, observationSize: size };
}

/**
 * Many-to-one samples from a cognitive task: for every scored step t, the last `window`
 * observations up to t (zeros before the episode start) and the correct action at t.
 */
export function taskDataset(env: Environment<Float32Array, number>, episodes: number, seed: number, window: number, labelOffset = 0): Dataset {
  const batch = collectEpisodes(env, episodes, seed);
  const width = batch.observationSize;
  const inputs: number[] = [];
  const targets: number[] = [];
  for (let e = 0; e < batch.episodes; e++) {
    for (let t = 0; t < batch.steps; t++) {
      const step = e * batch.steps + t;
      if (!batch.scored[step]) continue;
      for (let k = t - window + 1; k <= t; k++) {
        if (k < 0) for (let j = 0; j < width; j++) inputs.push(0);
        else for (let j = 0; j < width; j++) inputs.push(batch.observations[(e * batch.steps + k) * width + j] as number);
      }
      targets.push((batch.correct[step] as number) - labelOffset);
    }
  }
  return { inputs: Float32Array.from(inputs), sampleShape: [window, width], targets: Int32Array.from(targets), count: targets.length };
}

