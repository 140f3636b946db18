import { CajalError } from '@cajal/core';
import { type NetworkInstance, buildNetwork } from './build.ts';
import { compileKernels } from './compiler.ts';
import { interpretKernels } from './interpreter.ts';
import { compileWasmKernels } from './wasm.ts';
import type { NetworkDescription } from './network.ts';
import { KernelSimulation, type Simulation } from './simulation.ts';

/**
 * A simulator backend turns a network (description or built instance) into a Simulation.
 * Backends register by name; every backend passes the contract suite in
 * `backend.contract.test.ts` (same seed -> same spikes as the reference interpreter). A WebGPU
 * backend would implement `compile` by uploading the instance's flat arrays to storage buffers
 * and generating WGSL from the same update programs.
 *
 * @example
 *   const sim = getBackend('js').compile(coba());
 *   await sim.run(1.0);
 */
export interface Backend {
  readonly name: string;
  /** One line saying what it is. */
  readonly description: string;
  compile(network: NetworkDescription | NetworkInstance, options?: CompileOptions): Simulation;
}

/** Backend options; backends ignore those that do not apply to them. */
export interface CompileOptions {
  /** wasm: threads for the neuron updates, counting the calling one (see WasmOptions). */
  threads?: number;
  /** wasm: smallest group split between threads (default 16,000 neurons). */
  threadMinimum?: number;
  /** wasm: how long to wait for a worker's part of a step before the run fails (default 30,000 ms). */
  threadTimeoutMs?: number;
}

const registry = new Map<string, Backend>();

/** Add a backend (replacing one of the same name). */
export function registerBackend(backend: Backend): void {
  registry.set(backend.name, backend);
}

/** The backend named `name`; throws NOT_FOUND listing the known ones. */
export function getBackend(name: string): Backend {
  const b = registry.get(name);
  if (!b) throw new CajalError('NOT_FOUND', `no simulator backend "${name}" (known: ${[...registry.keys()].join(', ')})`, { field: 'backend' });
  return b;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...registry.keys()];
}

const toInstance = (network: NetworkDescription | NetworkInstance): NetworkInstance =>
  'groups' in network && 'runtimeSeed' in network ? network : buildNetwork(network as NetworkDescription);

/** Generated JavaScript kernels over typed arrays (the fast default). */
export const javascriptBackend: Backend = {
  name: 'js',
  description: 'generated JavaScript kernels over flat typed arrays (new Function)',
  compile: (network) => {
    const instance = toInstance(network);
    return new KernelSimulation('js', instance, (random) => compileKernels(instance, random));
  },
};

/** Tree-walking reference interpreter (slow; the yardstick for the contract suite). */
export const interpreterBackend: Backend = {
  name: 'interpreter',
  description: 'reference interpreter evaluating the update programs expression by expression',
  compile: (network) => {
    const instance = toInstance(network);
    return new KernelSimulation('interpreter', instance, (random) => interpretKernels(instance, random));
  },
};

/**
 * WebAssembly SIMD neuron updates (two neurons per instruction, f64x2) where the model allows,
 * generated JavaScript for propagation, resets, plasticity and other groups. The fastest here.
 */
export const wasmBackend: Backend = {
  name: 'wasm',
  description: 'WebAssembly SIMD (f64x2) neuron updates + generated JavaScript propagation',
  compile: (network, options = {}) => {
    const instance = toInstance(network);
    return new KernelSimulation('wasm', instance, (random) => compileWasmKernels(instance, random, options));
  },
};

registerBackend(javascriptBackend);
registerBackend(interpreterBackend);
registerBackend(wasmBackend);

/**
 * Build and compile in one call with the named backend (default "js").
 *
 * @example
 *   const sim = compileNetwork(coba({ size: 4000 }));
 *   // Node, two threads for the wasm neuron updates (after `import '@cajal/sim/node'`):
 *   const fast = compileNetwork(coba({ size: 64000 }), 'wasm', { threads: 2 });
 */
export function compileNetwork(network: NetworkDescription | NetworkInstance, backend = 'js', options?: CompileOptions): Simulation {
  return getBackend(backend).compile(network, options);
}
