import { CajalError, type LongOperationOptions, createRandom, throttleProgress, throwIfAborted } from '@cajal/core';
import { compileNetwork } from './backend.ts';
import type { NetworkDescription } from './network.ts';
import { fanoFactor, summarizeSpikes, synchronyChi } from './statistics.ts';

/**
 * Parameter sweeps: grid and random designs over named model parameters, each point one
 * simulation, run on a pool (worker_threads in Node via `createSweepPool` from
 * `@cajal/sim/node`, Web Workers in a browser) or in-process, returning a table.
 *
 * A parameter name addresses the description:
 * - `we`: every model parameter and synapse parameter called `we`;
 * - `Owner.field`: in the group or synapses named Owner — a model/synapse parameter, or
 *   `rate` (Poisson group), `weight` / `delay` (synapses), `p` / `count` (connection rule).
 * Values are numbers in the unit of the value they replace when that is written
 * "number*unit" (so `El` = -65 means -65*mV when the model says '-60*mV'), SI otherwise.
 *
 * @example
 *   const points = gridPoints([{ name: 'we', from: 0.3, to: 0.9, steps: 4 }]);
 *   const table = await runSweep(coba({ size: 1000 }), points, { durationSeconds: 0.5 });
 */
export interface SweepParameter {
  name: string;
  from: number;
  to: number;
  /** Grid points (>= 1; 1 gives `from`). */
  steps: number;
  /** Space the points (and random draws) logarithmically. */
  log?: boolean;
}

/** One point: parameter name -> value. */
export type SweepPoint = Record<string, number>;

/** Statistics measured at one point (snake_case: they reach JSON and tables). */
export interface SweepStatistics {
  mean_rate_hz: number;
  mean_cv_isi: number;
  fano_factor: number;
  synchrony_chi: number;
  total_spikes: number;
  synaptic_events: number;
}

/** One simulation to run: a description with the point applied. Plain data (crosses to workers). */
export interface SweepJob {
  description: NetworkDescription;
  durationSeconds: number;
  /** Spike monitor whose trains are summarised (default: the first). */
  monitor?: string;
  /** Simulator backend (default "wasm"; all backends give identical results). */
  backend?: string;
}

/** Runs jobs; `createInProcessRunner` and the Node/Web worker pools implement it. */
export interface SweepRunner {
  readonly concurrency: number;
  run(job: SweepJob): Promise<SweepStatistics>;
  close(): Promise<void>;
}

/** A sweep's result: one row per point, parameter columns first, then statistics. */
export interface SweepTable {
  columns: string[];
  rows: Array<SweepPoint & SweepStatistics & { seed: number }>;
}

const axis = (p: SweepParameter): number[] => {
  if (!(Number.isInteger(p.steps) && p.steps >= 1)) throw new CajalError('INVALID_ARGUMENT', `parameter ${p.name}: steps must be a positive integer, got ${p.steps}`, { field: p.name });
  if (!Number.isFinite(p.from) || !Number.isFinite(p.to)) throw new CajalError('INVALID_ARGUMENT', `parameter ${p.name}: range ${p.from}:${p.to} is not finite`, { field: p.name });
  if (p.log && !(p.from > 0 && p.to > 0)) throw new CajalError('INVALID_ARGUMENT', `parameter ${p.name}: a log range needs positive bounds`, { field: p.name });
  return Array.from({ length: p.steps }, (_, k) => {
    const f = p.steps === 1 ? 0 : k / (p.steps - 1);
    if (f === 0) return p.from;
    if (f === 1) return p.to;
    return p.log ? Math.exp(Math.log(p.from) + f * (Math.log(p.to) - Math.log(p.from))) : p.from + f * (p.to - p.from);
  });
};

/** Every combination of the parameters' grid values (first parameter varies slowest). */
export function gridPoints(parameters: SweepParameter[]): SweepPoint[] {
  let points: SweepPoint[] = [{}];
  for (const p of parameters) {
    const values = axis(p);
    points = points.flatMap((point) => values.map((v) => ({ ...point, [p.name]: v })));
  }
  return points;
}

