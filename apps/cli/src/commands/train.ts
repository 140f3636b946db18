import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CajalError } from '@cajal/core';
import { compatibleTasks, getTask, runAgentOnTaskAsync, tasks, taskNames } from '@cajal/compare';
import { agentNames, agents, getAgent, type TrainingResult } from '@cajal/learn';
import { startTask } from '../progress.ts';
import { lineChart, type Series } from '@cajal/viz';
import { renderReport, table, type ReportSection } from '../report/html.ts';

/**
 * `cajal train AGENT --env ENV [--episodes N] [--seed S] [--json OUT] [--html OUT]`: train a
 * named agent on a named environment (see `cajal train --list`), print a summary, and
 * optionally write the curves, prediction-error snapshots and a summary of the agent's
 * Recording as JSON, and an HTML report with the learning curves and prediction errors.
 * Progress bar on stderr (TTY only); Ctrl-C cancels (exit 130).
 *
 * @example
 *   cajal train td-lambda --env conditioning --episodes 300 --html td.html
 */
export interface TrainCliOptions {
  env?: string;
  episodes?: string;
  seed?: string;
  json?: string;
  html?: string;
  list?: boolean;
  quiet?: boolean;
}

/** The catalogue as text: agents (with the environments each plays) and environments. */
export function formatCatalog(): string {
  const width = Math.max(...[...agentNames, ...taskNames].map((n) => n.length));
  const lines = ['agents:'];
  for (const a of agents) lines.push(`  ${a.name.padEnd(width)}  ${a.description}`, `  ${''.padEnd(width)}  plays: ${compatibleTasks(a.name).join(', ')}`);
  lines.push('environments:');
  for (const e of tasks) lines.push(`  ${e.name.padEnd(width)}  ${e.description}`);
  return `${lines.join('\n')}\n`;
}

const round = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

/** The JSON written by --json: plain arrays, numbers to 6 significant digits. */
export function trainingJson(result: TrainingResult): Record<string, unknown> {
  return {
    agent: result.agent,
    environment: result.environment,
    episodes: result.episodes,
    seed: result.seed,
    summary: result.summary,
    updates: result.updates,
    environment_steps: result.environment_steps,
    curves: Object.fromEntries(result.curves.map((c) => [c.name, Array.from(c.values, round)])),
    rpe_snapshots: result.rpe_snapshots.map((s) => ({ label: s.label, rpe: Array.from(s.rpe, round) })),
    recording: {
      source: result.recording.source ?? null,
      channels: result.recording.channels.map((c) => {
        let sum = 0;
        let count = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const v of c.samples) {
          if (!Number.isFinite(v)) continue;
          sum += v;
          count++;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        return { label: c.label, sample_count: c.sampleCount, sample_rate_hz: c.sampleRateHz, mean: count ? round(sum / count) : null, min: count ? round(min) : null, max: count ? round(max) : null };
      }),
    },
  };
}

function episodeAxis(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i + 1);
}

/** The HTML report: learning curves, prediction errors (within-trial snapshots and over training), summary. */
export function renderTrainingReport(result: TrainingResult): string {
  const x = episodeAxis(result.episodes);
  const together = result.agent === 'td' || result.agent === 'td-lambda' || result.agent === 'rescorla-wagner' || result.agent === 'distributional-td';
  const learning = result.curves.filter((c) => c.name !== 'prediction_error');
  const curveCharts = together
    ? [lineChart(learning.map((c): Series => ({ name: c.name, x, y: c.values })), { id: 'learning-curve', title: 'Learning curves', xLabel: 'episode', yLabel: 'value' })]
    : learning.map((c, i) => lineChart([{ name: c.name, x, y: c.values }], { id: i === 0 ? 'learning-curve' : `learning-curve-${i}`, title: c.name, xLabel: 'episode', yLabel: c.name }));
  const sections: ReportSection[] = [{ heading: 'Learning curves', body: curveCharts.join('\n') }];
  const errorCharts: string[] = [];
  if (result.rpe_snapshots.length > 0) {
    errorCharts.push(
      lineChart(
        result.rpe_snapshots.map((s): Series => ({ name: s.label, x: Float32Array.from(s.rpe, (_, i) => i + 1), y: s.rpe })),
        { id: 'rpe-snapshots', title: 'Prediction error within a trial (cue at step 5, reward at 15)', xLabel: 'time step', yLabel: 'delta' },
      ),
    );
  }
  const pe = result.curves.find((c) => c.name === 'prediction_error');
  if (pe) errorCharts.push(lineChart([{ name: pe.name, x, y: pe.values }], { id: 'prediction-error-curve', title: 'Prediction error per trial', xLabel: 'trial', yLabel: 'delta' }));
  const rpe = result.recording.channels.find((c) => c.label === 'rpe');
  if (rpe) {
    errorCharts.push(
      lineChart([{ name: 'rpe', x: Float32Array.from(rpe.samples, (_, i) => i), y: rpe.samples }], { id: 'rpe-recording', title: 'Prediction error over training (the Recording\'s "rpe" channel)', xLabel: 'recorded step', yLabel: 'delta' }),
    );
  }
  sections.push({ heading: 'Prediction errors', body: errorCharts.join('\n') });
  sections.push({ heading: 'Summary', body: table(['measure', 'value'], Object.entries(result.summary).map(([k, v]) => [k, v])) });
  return renderReport({
    title: `${result.agent} on ${result.environment}`,
    subtitle: `${getAgent(result.agent).description}; ${getTask(result.environment).description}`,
    facts: [
      ['episodes', result.episodes],
      ['seed', result.seed],
      ['updates', result.updates],
      ['environment steps', result.environment_steps],
    ],
    sections,
  });
}

