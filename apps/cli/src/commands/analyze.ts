import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { CajalError } from '@cajal/core';
import type { Recording } from '@cajal/core';
import { readRecordingFile } from '@cajal/formats/node';
import { analyzeRecording, defaultBands, parseBands, parseMontage } from '@cajal/signal';
import type { AnalysisJson, AnalyzeRecordingOptions, Band, Montage, TaskPool } from '@cajal/signal';
import { createNodePool } from '@cajal/signal/node';
import { startTask } from '../progress.ts';
import { renderAnalysisReport } from './analyze-report.ts';

/** What `cajal analyze --json` writes: `@cajal/signal`'s exported analysis plus the file it read (snake_case). */
export interface AnalyzeReport extends AnalysisJson {
  file: string;
}

/** Command-line options of `cajal analyze`, as typed text. */
export interface AnalyzeCliOptions {
  montage?: string;
  bands?: string;
  lineFreq?: string;
  channels?: string;
  workers?: string;
  json?: string;
  html?: string;
  quiet?: boolean;
}

/** Recordings with more samples than this (all channels together) use the worker pool by default. */
const workerThresholdSamples = 20_000_000;

interface ParsedOptions {
  montage: Montage;
  bands: Band[];
  lineFrequency: number | null;
  channels: string[] | undefined;
  workers: number | undefined;
}

/** Check every option before any file is read, so a typo fails at once with one line. */
export function parseAnalyzeOptions(options: AnalyzeCliOptions): ParsedOptions {
  const montage = parseMontage(options.montage ?? 'as-recorded');
  const bands = options.bands === undefined ? defaultBands : parseBands(options.bands);
  const names = new Set<string>();
  for (const band of bands) {
    if (names.has(band.name)) throw new CajalError('INVALID_ARGUMENT', `band "${band.name}" is given twice in --bands`, { field: 'bands' });
    names.add(band.name);
  }
  const lineText = (options.lineFreq ?? '50').trim().toLowerCase();
  let lineFrequency: number | null;
  if (lineText === 'none' || lineText === 'off') lineFrequency = null;
  else if (lineText === '50' || lineText === '60') lineFrequency = Number(lineText);
  else throw new CajalError('INVALID_ARGUMENT', `--line-freq must be 50, 60 or none, got "${options.lineFreq}"`, { field: 'line-freq' });
  const channels = options.channels === undefined ? undefined : options.channels.split(',').map((c) => c.trim()).filter((c) => c.length > 0);
  if (channels !== undefined && channels.length === 0) throw new CajalError('INVALID_ARGUMENT', '--channels is empty', { field: 'channels' });
  let workers: number | undefined;
  if (options.workers !== undefined) {
    workers = Number(options.workers);
    if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new CajalError('INVALID_ARGUMENT', `--workers must be an integer from 0 to 64, got "${options.workers}"`, { field: 'workers' });
  }
  return { montage, bands, lineFrequency, channels, workers };
}

function totalSamples(recording: Recording): number {
  return recording.channels.reduce((sum, c) => sum + c.sampleCount, 0);
}

/**
 * Read `file`, run the default pipeline (band-pass 1-40 Hz, notch at the line frequency,
 * Welch PSD, absolute and relative band powers, alpha-band coherence / wPLI / PLV with graph
 * measures) and return the report object. Progress goes to a bar on stderr (TTY only); Ctrl-C
 * cancels with CajalError ABORTED.
 *
 * @example
 *   const report = await analyzeFile('recording.edf', { lineFreq: '60' });
 *   report.band_powers.relative.alpha; // one value per channel
 */
