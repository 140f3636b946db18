import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CajalError } from '@cajal/core';
import type { SpikeTrains } from '@cajal/core';
import {
  type Simulation, compileNetwork, fanoFactor, listBackends, meanPairwiseCorrelation, populationRate, runDistalReward, summarizeSpikes, synchronyChi,
} from '@cajal/sim';
import '@cajal/sim/node'; // worker_threads for --threads
import { welch } from '@cajal/signal';
import { startTask } from '../progress.ts';
import { lineChart, raster } from '@cajal/viz';
import { renderReport, table } from '../report/html.ts';
import { exampleModels, loadModel, numberOption } from './simulate-models.ts';

/** Statistics of one spike monitor (snake_case: reaches JSON). */
export interface MonitorStatistics {
  monitor: string;
  group: string;
  neuron_count: number;
  total_spikes: number;
  mean_rate_hz: number;
  mean_cv_isi: number;
  fano_factor_50ms: number;
  mean_pairwise_correlation_10ms: number;
  synchrony_chi_5ms: number;
}

/** What `cajal simulate --json` writes. */
export interface SimulateReport {
  model: string;
  backend: string;
  /** Arithmetic of the run: 'double' (float64, the default) or 'single' (float32). */
  precision: 'double' | 'single';
  /** Threads that worked on the neuron updates (wasm backend with --threads: groups of 16,000 neurons or more). */
  threads: number;
  seed: number;
  duration_seconds: number;
  dt_seconds: number;
  neurons: number;
  synapses: number;
  synaptic_events: number;
  wall_seconds: number;
  real_time_factor: number;
  statistics: MonitorStatistics[];
  population_rate: { bin_seconds: number; rate_hz: number[] };
  rate_psd: { frequencies_hz: number[]; power: number[]; peak_hz: number | null };
  spikes: { monitor: string; neuron: number[]; times_seconds: number[] } | null;
}

const round = (x: number, digits = 6): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

function monitorStatistics(name: string, trains: SpikeTrains): MonitorStatistics {
  const s = summarizeSpikes(trains);
  const bin = Math.min(0.05, trains.durationSeconds / 4);
  return {
    monitor: name, group: trains.label ?? '', neuron_count: trains.neuronCount, total_spikes: s.total_spikes,
    mean_rate_hz: s.mean_rate_hz, mean_cv_isi: s.mean_cv_isi,
    fano_factor_50ms: fanoFactor(trains, bin),
    mean_pairwise_correlation_10ms: meanPairwiseCorrelation(trains, 0.01, 500),
    synchrony_chi_5ms: synchronyChi(trains, 0.005),
  };
}

/** Summarise a finished simulation: statistics, 1 ms population rate and its Welch PSD (@cajal/signal). */
export function summarizeSimulation(model: string, sim: Simulation, seed: number, durationSeconds: number, wallSeconds: number, threads = 1): SimulateReport {
  const spikeMonitors = Object.entries(sim.monitors.spikes);
  const statistics = spikeMonitors.map(([name, trains]) => monitorStatistics(name, trains));
  const first = spikeMonitors[0];
  const bin = 1e-3;
  const rate = first ? populationRate(first[1], bin) : new Float64Array(0);
  let psd: SimulateReport['rate_psd'] = { frequencies_hz: [], power: [], peak_hz: null };
  if (rate.length >= 64) {
    const nperseg = Math.min(512, 2 ** Math.floor(Math.log2(rate.length)));
    const spectrum = welch(rate, 1 / bin, { nperseg, noverlap: nperseg / 2 });
    let peak = -1;
    for (let k = 0; k < spectrum.frequencies.length; k++) {
      const f = spectrum.frequencies[k] as number;
      if (f >= 2 && f <= 200 && (peak < 0 || (spectrum.power[k] as number) > (spectrum.power[peak] as number))) peak = k;
    }
    psd = { frequencies_hz: Array.from(spectrum.frequencies), power: Array.from(spectrum.power, (p) => round(p)), peak_hz: peak >= 0 ? (spectrum.frequencies[peak] as number) : null };
  }
  const synapses = sim.instance.projections.reduce((n, p) => n + p.targets.length, 0);
  return {
    model, backend: sim.backend, precision: sim.instance.precision, threads, seed, duration_seconds: durationSeconds, dt_seconds: sim.dtSeconds,
    neurons: sim.instance.groups.reduce((n, g) => n + g.size, 0), synapses, synaptic_events: sim.synapticEvents,
    wall_seconds: wallSeconds, real_time_factor: durationSeconds / wallSeconds,
    statistics, population_rate: { bin_seconds: bin, rate_hz: Array.from(rate, (r) => round(r)) }, rate_psd: psd,
    spikes: first ? { monitor: first[0], neuron: Array.from(first[1].neuron), times_seconds: Array.from(first[1].timesSeconds, (t) => round(t, 9)) } : null,
  };
}