/** `count` points drawn uniformly (log-uniformly with `log`) within each range; seeded. */
export function randomPoints(parameters: SweepParameter[], count: number, seed = 1): SweepPoint[] {
  const random = createRandom(seed);
  for (const p of parameters) axis({ ...p, steps: 1 });
  return Array.from({ length: count }, () => {
    const point: SweepPoint = {};
    for (const p of parameters) {
      const u = random.uniform();
      point[p.name] = p.log ? Math.exp(Math.log(p.from) + u * (Math.log(p.to) - Math.log(p.from))) : p.from + u * (p.to - p.from);
    }
    return point;
  });
}

/**
 * Parse "name=from:to:steps" (or "name=from:to:steps:log", or "name=value") as the CLI writes it.
 *
 * @example
 *   parseSweepParameter('we=0.3:0.9:4'); // { name: 'we', from: 0.3, to: 0.9, steps: 4 }
 */
export function parseSweepParameter(text: string): SweepParameter {
  const m = /^([A-Za-z_][\w.]*)=(.+)$/.exec(text.trim());
  if (!m) throw new CajalError('INVALID_ARGUMENT', `parameter "${text}" is not name=from:to:steps`, { field: 'param' });
  const parts = (m[2] as string).split(':');
  const log = parts[parts.length - 1] === 'log';
  if (log) parts.pop();
  const numbers = parts.map(Number);
  if (numbers.some((x) => !Number.isFinite(x)) || !(numbers.length === 1 || numbers.length === 3)) {
    throw new CajalError('INVALID_ARGUMENT', `parameter "${text}" is not name=from:to:steps (numbers)`, { field: 'param' });
  }
  const [from, to, steps] = numbers.length === 1 ? [numbers[0], numbers[0], 1] : numbers;
  return { name: m[1] as string, from: from as number, to: to as number, steps: steps as number, ...(log ? { log } : {}) };
}

const withUnit = (old: unknown, value: number): string | number => {
  if (typeof old === 'string') {
    const m = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*\*\s*([A-Za-z\u00b5]+)\s*$/.exec(old);
    if (m) return `${value}*${m[1] as string}`;
  }
  return value;
};

/**
 * A copy of `description` with the point's values put in place (see SweepParameter for
 * names). Throws NOT_FOUND naming a parameter that matches nothing.
 */
export function applyParameters(description: NetworkDescription, point: SweepPoint): NetworkDescription {
  const copy = JSON.parse(JSON.stringify(description)) as NetworkDescription;
  for (const [name, value] of Object.entries(point)) {
    let hits = 0;
    const dot = name.indexOf('.');
    const owner = dot >= 0 ? name.slice(0, dot) : undefined;
    const field = dot >= 0 ? name.slice(dot + 1) : name;
    for (const g of copy.groups) {
      if (owner !== undefined && g.name !== owner) continue;
      if (g.kind === 'poisson') {
        if (owner !== undefined && field === 'rate') {
          g.rate = withUnit(g.rate, value);
          hits++;
        }
      } else if (g.kind !== 'spike_times') {
        const parameters = g.model.parameters;
        if (parameters && field in parameters) {
          parameters[field] = withUnit(parameters[field], value);
          hits++;
        }
      }
    }
    for (const s of copy.synapses ?? []) {
      if (owner !== undefined && s.name !== owner) continue;
      if (s.parameters && field in s.parameters) {
        s.parameters[field] = withUnit(s.parameters[field], value);
        hits++;
      } else if (owner !== undefined) {
        if (field === 'weight' || field === 'delay') {
          s[field] = withUnit(s[field], value);
          hits++;
        } else if (field === 'p' && s.connect.rule === 'probability') {
          s.connect = { ...s.connect, p: value };
          hits++;
        } else if (field === 'count' && s.connect.rule === 'fixed_in_degree') {
          s.connect = { ...s.connect, count: Math.round(value) };
          hits++;
        }
      }
    }
    if (hits === 0) throw new CajalError('NOT_FOUND', `parameter "${name}" matches no model parameter, synapse parameter or field of ${copy.name ?? 'the network'}`, { field: name });
  }
  return copy;
}