export async function analyzeFile(file: string, options: AnalyzeCliOptions = {}): Promise<AnalyzeReport> {
  const parsed = parseAnalyzeOptions(options);
  const task = startTask('analyzing', options.quiet ? { quiet: true } : {});
  let pool: TaskPool | undefined;
  try {
    const recording = await readRecordingFile(file, { onProgress: (p) => task.onProgress({ ...p, stage: 'reading' }), signal: task.signal });
    // One worker beside an idle main thread gains nothing, so the automatic pool needs 3+ cores.
    const spare = Math.min(8, availableParallelism() - 1);
    const workers = parsed.workers ?? (totalSamples(recording) > workerThresholdSamples && spare >= 2 ? spare : 0);
    if (workers > 0) pool = createNodePool({ size: workers });
    const analyzeOptions: AnalyzeRecordingOptions = {
      montage: parsed.montage,
      bands: parsed.bands,
      lineFrequency: parsed.lineFrequency,
      onProgress: task.onProgress,
      signal: task.signal,
      ...(parsed.channels ? { channels: parsed.channels } : {}),
      ...(pool ? { pool } : {}),
    };
    return { file, ...(await analyzeRecording(recording, analyzeOptions)) };
  } finally {
    task.stop();
    await pool?.close();
  }
}

/** A short text summary for the terminal: relative band power (%) and peak alpha per channel. */
export function formatAnalysisSummary(report: AnalyzeReport): string {
  const names = report.bands.map((b) => b.name);
  const width = Math.max(7, ...report.channels.map((c) => c.label.length));
  const lines = [
    `${report.file}: ${report.channels.length} channels, ${Number(report.duration_seconds.toFixed(3))} s at ${report.sample_rate_hz} Hz, montage ${report.montage}`,
    `relative band power (%) and peak alpha frequency (Hz):`,
    `  ${'channel'.padEnd(width)} ${names.map((n) => n.padStart(7)).join(' ')}     PAF`,
  ];
  report.channels.forEach((c, i) => {
    const cells = names.map((n) => (100 * (report.band_powers.relative[n]?.[i] ?? NaN)).toFixed(1).padStart(7));
    const paf = report.features[i]?.peak_alpha_frequency_hz ?? NaN;
    lines.push(`  ${c.label.padEnd(width)} ${cells.join(' ')} ${paf.toFixed(2).padStart(7)}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * `cajal analyze FILE [--montage M] [--bands SPEC] [--line-freq 50|60] [--json OUT] [--html OUT]`:
 * the default analysis of a recording, written as JSON (every number) and as a self-contained
 * HTML report (traces, spectra, head maps, connectivity matrix and graph). Without --json or
 * --html it prints a summary table.
 *
 * @example
 *   cajal analyze recording.edf --montage average --line-freq 60 --json out.json --html out.html
 */
export function register(program: Command): void {
  program
    .command('analyze')
    .description('band-pass, notch, Welch PSD, band powers and alpha-band connectivity of a recording; JSON and HTML report')
    .argument('<file>', 'any readable recording (EDF/EDF+/BDF/BDF+, BrainVision, ...)')
    .option('--montage <name>', 'as-recorded, average, linked-ears, linked-mastoids, double-banana, transverse, laplacian', 'as-recorded')
    .option('--bands <spec>', 'bands as NAME:LOW-HIGH,... (default delta:1-4,theta:4-8,alpha:8-13,beta:13-30)')
    .option('--line-freq <hz>', 'mains frequency for the notch: 50, 60 or none', '50')
    .option('--channels <labels>', 'comma-separated channel labels, or "all" for every EEG channel (default: the EEG channels with a 10-20 / 10-10 position)')
    .option('--workers <n>', 'worker threads for the per-channel work (0: in-process; default: automatic)')
    .option('--json <out>', 'write every number as JSON to OUT ("-" for stdout)')
    .option('--html <out>', 'write a self-contained HTML report to OUT')
    .action(async (file: string, options: AnalyzeCliOptions) => {
      parseAnalyzeOptions(options);
      const report = await analyzeFile(file, options);
      // With --json - stdout holds only the JSON, so the "wrote" lines go to stderr.
      const say = (line: string): boolean => (options.json === '-' ? process.stderr : process.stdout).write(`${line}\n`);
      if (options.json === '-') {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else if (options.json) {
        await writeFile(options.json, `${JSON.stringify(report, null, 1)}\n`);
        say(`wrote ${options.json}`);
      }
      if (options.html) {
        await writeFile(options.html, renderAnalysisReport(report));
        say(`wrote ${options.html}`);
      }
      if (!options.json && !options.html) process.stdout.write(formatAnalysisSummary(report));
    });
}
