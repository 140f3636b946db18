/**
 * COBA benchmark (Brette et al. 2007 benchmark 1): Cajal's wasm and js backends side by side with Brian2
 * (../shared/peers/brian2_coba.py, every code-generation target that works here) in the same
 * run, at 4,000 / 16,000 / 64,000 / 256,000 neurons with the in-degree fixed at 80, 1 s of
 * biological time at dt 0.1 ms, all spikes recorded. Prints one JSON document on stdout
 * (progress on stderr).
 *
 * Usage: npm run bench [-- --sizes 4000,16000 --targets numpy,cython,cpp_standalone
 *        --backends wasm,js --repeats 3 --brian-repeats 1 --duration 1 --brian-timeout 900 --numpy-max 64000 --no-brian]
 *
 * Times: `sim_s` is the simulation loop alone (wall clock, best of --repeats); `sim_cpu_s` the
 * CPU time of the loop (process.cpuUsage, all threads of the process, best of --repeats).
 * Brian's `sim_loop_s` is wall clock for the runtime targets (numpy, cython) but CPU time
 * (std::clock) for cpp_standalone, so runtime targets are compared with our wall time and
 * standalone with our CPU time. Brian's build/compile times are reported apart.
 * real_time_factor = biological s / wall s.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import { buildNetwork, coba, compileNetwork, summarizeSpikes } from '../src/index.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 && argv[k + 1] !== undefined ? (argv[k + 1] as string) : fallback;
};
const sizes = option('sizes', '4000,16000,64000,256000').split(',').map(Number);
const targets = option('targets', 'numpy,cython,cpp_standalone').split(',').filter(Boolean);
const repeats = Number(option('repeats', '3'));
const brianRepeats = Number(option('brian-repeats', '1'));
const duration = Number(option('duration', '1'));
const brianTimeoutSeconds = Number(option('brian-timeout', '900'));
const withBrian = !argv.includes('--no-brian');
const numpyMax = Number(option('numpy-max', '64000'));
const backends = option('backends', 'wasm,js').split(',');
const peer = new URL('../../../../shared/peers/brian2_coba.py', import.meta.url).pathname;
const python = '/usr/bin/python3';
const log = (text: string): void => {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
};

interface CajalFigures {
  neurons: number;
  synapses: number;
  build_s: number;
  compile_s: number;
  sim_s: number;
  sim_s_all: number[];
  sim_cpu_s: number;
  real_time_factor: number;
  total_spikes: number;
  mean_rate_hz: number;
  mean_cv_isi: number;
  synaptic_events: number;
  synaptic_events_per_s: number;
  bytes_per_synapse: number;
  heap_mb_after: number;
  rss_mb_after: number;
}

function runCajal(size: number, backend: string): CajalFigures {
  let best: CajalFigures | undefined;
  const all: number[] = [];
  let cpuBest = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const instance = buildNetwork(coba({ size, seed: 4242, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] }));
    const t1 = performance.now();
    const sim = compileNetwork(instance, backend);
    const t2 = performance.now();
    const cpu0 = process.cpuUsage();
    sim.advance(Math.round(duration / sim.dtSeconds));
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const simSeconds = (t3 - t2) / 1000;
    all.push(simSeconds);
    let synapses = 0;
    let bytes = 0;
    for (const p of instance.projections) {
      synapses += p.targets.length;
      bytes += p.targets.byteLength + p.rowStart.byteLength + (p.weights?.byteLength ?? 0);
      for (const w of p.pathways) bytes += (w.ring?.byteLength ?? 0) + (typeof w.delaySteps === 'number' ? 0 : w.delaySteps.byteLength);
    }
    const trains = sim.monitors.spikes.spikes;
    if (!trains) throw new Error('no spike monitor');
    const summary = summarizeSpikes(trains);
    const memory = process.memoryUsage();
    const figures: CajalFigures = {
      neurons: size, synapses,
      build_s: (t1 - t0) / 1000, compile_s: (t2 - t1) / 1000,
      sim_s: simSeconds, sim_s_all: [], sim_cpu_s: (cpu.user + cpu.system) / 1e6,
      real_time_factor: duration / simSeconds,
      total_spikes: trains.neuron.length, mean_rate_hz: summary.mean_rate_hz, mean_cv_isi: summary.mean_cv_isi,
      synaptic_events: sim.synapticEvents, synaptic_events_per_s: sim.synapticEvents / simSeconds,
      bytes_per_synapse: bytes / synapses,
      heap_mb_after: memory.heapUsed / 2 ** 20, rss_mb_after: memory.rss / 2 ** 20,
    };
    if (!best || figures.sim_s < best.sim_s) best = figures;
    cpuBest = Math.min(cpuBest, figures.sim_cpu_s);
  }
  return { ...(best as CajalFigures), sim_s_all: all, sim_cpu_s: cpuBest };
}

type BrianFigures = Record<string, unknown> & { sim_loop_s?: number; error?: string };

function runBrian(size: number, target: string): BrianFigures {
  let best: BrianFigures | undefined;
  for (let r = 0; r < brianRepeats; r++) {
    const t0 = performance.now();
    const result = spawnSync(python, [peer, '--target', target, '--n', String(size), '--duration', String(duration), '--seed', '4242'], {
      encoding: 'utf8', timeout: brianTimeoutSeconds * 1000, maxBuffer: 64 * 2 ** 20,
    });
    const wall = (performance.now() - t0) / 1000;
    const last = (result.stdout ?? '').trim().split('\n').pop() ?? '';
    let figures: BrianFigures;
    try {
      figures = { ...(JSON.parse(last) as BrianFigures), process_wall_s: wall };
    } catch {
      const why = result.error ? String(result.error.message) : `exit ${result.status}: ${(result.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
      return { target, error: why.slice(0, 400), process_wall_s: wall };
    }
    if (!best || (figures.sim_loop_s ?? Infinity) < (best.sim_loop_s ?? Infinity)) best = figures;
  }
  return best as BrianFigures;
}

const keep = (b: BrianFigures): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of ['target', 'error', 'sim_loop_s', 'build_network_s', 'compile_make_s', 'run_binary_s', 'run_call_s', 'import_s', 'process_wall_s', 'total_spikes', 'mean_rate_hz', 'mean_cv_isi', 'n_synapses']) if (b[k] !== undefined) out[k] = b[k];
  return out;
};

const results: unknown[] = [];
const brianAvailable = withBrian && existsSync(python) && existsSync(peer) && spawnSync(python, ['-c', 'import brian2'], { encoding: 'utf8' }).status === 0;
if (withBrian && !brianAvailable) log('Brian2 not available (/usr/bin/python3 with python3-brian, ../shared/peers/brian2_coba.py); Cajal figures only');
for (const size of sizes) {
  const cajalByBackend: Record<string, CajalFigures> = {};
  for (const backend of backends) {
    log(`cajal ${backend}, ${size} neurons`);
    const figures = runCajal(size, backend);
    cajalByBackend[backend] = figures;
    log(`  sim ${figures.sim_s.toFixed(3)} s (${figures.sim_s_all.map((s) => s.toFixed(3)).join(', ')}), build ${figures.build_s.toFixed(2)} s, ${figures.mean_rate_hz.toFixed(1)} Hz`);
  }
  const cajal = Object.values(cajalByBackend).reduce((a, b) => (b.sim_s < a.sim_s ? b : a));
  const brian: Record<string, Record<string, unknown>> = {};
  if (brianAvailable) {
    for (const target of targets) {
      if (target === 'numpy' && size > numpyMax) {
        brian[target] = { target, error: `skipped above --numpy-max ${numpyMax} neurons (too slow to include in one run on this machine)` };
        continue;
      }
      log(`brian2 ${target}, ${size} neurons`);
      const b = runBrian(size, target);
      brian[target] = keep(b);
      log(`  ${b.error ? `failed: ${b.error}` : `sim ${Number(b.sim_loop_s).toFixed(3)} s`}`);
    }
  }
  const loop = (t: string): number | undefined => (typeof brian[t]?.sim_loop_s === 'number' ? (brian[t]?.sim_loop_s as number) : undefined);
  const runtime = ['numpy', 'cython'].map(loop).filter((x): x is number => x !== undefined);
  const fastestRuntime = runtime.length ? Math.min(...runtime) : undefined;
  const standalone = loop('cpp_standalone');
  results.push({
    neurons: size,
    cajal: cajalByBackend,
    brian2: brian,
    fastest_cajal_backend: Object.entries(cajalByBackend).find(([, f]) => f === cajal)?.[0],
    speedup_vs_fastest_brian_runtime: fastestRuntime !== undefined ? fastestRuntime / cajal.sim_s : null,
    speedup_vs_brian_cpp_standalone_cpu: standalone !== undefined ? standalone / Math.min(...Object.values(cajalByBackend).map((f) => f.sim_cpu_s)) : null,
  });
}
process.stdout.write(`${JSON.stringify({
  benchmark: 'coba', duration_s: duration, dt_ms: 0.1, mean_in_degree: 80, repeats, brian_repeats: brianRepeats,
  machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? '', memory_gib: Math.round(totalmem() / 2 ** 30), arch: arch(), node: process.version },
  date: new Date().toISOString(),
  results,
}, null, 1)}\n`);
