import { describe, expect, it } from 'vitest';
import { BanditEnv, GridworldEnv, defaultGridMap } from '@cajal/tasks';
import { createAgent, trainAgent } from './control.ts';

function shortestPath(map: string[]): number {
  const width = (map[0] as string).length;
  const cells = map.join('');
  const start = cells.indexOf('S');
  const distance = new Map<number, number>([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift() as number;
    if (cells[at] === 'G') return distance.get(at) as number;
    const r = Math.floor(at / width);
    const c = at % width;
    for (const [dr, dc] of [[-1, 0], [0, 1], [1, 0], [0, -1]] as const) {
      const nr = r + dr;
      const nc = c + dc;
      const next = nr * width + nc;
      if (nr >= 0 && nr < map.length && nc >= 0 && nc < width && cells[next] !== '#' && !distance.has(next)) {
        distance.set(next, (distance.get(at) as number) + 1);
        queue.push(next);
      }
    }
  }
  return Infinity;
}

describe('control agents learn', () => {
  it('Q-learning and SARSA find near-shortest gridworld paths (criterion: mean steps of the last 20 of 400 episodes < 1.4 x shortest path)', () => {
    const best = shortestPath(defaultGridMap);
    for (const kind of ['q-learning', 'sarsa'] as const) {
      const env = new GridworldEnv();
      const agent = createAgent(kind, env, { alpha: 0.5, gamma: 0.95, epsilon: 0.05, seed: 1 });
      const curve = trainAgent(agent, env, 400, { seed: 1 });
      const tail = Array.from(curve.steps.slice(-20));
      expect(tail.reduce((a, b) => a + b, 0) / 20).toBeLessThan(1.4 * best);
      expect(curve.steps[0]).toBeGreaterThan(2 * best);
    }
  });

  it('actor-critic prefers the better bandit arm (criterion: P(best arm) > 0.8 after 500 trials) and records rpe/value/policy', () => {
    const env = new BanditEnv({ probabilities: [0.2, 0.8] });
    const agent = createAgent('actor-critic', env, { alpha: 0.1, actorAlpha: 0.2, seed: 2 });
    trainAgent(agent, env, 500, { seed: 2 });
    const recording = agent.recorder.toRecording();
    const policy = recording.channels.find((c) => c.label === 'policy');
    const actions = recording.channels.find((c) => c.label === 'action');
    expect(policy?.sampleCount).toBe(500);
    const lastActions = Array.from(actions?.samples.slice(-100) ?? []);
    expect(lastActions.filter((a) => a === 1).length / 100).toBeGreaterThan(0.8);
  });

  it('trainAgent honours an aborted signal', () => {
    const env = new BanditEnv({ probabilities: [0.2, 0.8] });
    const controller = new AbortController();
    controller.abort();
    expect(() => trainAgent(createAgent('sarsa', env), env, 10, { signal: controller.signal })).toThrow(/cancelled/);
  });
});
