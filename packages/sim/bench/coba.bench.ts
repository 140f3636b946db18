/**
 * COBA benchmark (Brette et al. 2007 benchmark 1): Cajal's wasm and js backends side by side with Brian2
 * (../shared/peers/brian2_coba.py, every code-generation target that works here) in the same
 * run, at 4,000 / 16,000 / 64,000 / 256,000 neurons with the in-degree fixed at 80, 1 s of
 * biological time at dt 0.1 ms, all spikes recorded. Prints one JSON document on stdout
 * (progress on stderr).
 *
 * Usage: npm run bench [-- --sizes 4000,16000 --targets numpy,cython,cpp_standalone
 *        --backends wasm,wasm:single,wasm:t2,js --repeats 3 --brian-repeats 1 --duration 1 --brian-timeout 900 --numpy-max 64000 --no-brian]
 *
 * Times: `sim_s` is the simulation loop alone (wall clock, best of --repeats); `sim_cpu_s` the
 * CPU time of the loop (process.cpuUsage, all threads of the process incl. V8's GC helpers,
 * best of --repeats).
 * Brian2 runtime targets (numpy, cython) run through ./brian2_coba_timed.py (same model as the
 * shared peer script): a short warm-up run generates/compiles every code object, the network is
 * restored, and the measured run's loop is timed in wall clock (`sim_loop_wall_s`) AND process
 * CPU time (`sim_loop_cpu_s`); code generation/compilation is reported apart. cpp_standalone runs
 * the shared peer script; its `sim_loop_s` is CPU time (std::clock inside the binary), its
 * `compile_make_s` the C++ build. Ratios are reported CPU-vs-CPU (robust to load: CPU time
 * excludes waiting for a core) and, for the runtime targets, wall-vs-wall too.
 * `--brian-from FILE` reuses the Brian2 figures of an earlier run's JSON instead of running Brian.
 * real_time_factor = biological s / wall s.
 * A backend written `NAME:single` runs the network with `precision: 'single'` (float32 state and
 * arithmetic); Brian2 runs in float64 (its default), so `ratios` are given per Cajal backend
 * as well as for the best of all. `:tN` runs the wasm backend with N threads (`wasm:t2`,
 * `wasm:single:t2`; groups of 16,000 neurons or more are split); its CPU time counts every
 * thread, spinning included, so compare threaded runs wall to wall.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { arch, cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { buildNetwork, coba, compileNetwork, summarizeSpikes } from '../src/index.ts';
import '../src/node.ts'; // worker_threads for the :tN backends

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '4000,16000,64000,256000' },
    targets: { type: 'string', default: 'numpy,cython,cpp_standalone' },
    repeats: { type: 'string', default: '3' },
    'brian-repeats': { type: 'string', default: '1' },
    duration: { type: 'string', default: '1' },
    'brian-timeout': { type: 'string', default: '900' },
    'no-brian': { type: 'boolean', default: false },
    'numpy-max': { type: 'string', default: '64000' },
    backends: { type: 'string', default: 'wasm:single,wasm,wasm:single:t2,wasm:t2,js' },
    'brian-from': { type: 'string', default: '' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const targets = args.targets.split(',').filter(Boolean);
const repeats = Number(args.repeats);
const brianRepeats = Number(args['brian-repeats']);
const duration = Number(args.duration);
const brianTimeoutSeconds = Number(args['brian-timeout']);
const withBrian = !args['no-brian'];
const numpyMax = Number(args['numpy-max']);
const backends = args.backends.split(',').filter(Boolean);
const brianFrom = args['brian-from'];
const peer = new URL('../../../../shared/peers/brian2_coba.py', import.meta.url).pathname;
const timedPeer = new URL('./brian2_coba_timed.py', import.meta.url).pathname;
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

async function runCajal(size: number, label: string): Promise<CajalFigures> {
  const [backend = 'wasm', ...flags] = label.split(':');
  const precision = flags.includes('single') ? 'single' : 'double';
  const threads = Number(flags.find((f) => /^t\d+$/.test(f))?.slice(1) ?? '1');
  let best: CajalFigures | undefined;
  const all: number[] = [];
  let cpuBest = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const instance = buildNetwork({ ...coba({ size, seed: 4242, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] }), precision: precision === 'single' ? 'single' : 'double' });
    const t1 = performance.now();
    const sim = compileNetwork(instance, backend, { threads });
    await sim.ready(); // the workers, if any, are up before the clock starts
    const t2 = performance.now();
    const cpu0 = process.cpuUsage();
    sim.advance(Math.round(duration / sim.dtSeconds));
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    sim.close();
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
    const script = target === 'cpp_standalone' ? peer : timedPeer;
    const result = spawnSync(python, [script, '--target', target, '--n', String(size), '--duration', String(duration), '--seed', '4242'], {
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
  for (const k of ['target', 'error', 'sim_loop_s', 'sim_loop_wall_s', 'sim_loop_cpu_s', 'codegen_wall_s', 'codegen_cpu_s', 'warmup_bio_s', 'warmup_codegen_compile_wall_s', 'warmup_codegen_compile_cpu_s', 'cache_warm', 'build_network_s', 'compile_make_s', 'run_binary_s', 'run_call_s', 'import_s', 'process_wall_s', 'total_spikes', 'mean_rate_hz', 'mean_cv_isi', 'n_synapses']) if (b[k] !== undefined) out[k] = b[k];
  return out;
};

interface SizeResult { neurons: number; brian2: Record<string, Record<string, unknown>> }
const previous: SizeResult[] = brianFrom ? (JSON.parse(readFileSync(brianFrom, 'utf8')) as { results: SizeResult[] }).results : [];
const results: unknown[] = [];
const brianAvailable = !brianFrom && withBrian && existsSync(python) && existsSync(peer) && spawnSync(python, ['-c', 'import brian2'], { encoding: 'utf8' }).status === 0;
if (withBrian && !brianFrom && !brianAvailable) log('Brian2 not available (/usr/bin/python3 with python3-brian, ../shared/peers/brian2_coba.py); Cajal figures only');
for (const size of sizes) {
  log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const cajalByBackend: Record<string, CajalFigures> = {};
  for (const backend of backends) {
    log(`cajal ${backend}, ${size} neurons`);
    const figures = await runCajal(size, backend);
    cajalByBackend[backend] = figures;
    log(`  sim ${figures.sim_s.toFixed(3)} s, CPU ${figures.sim_cpu_s.toFixed(3)} s (${figures.sim_s_all.map((s) => s.toFixed(3)).join(', ')}), build ${figures.build_s.toFixed(2)} s, ${figures.mean_rate_hz.toFixed(1)} Hz`);
  }
  const cajal = Object.values(cajalByBackend).reduce<CajalFigures | undefined>((a, b) => (!a || b.sim_s < a.sim_s ? b : a), undefined);
  const brian: Record<string, Record<string, unknown>> = brianFrom ? { ...(previous.find((r) => r.neurons === size)?.brian2 ?? {}) } : {};
  if (brianAvailable) {
    for (const target of targets) {
      if (target === 'numpy' && size > numpyMax) {
        brian[target] = { target, error: `skipped above --numpy-max ${numpyMax} neurons (too slow to include in one run on this machine)` };
        continue;
      }
      log(`brian2 ${target}, ${size} neurons`);
      const b = runBrian(size, target);
      brian[target] = keep(b);
      log(`  ${b.error ? `failed: ${b.error}` : `loop ${Number(b.sim_loop_s).toFixed(3)} s${b.sim_loop_cpu_s !== undefined ? ` (CPU ${Number(b.sim_loop_cpu_s).toFixed(3)} s)` : ''}`}`);
    }
  }
  const num = (t: string, k: string): number | undefined => (typeof brian[t]?.[k] === 'number' ? (brian[t]?.[k] as number) : undefined);
  const cajalList = Object.values(cajalByBackend);
  const cajalCpu = cajalList.length ? Math.min(...cajalList.map((f) => f.sim_cpu_s)) : undefined;
  const cajalWall = cajal?.sim_s;
  const ratio = (brianSeconds: number | undefined, ours: number | undefined): number | null =>
    brianSeconds !== undefined && ours !== undefined ? brianSeconds / ours : null;
  const runtimeCpu = ['numpy', 'cython'].map((t) => num(t, 'sim_loop_cpu_s')).filter((x): x is number => x !== undefined);
  const runtimeWall = ['numpy', 'cython'].map((t) => num(t, 'sim_loop_wall_s')).filter((x): x is number => x !== undefined);
  results.push({
    neurons: size,
    cajal: cajalByBackend,
    brian2: brian,
    fastest_cajal_backend: Object.entries(cajalByBackend).find(([, f]) => f === cajal)?.[0],
    // CPU vs CPU: Cajal's best loop CPU time (any backend) vs Brian's loop CPU time
    speedup_vs_fastest_brian_runtime_cpu: ratio(runtimeCpu.length ? Math.min(...runtimeCpu) : undefined, cajalCpu),
    // wall vs wall: Cajal's best loop wall time vs Brian's loop wall time (noisy under load)
    speedup_vs_fastest_brian_runtime_wall: ratio(runtimeWall.length ? Math.min(...runtimeWall) : undefined, cajalWall),
    speedup_vs_brian_cpp_standalone_cpu: ratio(num('cpp_standalone', 'sim_loop_s'), cajalCpu),
    ratios: Object.fromEntries(Object.entries(cajalByBackend).map(([label, f]) => [label, {
      vs_fastest_brian_runtime_cpu: ratio(runtimeCpu.length ? Math.min(...runtimeCpu) : undefined, f.sim_cpu_s),
      vs_fastest_brian_runtime_wall: ratio(runtimeWall.length ? Math.min(...runtimeWall) : undefined, f.sim_s),
      vs_brian_cpp_standalone_cpu: ratio(num('cpp_standalone', 'sim_loop_s'), f.sim_cpu_s),
      // the standalone binary runs on one thread, so its loop CPU time is its loop wall time on a quiet machine
      vs_brian_cpp_standalone_wall: ratio(num('cpp_standalone', 'sim_loop_s'), f.sim_s),
    }])),
  });
}
process.stdout.write(`${JSON.stringify({
  benchmark: 'coba', duration_s: duration, brian_from: brianFrom || undefined, load_average: loadavg(), dt_ms: 0.1, mean_in_degree: 80, repeats, brian_repeats: brianRepeats,
  machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? '', memory_gib: Math.round(totalmem() / 2 ** 30), arch: arch(), node: process.version },
  date: new Date().toISOString(),
  results,
}, null, 1)}\n`);