/** A short text summary for the terminal. */
export function formatTrainingSummary(result: TrainingResult): string {
  const lines = [`${result.agent} on ${result.environment}: ${result.episodes} episodes, seed ${result.seed}, ${result.environment_steps} environment steps, ${result.updates} agent updates`];
  for (const [k, v] of Object.entries(result.summary)) lines.push(`  ${k}: ${typeof v === 'number' ? round(v) : v}`);
  return `${lines.join('\n')}\n`;
}

function parseInteger(value: string | undefined, name: string, fallback: number | undefined, min: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CajalError('INVALID_ARGUMENT', `--${name} must be an integer >= ${min}, got "${value}"`, { field: name });
  return n;
}

/** Run `cajal train` (exported for tests). */
export async function runTrain(agent: string | undefined, options: TrainCliOptions): Promise<TrainingResult | undefined> {
  if (options.list) {
    process.stdout.write(formatCatalog());
    return undefined;
  }
  if (!agent) throw new CajalError('INVALID_ARGUMENT', `name an agent (${agentNames.join(', ')}); see cajal train --list`, { field: 'agent' });
  if (!options.env) throw new CajalError('INVALID_ARGUMENT', `--env is required (${taskNames.join(', ')}); see cajal train --list`, { field: 'env' });
  const episodes = parseInteger(options.episodes, 'episodes', undefined, 1);
  const seed = parseInteger(options.seed, 'seed', 0, 0) as number;
  const task = startTask('training', options.quiet ? { quiet: true } : {});
  let result: TrainingResult;
  try {
    result = await runAgentOnTaskAsync(agent, options.env, { seed, ...(episodes !== undefined ? { episodes } : {}), onProgress: task.onProgress, signal: task.signal });
  } finally {
    task.stop();
  }
  process.stdout.write(formatTrainingSummary(result));
  if (options.json) {
    await writeFile(options.json, `${JSON.stringify(trainingJson(result))}\n`);
    process.stdout.write(`wrote ${options.json}\n`);
  }
  if (options.html) {
    await writeFile(options.html, renderTrainingReport(result));
    process.stdout.write(`wrote ${options.html}\n`);
  }
  return result;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train an RL agent on a task; plot learning curves and prediction errors (cajal train --list for names)')
    .argument('[agent]', `agent: ${agentNames.join(', ')}`)
    .option('--env <env>', `environment: ${taskNames.join(', ')}`)
    .option('--episodes <n>', 'episodes (trials) to train (default: the design length for compound designs, 300 for gridworld, 500 otherwise)')
    .option('--seed <s>', 'random seed', '0')
    .option('--json <file>', 'write curves, prediction-error snapshots and the recording summary as JSON')
    .option('--html <file>', 'write an HTML report (learning curves, prediction errors)')
    .option('--list', 'list agents and environments')
    .option('--quiet', 'no progress bar')
    .addHelpText('after', `\n${formatCatalog()}`)
    .action(async (agent: string | undefined, options: TrainCliOptions) => {
      await runTrain(agent, options);
    });
}
