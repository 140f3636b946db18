import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { CajalError } from '@cajal/core';
import { type SweepParameter, type SweepRunner, gridPoints, parseSweepParameter, randomPoints, runSweep, sweepTableToCsv } from '@cajal/sim';
import { createSweepPool } from '@cajal/sim/node';
import { startTask } from '../progress.ts';
import { exampleModels, loadModel, numberOption } from './simulate-models.ts';

/**
 * `cajal sweep MODEL --param name=from:to:steps ... [--random N] [--duration S] [--seed N]
 * [--workers N] [--json OUT] [--csv OUT]`: simulate every grid point (or N random points
 * within the ranges) on a worker pool and print the table (parameters, rate, ISI CV, Fano,
 * synchrony, spikes). Parameter names: a model/synapse parameter (`we`), or `Group.field` /
 * `Synapses.field` (`Input.rate`, `Ce.p`); values in the unit the model writes them in.
 *
 * @example
 *   cajal sweep lif-poisson --param Input.rate=5:30:6 --param we=0.3:0.9:3 --duration 0.5
 */
export function register(program: Command): void {
  program
    .command('sweep')
    .description(`simulate a grid (or random sample) of parameter values: ${Object.keys(exampleModels).filter((m) => m !== 'distal-reward').join(', ')} or a .json network`)
    .argument('<model>', 'example name or path to a network description (.json)')
    .option('--param <name=from:to:steps>', 'a parameter range (repeatable; add :log for log spacing)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--random <n>', 'draw n random points within the ranges instead of the grid')
    .option('--duration <seconds>', 'biological time per point (default: the model\'s)')
    .option('--seed <n>', 'random seed of the network (and of --random)')
    .option('--workers <n>', 'worker threads (default: cores - 1; 1 runs in this thread)')
    .option('--json <file>', 'write the table as JSON ({ columns, rows })')
    .option('--csv <file>', 'write the table as CSV')
    .action(async (model: string, options: { param: string[]; random?: string; duration?: string; seed?: string; workers?: string; json?: string; csv?: string }) => {
      if (options.param.length === 0) throw new CajalError('INVALID_ARGUMENT', 'give at least one --param name=from:to:steps', { field: 'param' });
      if (model === 'distal-reward') throw new CajalError('INVALID_ARGUMENT', 'distal-reward is a closed-loop experiment; sweep its network through a .json description instead', { field: 'model' });
      const parameters: SweepParameter[] = options.param.map(parseSweepParameter);
      const seed = numberOption(options.seed, 'seed', Number.isInteger, 'an integer');
      const durationSeconds = numberOption(options.duration, 'duration', (x) => x > 0 && x <= 3600, 'between 0 and 3600 seconds');
      const random = numberOption(options.random, 'random', (x) => Number.isInteger(x) && x > 0 && x <= 100000, 'a positive integer');
      const workers = numberOption(options.workers, 'workers', (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'an integer from 1 to 64');
      const description = await loadModel(model, seed);
      const points = random !== undefined ? randomPoints(parameters, random, seed ?? 1) : gridPoints(parameters);
      const size = Math.min(points.length, workers ?? Math.max(1, Math.min(8, availableParallelism() - 1)));
      const runner: SweepRunner | undefined = size > 1 ? createSweepPool({ size }) : undefined;
      const task = startTask(`sweeping ${points.length} points`);
      let table;
      try {
        table = await runSweep(description, points, {
          ...(durationSeconds !== undefined ? { durationSeconds } : {}), ...(runner ? { runner } : {}),
          onProgress: task.onProgress, signal: task.signal,
        });
      } finally {
        task.stop();
        await runner?.close();
      }
      if (options.json) await writeFile(options.json, `${JSON.stringify(table, null, 1)}\n`);
      if (options.csv) await writeFile(options.csv, sweepTableToCsv(table));
      const show = (x: number): string => (Number.isInteger(x) ? String(x) : Number.isFinite(x) ? x.toPrecision(4) : String(x));
      const widths = table.columns.map((c) => Math.max(c.length, ...table.rows.map((r) => show((r as Record<string, number>)[c] as number).length)));
      const line = (cells: string[]): string => cells.map((c, k) => c.padStart(widths[k] as number)).join('  ');
      process.stdout.write(`${[line(table.columns), ...table.rows.map((r) => line(table.columns.map((c) => show((r as Record<string, number>)[c] as number))))].join('\n')}\n`);
    });
}
