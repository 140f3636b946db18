/**
 * @cajal/compare: people and machines side by side. For now: the named tasks agents play
 * (`tasks`, `getTask`), agents playing them by name (`runAgentOnTask`), and the tasks behind
 * nn's task-backed training data sets (`makeTrainingDataset`, `serveTrainingOnTasks`).
 *
 * @example
 *   import { runAgentOnTask } from '@cajal/compare';
 *   const result = runAgentOnTask('q-learning', 'reversal', { episodes: 3000, seed: 1 });
 */
export * from './tasks.ts';
export * from './run.ts';
export * from './datasets.ts';
