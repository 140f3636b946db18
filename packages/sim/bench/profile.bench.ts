/**
 * Profiling helper: one COBA run (no Brian), for `node --cpu-prof`.
 * Usage: node --import tsx --cpu-prof --cpu-prof-dir /tmp/prof bench/profile.bench.ts [size] [backend] [duration] [double|single]
 */
import { buildNetwork, coba, compileNetwork } from '../src/index.ts';

const size = Number(process.argv[2] ?? '64000');
const backend = process.argv[3] ?? 'wasm';
const duration = Number(process.argv[4] ?? '0.5');
const precision = process.argv[5] === 'single' ? 'single' : 'double';
const instance = buildNetwork({ ...coba({ size, seed: 4242, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] }), precision });
const sim = compileNetwork(instance, backend);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
sim.advance(Math.round(duration / sim.dtSeconds));
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ size, backend, precision, duration, wall_s: (performance.now() - t0) / 1000, cpu_s: (cpu.user + cpu.system) / 1e6, events: sim.synapticEvents })}\n`);
