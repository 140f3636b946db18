import { describe, expect, it } from 'vitest';
import { blockingDesign, conditionedInhibitionDesign, CueCompoundEnv, overshadowingDesign } from '@cajal/tasks';
import { RescorlaWagnerAgent } from './rescorla-wagner.ts';

function train(env: CueCompoundEnv, salience: number[], seed: number): RescorlaWagnerAgent {
  const agent = new RescorlaWagnerAgent({ cueCount: salience.length, salience, cueNames: env.design.cueNames });
  for (let t = 0; t < env.trialCount; t++) agent.runEpisode(env, t === 0 ? { reset: { seed } } : {});
  return agent;
}

describe('Rescorla-Wagner reproduces cue-competition effects', () => {
  it('blocking (Kamin 1969): after A+ then AB+, V(B) < 0.05 while the unblocked control V(D) > 0.4', () => {
    const agent = train(new CueCompoundEnv(blockingDesign()), [0.2, 0.2, 0.2, 0.2], 1);
    expect(agent.strengths[0]).toBeGreaterThan(0.95);
    expect(Math.abs(agent.strengths[1] as number)).toBeLessThan(0.05);
    expect(agent.strengths[3]).toBeGreaterThan(0.4);
    expect(agent.recorder.channel('V_B').length).toBe(150);
  });

  it('overshadowing: the weak cue B trained with salient A ends below 0.3, far under C trained alone (> 0.95)', () => {
    const agent = train(new CueCompoundEnv(overshadowingDesign()), [0.3, 0.05, 0.05], 2);
    expect(agent.strengths[1]).toBeLessThan(0.3);
    expect(agent.strengths[2]).toBeGreaterThan(0.95);
    expect((agent.strengths[0] as number) + (agent.strengths[1] as number)).toBeCloseTo(1, 2);
  });

  it('conditioned inhibition: A+ / AX- drives V(X) to about -1 (criterion V(X) < -0.8) and V(A) to about 1', () => {
    const agent = train(new CueCompoundEnv(conditionedInhibitionDesign(200)), [0.2, 0.2], 3);
    expect(agent.strengths[1]).toBeLessThan(-0.8);
    expect(agent.strengths[0]).toBeGreaterThan(0.9);
  });
});
