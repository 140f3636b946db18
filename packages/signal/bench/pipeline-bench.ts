/**
 * Pipeline benchmark (prints JSON): Cajal against ../shared/peers/mne_pipeline.py (MNE 1.3 /
 * SciPy 1.10, /usr/bin/python3) on the same 1-hour, 23-channel, 256 Hz EDF in the same run.
 *
 * Stages (mne_pipeline.py's): read; band-pass 1-40 Hz + notch 50 Hz (MNE's FIR defaults); Welch
 * PSD (Hamming, 512/256, MNE conventions) + band powers; all-pairs alpha coherence (SciPy's
 * conventions, mean over 8 <= f < 13 Hz); and Cajal's whole default pipeline (read +
 * runDefaultPipeline, what `cajal analyze` runs) against MNE's sum of its four stages.
 *
 * Each side runs in its own process so peak RSS (getrusage maxrss) is its own. Timings are wall
 * seconds (what the issue asks for) and CPU seconds of the process (user + system; for MNE its
 * stage clock is switched to time.process_time): on a shared machine the CPU figures are the
 * stable ones. Rounds alternate Cajal and MNE; medians are reported.
 *
 *   npm run bench -w @cajal/signal                 (add -- --rounds 3)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '@cajal/core/testing';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const rounds = argument('rounds', 1);
const python = '/usr/bin/python3';
const folder = mkdtempSync(join(tmpdir(), 'cajal-signal-bench-'));
const child = join(import.meta.dirname, 'pipeline-child.ts');
type Json = Record<string, unknown>;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const lastJsonLine = (text: string): Json => JSON.parse(text.trim().split('\n').pop() as string) as Json;

try {
  const file = join(folder, 'one-hour.edf');
  execFileSync(python, [sharedPath('peers', 'make_edf.py'), '--hours', '1', '--out', file], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PEERS_DATA: folder } });

  // MNE's stage clock switched to CPU time for a second, CPU-timed run of the same script.
  const cpuWrapper = join(folder, 'mne_cpu.py');
  writeFileSync(cpuWrapper, 'import runpy, sys, time\ntime.perf_counter = time.process_time\nscript = sys.argv[1]\nsys.argv = sys.argv[1:]\nrunpy.run_path(script, run_name="__main__")\n');
  const runMne = (cpuClock: boolean): Json => {
    const script = sharedPath('peers', 'mne_pipeline.py');
    const args = cpuClock ? [cpuWrapper, script, file, '--no-outputs'] : [script, file, '--no-outputs'];
    return lastJsonLine(execFileSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PEERS_DATA: folder } }));
  };
  const runCajal = (mode: 'stages' | 'pipeline'): Json => lastJsonLine(execFileSync(process.execPath, ['--import', 'tsx', child, mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 }));

  const loadBefore = loadavg()[0] as number;
  const cajalStages: Json[] = [];
  const cajalPipeline: Json[] = [];
  const mneWall: Json[] = [];
  const mneCpu: Json[] = [];
  for (let round = 0; round < rounds; round++) {
    cajalStages.push(runCajal('stages'));
    mneWall.push(runMne(false));
    cajalPipeline.push(runCajal('pipeline'));
    mneCpu.push(runMne(true));
  }
  const loadAfter = loadavg()[0] as number;

  const stage = (runs: Json[], group: 'seconds' | 'cpu_seconds', key: string): number => median(runs.map((r) => Number((r[group] as Record<string, number>)[key])));
  const mneStage = (runs: Json[], key: string): number => median(runs.map((r) => Number(r[`${key}_s`])));
  const round3 = (v: number): number => Math.round(v * 1000) / 1000;
  const stages = ['read', 'filter', 'psd', 'connectivity'] as const;
  const rows: Record<string, Json> = {};
  for (const name of stages) {
    const cajal = { wall_s: round3(stage(cajalStages, 'seconds', name)), cpu_s: round3(stage(cajalStages, 'cpu_seconds', name)) };
    const mne = { wall_s: round3(mneStage(mneWall, name)), cpu_s: round3(mneStage(mneCpu, name)) };
    rows[name] = { cajal, mne, speedup_wall: round3(mne.wall_s / cajal.wall_s), speedup_cpu: round3(mne.cpu_s / cajal.cpu_s) };
  }
  const pipelineCajal = { wall_s: round3(stage(cajalPipeline, 'seconds', 'pipeline')), cpu_s: round3(stage(cajalPipeline, 'cpu_seconds', 'pipeline')) };
  const pipelineMne = { wall_s: round3(mneStage(mneWall, 'total_stages')), cpu_s: round3(mneStage(mneCpu, 'total_stages')) };
  rows['pipeline'] = {
    cajal: pipelineCajal,
    mne: pipelineMne,
    speedup_wall: round3(pipelineMne.wall_s / pipelineCajal.wall_s),
    speedup_cpu: round3(pipelineMne.cpu_s / pipelineCajal.cpu_s),
    note: 'Cajal: read + runDefaultPipeline (band-pass + notch, Welch PSD, band powers, features, alpha msc + wPLI, graph measures); MNE: read + filter + psd + per-pair coherence',
  };
  const peakCajalStages = median(cajalStages.map((r) => Number(r['peak_rss_mb'])));
  const peakCajalPipeline = median(cajalPipeline.map((r) => Number(r['peak_rss_mb'])));
  const peakMne = median(mneWall.map((r) => Number(r['peak_rss_mb'])));
  const first = mneWall[0] as Json;
  const checks = cajalStages[0]?.['checks'] as Record<string, number>;
  console.log(JSON.stringify({
    benchmark: 'signal-pipeline-vs-mne',
    date: new Date().toISOString(),
    node: process.version,
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    load_average_1min: { before: round3(loadBefore), after: round3(loadAfter) },
    rounds,
    file: { bytes: statSync(file).size, channels: cajalStages[0]?.['channels'], samples_per_channel: cajalStages[0]?.['samples_per_channel'], sample_rate_hz: cajalStages[0]?.['sample_rate_hz'] },
    peer: { mne: first['mne'], scipy: first['scipy'], numpy: first['numpy'] },
    stages: rows,
    peak_rss_mb: { cajal_stages: round3(peakCajalStages), cajal_pipeline: round3(peakCajalPipeline), mne: round3(peakMne), cajal_over_mne: round3(Math.max(peakCajalStages, peakCajalPipeline) / peakMne) },
    same_numbers: {
      alpha_power_ch0_uV2: { cajal: checks['alpha_power_ch0'], mne: first['alpha_power_ch0_uV2'] },
      alpha_coherence_upper_mean: { cajal: checks['alpha_coherence_upper_mean'], mne: first['alpha_coherence_upper_mean'] },
    },
  }));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