/** The HTML report: raster, population rate, voltage traces, statistics table, rate PSD. */
export function renderSimulationReport(report: SimulateReport, sim: Simulation): string {
  const sections = [];
  const trains = Object.values(sim.monitors.spikes)[0];
  if (trains) {
    sections.push({ heading: 'Spike raster', body: raster(trains.neuron, trains.timesSeconds, { id: 'raster', title: `${trains.label ?? ''} (${trains.neuron.length} spikes)`, neuronCount: trains.neuronCount, durationSeconds: trains.durationSeconds }) });
    const x = Float64Array.from(report.population_rate.rate_hz, (_, k) => k * report.population_rate.bin_seconds);
    sections.push({ heading: 'Population rate', body: lineChart([{ name: 'rate', x, y: report.population_rate.rate_hz }], { id: 'population-rate', xLabel: 'time (s)', yLabel: 'rate (Hz), 1 ms bins' }) });
  }
  for (const [name, recording] of Object.entries(sim.monitors.state)) {
    const series = recording.channels.map((c) => ({ name: c.label, x: Float64Array.from(c.samples, (_, k) => k / c.sampleRateHz), y: c.samples }));
    const unit = recording.channels[0]?.unit ?? '';
    sections.push({ heading: `State traces (${name})`, body: lineChart(series, { id: `state-${name}`, xLabel: 'time (s)', yLabel: unit }) });
  }
  sections.push({
    heading: 'Statistics',
    body: table(['monitor', 'neurons', 'spikes', 'rate (Hz)', 'ISI CV', 'Fano (50 ms)', 'pairwise corr. (10 ms)', 'synchrony chi (5 ms)'],
      report.statistics.map((s) => [s.monitor, s.neuron_count, s.total_spikes, s.mean_rate_hz, s.mean_cv_isi, s.fano_factor_50ms, s.mean_pairwise_correlation_10ms, s.synchrony_chi_5ms])),
  });
  if (report.rate_psd.frequencies_hz.length) {
    const keep = report.rate_psd.frequencies_hz.map((f, k) => [f, report.rate_psd.power[k] as number] as const).filter(([f, p]) => f > 0 && f <= 250 && p > 0);
    sections.push({
      heading: 'Population-rate spectrum (Welch)',
      body: lineChart([{ name: 'PSD', x: keep.map(([f]) => f), y: keep.map(([, p]) => p) }], { id: 'rate-psd', xLabel: 'frequency (Hz)', yLabel: 'power (Hz²/Hz)', logY: true }),
      note: report.rate_psd.peak_hz !== null ? `Largest peak between 2 and 200 Hz: ${report.rate_psd.peak_hz.toFixed(1)} Hz.` : undefined,
    });
  }
  return renderReport({
    title: `cajal simulate ${report.model}`,
    subtitle: `${report.neurons} neurons, ${report.synapses} synapses, ${report.duration_seconds} s at dt ${report.dt_seconds * 1e3} ms (${report.backend} backend)`,
    facts: [['seed', report.seed], ['wall time (s)', report.wall_seconds], ['real-time factor', report.real_time_factor], ['synaptic events', report.synaptic_events]],
    sections: sections.map((s) => (s.note === undefined ? { heading: s.heading, body: s.body } : { heading: s.heading, body: s.body, note: s.note })),
  });
}

async function simulateDistalReward(options: { seconds: number; seed?: number; json?: string; html?: string }): Promise<void> {
  const task = startTask('distal reward');
  let result;
  try {
    result = await runDistalReward({ seconds: options.seconds, ...(options.seed !== undefined ? { seed: options.seed } : {}), onProgress: task.onProgress, signal: task.signal });
  } finally {
    task.stop();
  }
  if (options.json) await writeFile(options.json, `${JSON.stringify({ model: 'distal-reward', ...result }, null, 1)}\n`);
  if (options.html) {
    const x = result.rewarded_weight_by_second.map((_, k) => k + 1);
    await writeFile(options.html, renderReport({
      title: 'cajal simulate distal-reward',
      subtitle: `Izhikevich (2007) dopamine-modulated STDP, ${result.seconds} s`,
      facts: [['rewards', result.rewards], ['rewarded weight (start)', result.rewarded_weight_initial], ['rewarded weight (end)', result.rewarded_weight_final], ['other weights mean (end)', result.other_weights_mean_final], ['mean rate (Hz)', result.mean_rate_hz]],
      sections: [{ heading: 'Rewarded synapse', body: lineChart([{ name: 'rewarded weight', x, y: result.rewarded_weight_by_second }], { id: 'rewarded-weight', xLabel: 'time (s)', yLabel: 'weight (mV)' }) }],
    }));
  }
  process.stdout.write(`distal-reward: ${result.seconds} s, ${result.rewards} rewards; rewarded synapse ${result.rewarded_weight_initial.toFixed(2)} -> ${result.rewarded_weight_final.toFixed(2)}, others ${result.other_weights_mean_initial.toFixed(2)} -> ${result.other_weights_mean_final.toFixed(2)} (mean)\n`);
}

