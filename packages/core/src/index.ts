/**
 * @cajal/core: the shared vocabulary of Cajal (recordings, annotations, spike trains,
 * sessions, environments), typed errors, logging, progress and seeded randomness.
 */
export * from './errors.ts';
export * from './logger.ts';
export * from './progress.ts';
export * from './random.ts';
export * from './units.ts';
export * from './recording.ts';
export * from './spikes.ts';
export * from './environment.ts';
export * from './session.ts';
export * from './demo-eeg.ts';
export * from './annotation.ts';
export * from './channel-status.ts';
export * from './wasm-builder.ts';
