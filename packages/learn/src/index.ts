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