function parsePrecision(value: string | undefined): 'double' | 'single' | undefined {
  if (value === undefined || value === 'double' || value === 'single') return value;
  throw new CajalError('INVALID_ARGUMENT', `--precision must be double or single, not "${value}"`);
}

/**
 * `cajal simulate MODEL [--duration S] [--seed N] [--backend B] [--precision P] [--size N] [--threads N] [--json OUT] [--html OUT]`:
 * run a shipped example (coba, cuba, izhikevich2003, distal-reward, lif-poisson) or a JSON
 * network description with a progress bar (Ctrl-C cancels), print the statistics and write
 * JSON (statistics, population rate, its PSD, spikes) and/or an HTML report.
 *
 * @example
 *   cajal simulate coba --duration 1 --html coba.html
 */
export function register(program: Command): void {
  program
    .command('simulate')
    .description(`run a spiking network: ${Object.keys(exampleModels).join(', ')} or a network .json file`)
    .argument('<model>', 'example name or path to a network description (.json)')
    .option('--duration <seconds>', 'biological time to simulate (default: the model\'s)')
    .option('--seed <n>', 'random seed (default: the model\'s)')
    .option('--backend <name>', `simulator backend (${listBackends().join(', ')})`, 'wasm')
    .option('--json <file>', 'write statistics, population rate, its PSD and the spikes as JSON')
    .option('--precision <p>', 'arithmetic: double (float64, as Brian2) or single (float32: less memory, ~1.5-2x faster on the wasm backend)')
    .option('--size <n>', 'coba and cuba: number of neurons (mean in-degree stays 80; default 4000)')
    .option('--threads <n>', 'wasm backend: threads for groups of 16,000 neurons or more (same results; default 1)')
    .option('--html <file>', 'write an HTML report (raster, rate, traces, statistics, PSD)')
    .action(async (model: string, options: { duration?: string; seed?: string; backend: string; precision?: string; size?: string; threads?: string; json?: string; html?: string }) => {
      const precision = parsePrecision(options.precision);
      const threads = numberOption(options.threads, 'threads', (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'a whole number from 1 to 64') ?? 1;
      const seed = numberOption(options.seed, 'seed', Number.isInteger, 'an integer');
      const duration = numberOption(options.duration, 'duration', (x) => x > 0 && x <= 3600, 'between 0 and 3600 seconds');
      if (model === 'distal-reward') {
        await simulateDistalReward({ seconds: duration ?? 10, ...(seed !== undefined ? { seed } : {}), ...(options.json ? { json: options.json } : {}), ...(options.html ? { html: options.html } : {}) });
        return;
      }
      const size = numberOption(options.size, 'size', (x) => Number.isInteger(x) && x >= 10 && x <= 4_000_000, 'a whole number from 10 to 4,000,000');
      const loaded = await loadModel(model, seed, size);
      const description = precision ? { ...loaded, precision } : loaded;
      const durationSeconds = duration ?? description.duration_seconds ?? 1;
      const task = startTask(`simulating ${description.name ?? model}`);
      const t0 = performance.now();
      let sim: Simulation;
      let activeThreads: number;
      try {
        sim = compileNetwork(description, options.backend, { threads });
        try {
          await sim.ready();
          activeThreads = sim.threads;
          await sim.run(durationSeconds, { onProgress: task.onProgress, signal: task.signal });
        } finally {
          sim.close();
        }
      } finally {
        task.stop();
      }
      const wall = (performance.now() - t0) / 1000;
      const report = summarizeSimulation(model, sim, description.seed ?? 1, durationSeconds, wall, activeThreads);
      if (options.json) await writeFile(options.json, `${JSON.stringify(report)}\n`);
      if (options.html) await writeFile(options.html, renderSimulationReport(report, sim));
      const lines = [`${model}: ${report.neurons} neurons, ${report.synapses} synapses, ${durationSeconds} s in ${wall.toFixed(2)} s (${report.backend}, ${report.precision}${activeThreads > 1 ? `, ${activeThreads} threads` : ''})`];
      for (const s of report.statistics) lines.push(`  ${s.monitor}: ${s.total_spikes} spikes, rate ${s.mean_rate_hz.toFixed(2)} Hz, ISI CV ${s.mean_cv_isi.toFixed(3)}, Fano ${s.fano_factor_50ms.toFixed(3)}, chi ${s.synchrony_chi_5ms.toFixed(3)}`);
      if (report.rate_psd.peak_hz !== null) lines.push(`  population-rate PSD peak: ${report.rate_psd.peak_hz.toFixed(1)} Hz`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
