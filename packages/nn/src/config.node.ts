import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CajalError } from '@cajal/core';
import { type DatasetConfig, type DatasetPair, type TaskEnvironmentFactory, makeBuiltinDataset } from './config.ts';
import { cutWindows, parseBonnText, splitFilesByClass } from './models/eeg.ts';
import type { Dataset } from './train.ts';

/**
 * Node side of training configs: data sets read from disk (Bonn EEG text files).
 *
 * Bonn EEG (Andrzejak et al. 2001): each set folder (Z, O, N, F, S) holds 100 single-channel
 * files of 4097 samples at 173.61 Hz; each file is cut into non-overlapping windows, and FILES
 * are split train/held-out per class with `split_seed`, so no recording is on both sides.
 * Each window is decimated (block means), de-meaned, and divided by the RMS of the training
 * windows; sample shape [1, window / downsample].
 *
 * @example
 *   const data = await loadDataset({ kind: 'bonn-eeg', sets: ['Z', 'S'], splitSeed: 1 });
 */
function defaultBonnPath(): string {
  if (process.env['CAJAL_SHARED']) return join(process.env['CAJAL_SHARED'], 'data', 'bonn-eeg');
  const here = dirname(fileURLToPath(import.meta.url));
  const besideRepository = resolve(here, '..', '..', '..', '..', 'shared', 'data', 'bonn-eeg');
  return existsSync(besideRepository) ? besideRepository : resolve('..', 'shared', 'data', 'bonn-eeg');
}

async function loadBonn(config: Extract<DatasetConfig, { kind: 'bonn-eeg' }>, baseDir: string): Promise<DatasetPair> {
  const root = config.path ? (isAbsolute(config.path) ? config.path : resolve(baseDir, config.path)) : defaultBonnPath();
  const sets = config.sets ?? ['Z', 'S'];
  const window = config.window ?? 512;
  const factor = config.downsample ?? 2;
  const splitSeed = config.splitSeed ?? 1;
  const files: Array<{ signal: Float32Array; label: number }> = [];
  for (const [label, set] of sets.entries()) {
    const folder = join(root, set);
    const names = await readdir(folder).catch(() => {
      throw new CajalError('NOT_FOUND', `Bonn EEG set folder ${folder} not found (dataset.path or $CAJAL_SHARED)`, { file: folder });
    });
    const chosen = names.filter((f) => f.toLowerCase().endsWith('.txt')).sort().slice(0, config.maxFiles ?? Infinity);
    if (chosen.length === 0) throw new CajalError('NOT_FOUND', `no .txt files in ${folder}`, { file: folder });
    for (const name of chosen) files.push({ signal: parseBonnText(await readFile(join(folder, name), 'utf8'), name), label });
  }
  const { train, test } = splitFilesByClass(files.map((f) => f.label), config.testFraction ?? 0.3, splitSeed);
  const length = Math.floor(window / factor);
  const gather = (indices: number[]): { inputs: Float32Array; labels: Int32Array } => {
    const rows: Float32Array[] = [];
    const labels: number[] = [];
    for (const i of indices) {
      const f = files[i] as { signal: Float32Array; label: number };
      for (const w of cutWindows(f.signal, window)) {
        const row = new Float32Array(length);
        let mean = 0;
        for (let j = 0; j < length; j++) {
          let s = 0;
          for (let k = 0; k < factor; k++) s += w[j * factor + k] as number;
          row[j] = s / factor;
          mean += s / factor;
        }
        mean /= length;
        for (let j = 0; j < length; j++) row[j] = (row[j] as number) - mean;
        rows.push(row);
        labels.push(f.label);
      }
    }
    const inputs = new Float32Array(rows.length * length);
    rows.forEach((r, i) => inputs.set(r, i * length));
    return { inputs, labels: Int32Array.from(labels) };
  };
  const training = gather(train);
  const held = gather(test);
  let squares = 0;
  for (let i = 0; i < training.inputs.length; i++) squares += (training.inputs[i] as number) ** 2;
  const scale = Math.sqrt(squares / Math.max(1, training.inputs.length)) || 1;
  for (const part of [training.inputs, held.inputs]) for (let i = 0; i < part.length; i++) part[i] = (part[i] as number) / scale;
  const dataset = (d: { inputs: Float32Array; labels: Int32Array }): Dataset => ({ inputs: d.inputs, sampleShape: [1, length], targets: d.labels, count: d.labels.length });
  const pair: DatasetPair = {
    train: dataset(training),
    description: { data: 'Bonn EEG', root, sets, window, downsample: factor, split: 'by file, stratified', split_seed: splitSeed, train_files: train.length, held_out_files: test.length, train_windows: training.labels.length, held_out_windows: held.labels.length, amplitude_scale: scale },
  };
  if (held.labels.length > 0) pair.validation = dataset(held);
  return pair;
}

/**
 * Load or generate the data set a config names; relative paths resolve against `baseDir`
 * (default the working folder); task-backed kinds play `createTaskEnvironment`'s tasks.
 */
export async function loadDataset(config: DatasetConfig, options: { baseDir?: string; seed?: number; createTaskEnvironment?: TaskEnvironmentFactory } = {}): Promise<DatasetPair> {
  if (config.kind === 'bonn-eeg') return loadBonn(config, options.baseDir ?? process.cwd());
  return makeBuiltinDataset(config, options.seed ?? 0, options.createTaskEnvironment);
}
