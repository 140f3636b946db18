/**
 * @cajal/learn: reinforcement-learning agents whose internal signals are core Recordings (and
 * their registry), recurrent and attention agents built on @cajal/nn, models of behaviour
 * fitted to people's choices, and memory models. Agents play any core `Environment`; the
 * tasks are @cajal/tasks', and @cajal/compare pairs the two by name.
 *
 * @example
 *   import { getAgent, runAgent } from '@cajal/learn';
 *   getAgent('q-learning').plays; // 'choice'
 */
export * from './rl/math.ts';
export * from './rl/recorder.ts';
export * from './rl/td.ts';
export * from './rl/rescorla-wagner.ts';
export * from './rl/features.ts';
export * from './rl/control.ts';
export * from './rl/distributional.ts';
export * from './rl/hybrid.ts';
export * from './rl/stay-analysis.ts';
export * from './rl/agents.ts';
export * from './agents/working-memory-agents.ts';
export * from './agents/cueing-network.ts';
export * from './fit/optimize.ts';
export * from './fit/models.ts';
export * from './fit/fit.ts';
export * from './fit/recovery.ts';
export * from './fit/io.ts';
export * from './memory/hopfield.ts';
export * from './memory/modern-hopfield.ts';
export * from './memory/working-memory.ts';
