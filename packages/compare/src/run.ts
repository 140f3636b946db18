import { CajalError } from '@cajal/core';
import { getAgent, runAgent, runAgentAsync, type PlayableTask, type TrainingResult, type TrainOptions } from '@cajal/learn';
import { getTask, tasks } from './tasks.ts';

/**
 * Agents playing tasks by name: the pairing of @cajal/learn's agent registry with the task
 * registry here. An agent plays a task when the task offers the kind the agent plays.
 *
 * @example
 *   const result = runAgentOnTask('td-lambda', 'conditioning', { episodes: 200, seed: 1 });
 *   result.curves.find((c) => c.name === 'cue_rpe');
 */
export function compatibleTasks(agentName: string): string[] {
  const agent = getAgent(agentName);
  return tasks.filter((t) => t.offers.includes(agent.plays)).map((t) => t.name);
}

function pair(agentName: string, taskName: string): PlayableTask {
  const agent = getAgent(agentName);
  const task = getTask(taskName);
  if (!task.offers.includes(agent.plays)) {
    throw new CajalError('INVALID_ARGUMENT', `agent "${agent.name}" cannot play "${task.name}"; it plays: ${compatibleTasks(agent.name).join(', ')}`, { field: 'env' });
  }
  return task.create();
}

/**
 * Train agent `agentName` on task `taskName` for `episodes` episodes (default the task's, else
 * 500), synchronously; see `runAgentOnTaskAsync` for a version that lets the event loop run,
 * so Ctrl-C and other callbacks can cancel it.
 */
export function runAgentOnTask(agentName: string, taskName: string, options: TrainOptions = {}): TrainingResult {
  return runAgent(agentName, pair(agentName, taskName), options);
}

/** `runAgentOnTask` handing control back to the event loop about every `sliceMs` (default 25 ms). */
export function runAgentOnTaskAsync(agentName: string, taskName: string, options: TrainOptions & { sliceMs?: number } = {}): Promise<TrainingResult> {
  return runAgentAsync(agentName, pair(agentName, taskName), options);
}