/**
 * Run one job here: build, compile (wasm backend unless the job names another), simulate,
 * summarise the spike monitor.
 * This is what every pool worker calls.
 */
export async function evaluateJob(job: SweepJob, options: LongOperationOptions = {}): Promise<SweepStatistics> {
  const sim = compileNetwork(job.description, job.backend ?? 'wasm');
  await sim.run(job.durationSeconds, options);
  const monitors = sim.monitors.spikes;
  const name = job.monitor ?? Object.keys(monitors)[0];
  const trains = name === undefined ? undefined : monitors[name];
  if (!trains) throw new CajalError('NOT_FOUND', `the network has no spike monitor${job.monitor ? ` "${job.monitor}"` : ''} to summarise`, { field: 'monitor' });
  const summary = summarizeSpikes(trains);
  const bin = Math.min(0.05, job.durationSeconds / 4);
  return {
    mean_rate_hz: summary.mean_rate_hz,
    mean_cv_isi: summary.mean_cv_isi,
    fano_factor: fanoFactor(trains, bin),
    synchrony_chi: synchronyChi(trains, 0.005),
    total_spikes: summary.total_spikes,
    synaptic_events: sim.synapticEvents,
  };
}

/** A runner that evaluates jobs one after another in this thread (the fallback everywhere). */
export function createInProcessRunner(): SweepRunner {
  return { concurrency: 1, run: (job) => evaluateJob(job), close: async () => undefined };
}

/** Options of `runSweep`. */
export interface SweepOptions extends LongOperationOptions {
  /** Biological time per point, seconds (default: the description's duration_seconds, else 1). */
  durationSeconds?: number;
  /** Where jobs run (default: in-process). */
  runner?: SweepRunner;
  /** Give each point its own seed (description seed + row index) instead of the same one. Default false. */
  varySeed?: boolean;
  monitor?: string;
}

export const statisticColumns = ['mean_rate_hz', 'mean_cv_isi', 'fano_factor', 'synchrony_chi', 'total_spikes', 'synaptic_events'] as const;

/**
 * Simulate every point (in parallel up to the runner's concurrency) and tabulate.
 * Rows come back in the order of `points`, whatever order the workers finish in.
 */
export async function runSweep(description: NetworkDescription, points: SweepPoint[], options: SweepOptions = {}): Promise<SweepTable> {
  const runner = options.runner ?? createInProcessRunner();
  const durationSeconds = options.durationSeconds ?? description.duration_seconds ?? 1;
  const jobs = points.map((point, k) => {
    const d = applyParameters(description, point);
    d.seed = (description.seed ?? 1) + (options.varySeed ? k : 0);
    return { job: { description: d, durationSeconds, ...(options.monitor ? { monitor: options.monitor } : {}) }, seed: d.seed };
  });
  const progress = throttleProgress(options.onProgress);
  const rows: SweepTable['rows'] = new Array(points.length);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      throwIfAborted(options.signal, 'sweep');
      const k = next++;
      const { job, seed } = jobs[k] as (typeof jobs)[number];
      const statistics = await runner.run(job);
      rows[k] = { ...(points[k] as SweepPoint), seed, ...statistics };
      progress({ done: ++done, total: jobs.length, stage: 'sweeping' });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(runner.concurrency, jobs.length)) }, lane));
  const names = [...new Set(points.flatMap((p) => Object.keys(p)))];
  return { columns: [...names, 'seed', ...statisticColumns], rows };
}

/** A table as CSV text (header line, then one line per row). */
export function sweepTableToCsv(table: SweepTable): string {
  const lines = [table.columns.join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => String((row as Record<string, number>)[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
