/**
 * @cajal/tasks: the cognitive tasks that people and agents both play, each a core
 * `Environment` (Gymnasium semantics): conditioning and cue-compound designs, bandits and
 * reversal learning, the two-step task, a gridworld, neurogym-style timed tasks (perceptual
 * decision, delayed match-to-sample), a reward distribution, n-back and Posner cueing.
 *
 * @example
 *   import { DelayedMatchToSampleEnv } from '@cajal/tasks';
 *   const env = new DelayedMatchToSampleEnv({ delaySteps: [2, 4] });
 *   const { observation, info } = env.reset({ seed: 1 });
 */
export * from './representation.ts';
export * from './conditioning.ts';
export * from './compound.ts';
export * from './bandit.ts';
export * from './two-step.ts';
export * from './gridworld.ts';
export * from './timed-tasks.ts';
export * from './reward-distribution.ts';
export * from './n-back.ts';
export * from './cueing.ts';
