/**
 * @cajal/learn: reinforcement-learning environments and agents whose internal signals are
 * core Recordings, models of behaviour fitted to people's choices, and memory models.
 */
export * from './env/representation.ts';
export * from './env/conditioning.ts';
export * from './env/compound.ts';
export * from './rl/math.ts';
export * from './rl/recorder.ts';
export * from './rl/td.ts';
export * from './rl/rescorla-wagner.ts';
export * from './env/bandit.ts';
export * from './env/two-step.ts';
export * from './env/gridworld.ts';
export * from './env/timed-tasks.ts';
export * from './env/reward-distribution.ts';
export * from './rl/features.ts';
export * from './rl/control.ts';
export * from './rl/distributional.ts';
export * from './rl/hybrid.ts';
export * from './rl/stay-analysis.ts';
export * from './rl/catalog.ts';
export * as nn from './nn/index.ts';
export * from './fit/optimize.ts';
export * from './fit/models.ts';
export * from './fit/fit.ts';
export * from './fit/recovery.ts';
export * from './fit/io.ts';
export * from './memory/hopfield.ts';
export * from './memory/modern-hopfield.ts';
export * from './memory/working-memory.ts';
