import { describe, expect, it } from 'vitest';
import { agentNames, compatibleEnvironments, trainByName } from './catalog.ts';

describe('training by name', () => {
  it('runs every agent on every environment it declares (short runs) and returns curves and a recording', () => {
    for (const agent of agentNames) {
      for (const env of compatibleEnvironments[agent]) {
        const result = trainByName(agent, env, { episodes: 30, seed: 1 });
        expect(result.curves.length).toBeGreaterThan(0);
        for (const curve of result.curves) expect(curve.values.length).toBe(30);
        expect(result.recording.channels.find((c) => c.label === 'rpe')).toBeDefined();
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

  it('refuses unknown names and incompatible pairs', () => {
    expect(() => trainByName('nope', 'bandit')).toThrow(/no agent "nope"/);
    expect(() => trainByName('td', 'bandit')).toThrow(/cannot play "bandit"/);
  });
});
