import { describe, expect, it } from 'vitest';
import { agentNames, agents } from '@cajal/learn';
import { compatibleTasks, runAgentOnTask as trainByName, runAgentOnTaskAsync as trainByNameAsync } from './run.ts';
import { tasks, taskNames } from './tasks.ts';

describe('training by name', () => {
  it('runs every agent on every environment it declares (short runs) and returns curves and a recording', () => {
    for (const agent of agentNames) {
      for (const env of compatibleTasks(agent)) {
        const result = trainByName(agent, env, { episodes: 30, seed: 1 });
        expect(result.curves.length).toBeGreaterThan(0);
        for (const curve of result.curves) expect(curve.values.length).toBe(30);
        const labels = result.recording.channels.map((c) => c.label);
        expect(labels).toContain('rpe');
        expect(labels).toContain('value');
        // Agents that choose also record their policy (probability of the chosen action).
        if (!['td', 'td-lambda', 'rescorla-wagner', 'distributional-td'].includes(agent)) expect(labels).toContain('policy');
        expect(result.updates).toBeGreaterThan(0);
      }
    }
  });

  it('TD on conditioning moves the error to the cue and dips at omission (same criteria as td.test.ts, looser)', () => {
    const result = trainByName('td-lambda', 'conditioning', { episodes: 300, seed: 2 });
    expect(result.summary['final_cue_rpe']).toBeGreaterThan(0.7);
    expect(Math.abs(result.summary['final_reward_rpe'] as number)).toBeLessThan(0.1);
    expect(result.summary['omitted_reward_rpe']).toBeLessThan(-0.5);
  });

  it('Q-learning earns reversals in probabilistic reversal learning (criterion: >= 50 reversals in 3000 trials; a chance player needs 8-12 correct in a row and earns only a few)', () => {
    expect(trainByName('q-learning', 'reversal', { episodes: 3000, seed: 1 }).summary['reversals']).toBeGreaterThanOrEqual(50);
  });

  it('refuses unknown names and incompatible pairs', () => {
    expect(() => trainByName('nope', 'bandit')).toThrow(/no agent "nope"/);
    expect(() => trainByName('td', 'bandit')).toThrow(/cannot play "bandit"/);
  });

  it('the async version gives the same result and stops when its signal fires', async () => {
    const sync = trainByName('q-learning', 'bandit', { episodes: 200, seed: 4 });
    const async = await trainByNameAsync('q-learning', 'bandit', { episodes: 200, seed: 4, sliceMs: 0 });
    expect(Array.from(async.curves[0]!.values)).toEqual(Array.from(sync.curves[0]!.values));
    const controller = new AbortController();
    const run = trainByNameAsync('q-learning', 'bandit', {
      episodes: 10_000,
      sliceMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 100) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('describes every agent and environment', () => {
    for (const a of agents) expect(a.description.length).toBeGreaterThan(10);
    for (const e of tasks) expect(e.description.length).toBeGreaterThan(10);
    expect(agentNames).toHaveLength(10);
    expect(taskNames).toHaveLength(13);
  });
});
