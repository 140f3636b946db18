import { type DatasetConfig, type DatasetPair } from '@cajal/nn';
import { loadDataset } from '@cajal/nn/node';
import { createDatasetEnvironment } from './datasets.ts';

/**
 * Node side of @cajal/compare: load or generate the data set a training config names, files
 * (Bonn EEG, relative to `baseDir`) and task-backed sets alike.
 *
 * @example
 *   const data = await loadTrainingDataset(config.dataset, { baseDir: dirname(configPath), seed: 0 });
 */
export function loadTrainingDataset(config: DatasetConfig, options: { baseDir?: string; seed?: number } = {}): Promise<DatasetPair> {
  return loadDataset(config, { ...options, createTaskEnvironment: createDatasetEnvironment });
}
