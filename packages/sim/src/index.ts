/**
 * @cajal/sim: spiking-network simulator. Models as data (Brian-style equations with units),
 * a compiler to JavaScript kernels over typed arrays, backends with a shared contract,
 * monitors producing core SpikeTrains/Recordings, statistics, sweeps and fitting.
 */
export * from './units.ts';
export * from './expression.ts';
export * from './equations.ts';
export * from './integration.ts';
export * from './network.ts';
export * from './connect.ts';
export * from './build.ts';
export * from './plasticity.ts';
export * from './simulation.ts';
export * from './compiler.ts';
export * from './interpreter.ts';
export * from './backend.ts';
export * from './models.ts';
export * from './examples.ts';
export * from './statistics.ts';
export * from './distal_reward.ts';
export * from './optimize.ts';
export * from './sweep.ts';
export * from './fit.ts';
export * from './wasm.ts';
export * from './sweep.web.ts';
export * from './threads.web.ts';
