import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { CajalError } from '@cajal/core';
import { readRecordingFile, writeEdfFile } from '@cajal/formats/node';
import { startTask } from '../progress.ts';

/** What `convertFile` wrote. */
export type ConvertResult = Awaited<ReturnType<typeof writeEdfFile>>;

/**
 * Convert `input` to EDF+ (.edf) or BDF+ (.bdf) by the output's extension. The output is
 * written record by record (no second copy of the recording in memory).
 */
export async function convertFile(input: string, output: string, options: { quiet?: boolean } = {}): Promise<ConvertResult> {
  const extension = /\.(edf|bdf)$/i.exec(output)?.[1]?.toLowerCase();
  if (!extension) throw new CajalError('INVALID_ARGUMENT', `output ${output} must end in .edf (EDF+) or .bdf (BDF+)`, { file: output });
  const task = startTask('converting', options.quiet ? { quiet: true } : {});
  try {
    const recording = await readRecordingFile(input, { onProgress: task.onProgress, signal: task.signal });
    try {
      return await writeEdfFile(recording, output, { format: extension === 'bdf' ? 'bdf' : 'edf', onProgress: task.onProgress, signal: task.signal });
    } catch (error) {
      await rm(output, { force: true }); // no half-written file left behind (Ctrl-C, full disk)
      throw error;
    }
  } finally {
    task.stop();
  }
}

/**
 * `cajal convert IN OUT`: any readable recording to EDF+ (.edf) or BDF+ (.bdf), with a progress
 * bar; one line on stderr and a non-zero exit on bad input.
 *
 * @example
 *   cajal convert recording.vhdr recording.edf
 */
export function register(program: Command): void {
  program
    .command('convert')
    .description('convert a recording to EDF+ (.edf) or BDF+ (.bdf)')
    .argument('<input>', 'any readable recording')
    .argument('<output>', 'output path ending in .edf or .bdf')
    .action(async (input: string, output: string) => {
      const result = await convertFile(input, output);
      const clipped = result.clippedSamples > 0 ? `, ${result.clippedSamples} samples clipped to the digital range` : '';
      const padded = result.paddedSamples > 0 ? `, ${result.paddedSamples} samples padded` : '';
      process.stdout.write(`wrote ${output}: ${result.format.toUpperCase()}, ${result.recordCount} records of ${result.recordDurationSeconds} s, ${result.bytes} bytes${clipped}${padded}\n`);
    });
}
