import { describe, expect, it } from 'vitest';
import { BanditEnv, CueCompoundEnv, blockingDesign } from '@cajal/tasks';
import { agentNames, agents, getAgent, runAgent } from './agents.ts';

describe('agent registry', () => {
  it('has one entry per agent, each with a description and the kind of task it plays', () => {
    expect(new Set(agentNames).size).toBe(agents.length);
    const kinds = new Set(['choice', 'timed-conditioning', 'cue-compound', 'two-step', 'single-step-reward']);
    for (const agent of agents) {
      expect(agent.description.length).toBeGreaterThan(10);
      expect(kinds.has(agent.plays)).toBe(true);
      expect(getAgent(agent.name)).toBe(agent);
    }
    expect(() => getAgent('nope')).toThrow(/no agent "nope"; known: td, td-lambda/);
  });

  it('trains on any task handed to it, named by the caller, and says what a task lacks', () => {
    const result = runAgent('q-learning', { name: 'my bandit', environment: new BanditEnv({ probabilities: [0.8, 0.2] }) }, { episodes: 50, seed: 1 });
    expect(result).toMatchObject({ agent: 'q-learning', environment: 'my bandit', episodes: 50, seed: 1 });
    for (const curve of result.curves) expect(curve.values.length).toBe(50);
    const compound = new CueCompoundEnv(blockingDesign());
    expect(runAgent('rescorla-wagner', { name: 'blocking', environment: compound, episodes: compound.trialCount, cueNames: compound.design.cueNames }).episodes).toBe(compound.trialCount);
    expect(() => runAgent('td', { name: 'bandit', environment: new BanditEnv({ probabilities: [0.8, 0.2] }) })).toThrow(/needs a timed-conditioning task/);
    expect(() => runAgent('rescorla-wagner', { name: 'bandit', environment: new BanditEnv({ probabilities: [0.8, 0.2] }) })).toThrow(/needs a cue-compound task/);
    expect(() => runAgent('sarsa', { name: 'bandit', environment: new BanditEnv({ probabilities: [0.8, 0.2] }) }, { episodes: 0 })).toThrow(/episodes 0 must be a positive integer/);
  });
});
