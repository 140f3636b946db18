import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CajalError } from '@cajal/core';
import { writeBdf, writeEdf } from '@cajal/formats';
import type { EdfWriteResult } from '@cajal/formats';
import { readRecordingFile } from '@cajal/formats/node';
import { startTask } from '../progress.ts';

/** Convert `input` to EDF+ (.edf) or BDF+ (.bdf) by the output's extension. */
export async function convertFile(input: string, output: string, options: { quiet?: boolean } = {}): Promise<EdfWriteResult> {
  const extension = /\.(edf|bdf)$/i.exec(output)?.[1]?.toLowerCase();
  if (!extension) throw new CajalError('INVALID_ARGUMENT', `output ${output} must end in .edf (EDF+) or .bdf (BDF+)`, { file: output });
  const task = startTask('converting', options.quiet ? { quiet: true } : {});
  try {
    const recording = await readRecordingFile(input, { onProgress: task.onProgress, signal: task.signal });
    const write = extension === 'bdf' ? writeBdf : writeEdf;
    const result = write(recording, { onProgress: task.onProgress, signal: task.signal });
    await writeFile(output, result.bytes);
    return result;
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
      process.stdout.write(`wrote ${output}: ${result.format.toUpperCase()}, ${result.recordCount} records of ${result.recordDurationSeconds} s, ${result.bytes.length} bytes${clipped}${padded}\n`);
    });
}
