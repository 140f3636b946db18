import type { Environment } from '@cajal/core';
import { type DatasetConfig, type DatasetPair, type TaskDatasetConfig, type WorkerScope, makeBuiltinDataset, serveTraining } from '@cajal/nn';
import { delayedMatchSequence, NBackTask } from '@cajal/tasks';

/**
 * The tasks behind nn's task-backed training data sets: `nback` plays @cajal/tasks' n-back,
 * `dms` the back-to-back delayed match-to-sample sequence (the one definition the RL agents
 * and memory models also play).
 *
 * @example
 *   const data = makeTrainingDataset({ kind: 'dms', minDelay: 2, maxDelay: 6 }, 0);
 */
export function createDatasetEnvironment(config: TaskDatasetConfig): Environment<Float32Array, number> {
  if (config.kind === 'nback') return new NBackTask({ n: config.n ?? 2, stimuli: config.stimuli ?? 4 });
  return delayedMatchSequence({ stimulusCount: config.stimuli ?? 4, minDelay: config.minDelay ?? 2, maxDelay: config.maxDelay ?? 6 });
}

/** nn's `makeBuiltinDataset` with the tasks of @cajal/tasks (every kind but bonn-eeg). */
export function makeTrainingDataset(config: DatasetConfig, seed = 0): DatasetPair {
  return makeBuiltinDataset(config, seed, createDatasetEnvironment);
}

/**
 * nn's training worker serving the task-backed data sets too.
 *
 * @example
 *   // worker.ts: import { loadWasmGemm } from '@cajal/nn'; await loadWasmGemm(); serveTrainingOnTasks(self);
 */
export function serveTrainingOnTasks(scope: WorkerScope): void {
  serveTraining(scope, { createTaskEnvironment: createDatasetEnvironment });
}
