import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CajalError, makeDemoEeg } from '@cajal/core';
import { writeEdf } from '@cajal/formats';
import { printInfo } from './info.ts';

/**
 * `cajal demo [--out FILE] [--seed N] [--duration S]`: write the SIMULATED demo EEG (19
 * channels, 256 Hz, posterior alpha, a 3 Hz spike-wave episode) as EDF+ (to a temporary folder
 * unless --out is given) and print `cajal info` for it.
 *
 * @example
 *   cajal demo --out demo.edf --duration 120
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('write a SIMULATED demo EEG as EDF+ and describe it')
    .option('--out <file>', 'where to write the EDF+ file (default: a new temporary folder)')
    .option('--seed <n>', 'random seed', '1')
    .option('--duration <seconds>', 'length in seconds', '60')
    .option('--json', 'print the info as JSON')
    .action(async (options: { out?: string; seed: string; duration: string; json?: boolean }) => {
      const seed = Number(options.seed);
      const durationSeconds = Number(options.duration);
      if (!Number.isInteger(seed)) throw new CajalError('INVALID_ARGUMENT', `--seed must be an integer, got "${options.seed}"`);
      if (!(durationSeconds > 0 && durationSeconds <= 24 * 3600)) throw new CajalError('INVALID_ARGUMENT', `--duration must be between 0 and 86400 seconds, got "${options.duration}"`);
      const path = options.out ?? join(await mkdtemp(join(tmpdir(), 'cajal-demo-')), 'demo-eeg.edf');
      const { bytes } = writeEdf(makeDemoEeg({ seed, durationSeconds }));
      await writeFile(path, bytes);
      if (!options.json) process.stdout.write(`wrote SIMULATED demo EEG to ${path}\n`);
      await printInfo(path, options.json === true);
    });
}
