/**
 * Kernel micro-benchmark: CPU time per neuron-step of a COBA group's update kernel and per synaptic
 * event of the excitatory projection's propagate kernel, for the wasm and js backends, outside the
 * simulation loop (the network is advanced 100 steps first so the JIT has warmed up). The update
 * is timed together with the reset of the neurons that spiked (as in the loop) but without
 * synaptic input, so the network goes quiet after its initial transient: indicative figures.
 * Usage: npx tsx bench/kernels.bench.ts [size] [double|single]   (prints one JSON line per backend)
 */
import { buildNetwork, coba, compileNetwork } from '../src/index.ts';

interface WithKernels {
  advance(steps: number): void;
  kernels: { update: Array<(step: number) => number>; reset: Array<(count: number) => void>; propagate: Array<(step: number, spikes: Int32Array, count: number) => void> };
}

const size = Number(process.argv[2] ?? '64000');
const precision = process.argv[3] === 'single' ? 'single' : 'double';
const steps = 2000;
const spikesPerStep = 64;
const cpuSeconds = (start: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1e6;
};
for (const backend of ['wasm', 'js']) {
  const instance = buildNetwork({ ...coba({ size, seed: 4242, monitors: [] }), precision });
  const sim = compileNetwork(instance, backend) as unknown as WithKernels;
  sim.advance(100);
  const update = sim.kernels.update[0] as WithKernels['kernels']['update'][number];
  const reset = sim.kernels.reset[0] as WithKernels['kernels']['reset'][number];
  let start = process.cpuUsage();
  for (let s = 0; s < steps; s++) {
    const count = update(100 + s);
    if (count > 0) reset(count);
  }
  const updateSeconds = cpuSeconds(start);
  const spikes = new Int32Array(spikesPerStep);
  for (let k = 0; k < spikesPerStep; k++) spikes[k] = (k * 977) % Math.floor(size * 0.8);
  const propagate = sim.kernels.propagate[0] as WithKernels['kernels']['propagate'][number];
  const projection = instance.projections[0];
  let events = 0;
  for (const j of spikes) events += (projection?.rowStart[j + 1] ?? 0) - (projection?.rowStart[j] ?? 0);
  start = process.cpuUsage();
  for (let s = 0; s < steps; s++) propagate(s, spikes, spikesPerStep);
  const propagateSeconds = cpuSeconds(start);
  process.stdout.write(`${JSON.stringify({ backend, precision, size, update_ns_per_neuron_step: (updateSeconds * 1e9) / (steps * size), propagate_ns_per_event: (propagateSeconds * 1e9) / (steps * events) })}\n`);
}
