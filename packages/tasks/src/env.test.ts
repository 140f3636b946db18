import { describe, expect, it } from 'vitest';
import { containsAction } from '@cajal/core';
import { BanditEnv, ReversalLearningEnv } from './bandit.ts';
import { TwoStepEnv } from './two-step.ts';
import { GridworldEnv } from './gridworld.ts';
import { DelayedMatchToSampleEnv, PerceptualDecisionEnv, delayedMatchSequence } from './timed-tasks.ts';
import { TimedConditioningEnv } from './conditioning.ts';
import { RewardDistributionEnv } from './reward-distribution.ts';

describe('environments follow Gymnasium semantics', () => {
  it('a seeded reset replays the same episode (bandit, two-step, timed tasks)', () => {
    const play = (seed: number): number[] => {
      const out: number[] = [];
      const bandit = new BanditEnv({ probabilities: [0.6, 0.4], driftStd: 0.05 });
      bandit.reset({ seed });
      for (let t = 0; t < 50; t++) out.push(bandit.step(t % 2).reward);
      const twoStep = new TwoStepEnv();
      for (let t = 0; t < 50; t++) {
        twoStep.reset(t === 0 ? { seed } : {});
        out.push(twoStep.step(t % 2).observation, twoStep.step(0).reward);
      }
      const pdm = new PerceptualDecisionEnv();
      const first = pdm.reset({ seed });
      out.push(...first.observation, first.info['ground_truth'] as number);
      return out;
    };
    expect(play(7)).toEqual(play(7));
    expect(play(7)).not.toEqual(play(8));
  });

  it('two-step transitions are common with probability 0.7 (criterion: 0.67-0.73 over 4000 trials) and probabilities stay in [0.25, 0.75]', () => {
    const env = new TwoStepEnv();
    let common = 0;
    let inBounds = true;
    let consistent = true;
    for (let t = 0; t < 4000; t++) {
      env.reset(t === 0 ? { seed: 1 } : {});
      const s = env.step(t % 2);
      if (s.info['transition'] === 'common') common++;
      consistent &&= s.observation === (s.info['transition'] === 'common' ? 1 + (t % 2) : 2 - (t % 2));
      consistent &&= env.step(1).terminated;
      for (const p of env.rewardProbabilities) inBounds &&= p >= 0.25 && p <= 0.75;
    }
    expect(consistent).toBe(true);
    expect(inBounds).toBe(true);
    expect(common / 4000).toBeGreaterThan(0.67);
    expect(common / 4000).toBeLessThan(0.73);
  });

  it('reversal learning swaps contingencies after a run of correct choices', () => {
    const env = new ReversalLearningEnv({ reversalAfterCorrect: 8 });
    env.reset({ seed: 2 });
    for (let t = 0; t < 40; t++) env.step(env.bestArm());
    expect(env.reversals.length).toBeGreaterThanOrEqual(3);
    expect(env.reversals[0]).toBeGreaterThanOrEqual(8);
    expect(env.reversals[0]).toBeLessThanOrEqual(12);
  });

  it('gridworld blocks walls, pays at the goal and declares its spaces', () => {
    const env = new GridworldEnv({ map: ['S#', '.G'] });
    expect(env.reset({ seed: 1 }).observation).toBe(0);
    expect(env.step(1).observation).toBe(0);
    expect(env.step(2).observation).toBe(2);
    const end = env.step(1);
    expect(end.terminated).toBe(true);
    expect(end.reward).toBe(1);
    expect(containsAction(env.actionSpace, 3)).toBe(true);
    expect(() => env.step(4)).toThrow(/action 4/);
  });

  it('timed tasks run fixation -> stimulus -> decision, abort on broken fixation and score the choice', () => {
    const env = new PerceptualDecisionEnv({ fixationSteps: 2, stimulusSteps: 3, decisionSteps: 2 });
    const first = env.reset({ seed: 3 });
    expect(first.observation[0]).toBe(1);
    expect(env.step(1).reward).toBe(-0.1);
    const truth = env.reset().info['ground_truth'] as number;
    const periods: string[] = [];
    let last = env.step(0);
    periods.push(last.info['period'] as string);
    while (periods.length < 5) {
      last = env.step(0);
      periods.push(last.info['period'] as string);
    }
    expect(periods).toEqual(['fixation', 'fixation', 'stimulus', 'stimulus', 'stimulus']);
    const decision = env.step(truth);
    expect(decision).toMatchObject({ reward: 1, terminated: true });
    const dms = new DelayedMatchToSampleEnv({ delaySteps: [3] });
    const reset = dms.reset({ seed: 4 });
    expect(reset.observation.length).toBe(5);
    expect(dms.trialSteps).toBe(2 + 3 + 3 + 3 + 2);
  });

  it('one delayed match-to-sample: the recurrent networks\' variant is the same task played back to back (sample flag, delays 2-6, answer on the flagged test step)', () => {
    const env = delayedMatchSequence({ stimulusCount: 4, minDelay: 2, maxDelay: 6, steps: 30 });
    expect(env.observationSpace).toMatchObject({ kind: 'box', shape: [6] });
    let { observation, info } = env.reset({ seed: 5 });
    const scoredAt: number[] = [];
    const gaps: number[] = [];
    let sampleAt = -1;
    let reward = 0;
    for (let t = 0; ; t++) {
      if (observation[4] === 1) sampleAt = t;
      if (info['scored']) {
        expect(observation[5]).toBe(1);
        expect([1, 2]).toContain(info['correct_action']);
        const shown = Array.from(observation.subarray(0, 4)).indexOf(1);
        expect(info['correct_action']).toBe(shown === info['sample'] ? 1 : 2);
        scoredAt.push(t);
        gaps.push(t - sampleAt - 1);
      } else expect(info['correct_action']).toBe(0);
      const step = env.step(info['correct_action'] as number);
      reward += step.reward;
      if (step.terminated) {
        expect(t).toBe(29);
        break;
      }
      observation = step.observation;
      info = step.info;
    }
    expect(scoredAt.length).toBeGreaterThanOrEqual(3);
    expect(reward).toBe(scoredAt.length);
    for (const gap of gaps) expect(gap >= 2 && gap <= 6).toBe(true);
    // A wrong action before the answer earns nothing and does not end the trial (no fixation abort).
    env.reset({ seed: 5 });
    expect(env.step(1)).toMatchObject({ reward: 0, terminated: false });
    // The single-trial task reports the correct action too: fixate until the decision period.
    const single = new DelayedMatchToSampleEnv({ delaySteps: [1], fixationSteps: 1, sampleSteps: 1, testSteps: 1, decisionSteps: 1 });
    const first = single.reset({ seed: 2 });
    expect(first.info).toMatchObject({ correct_action: 0, scored: false });
    let last = single.step(0);
    for (let t = 0; t < 3; t++) last = single.step(0);
    expect(last.info['next_period']).toBe('decision');
    expect(last.info).toMatchObject({ scored: true, correct_action: last.info['match'] ? 1 : 2 });
    expect(single.step(last.info['correct_action'] as number)).toMatchObject({ reward: 1, terminated: true });
  });

  it('rejects invalid configurations with typed errors', () => {
    expect(() => new BanditEnv({ probabilities: [0.5] })).toThrow(/at least 2 arms/);
    expect(() => new TimedConditioningEnv({ trialTypes: [{ name: 'x', cues: [], rewardStep: 40 }], trialLength: 30 })).toThrow(/reward step 40/);
  });

  it('reward-distribution draws each magnitude at its probability (criterion: within 0.02 over 20000 episodes) and ends every episode', () => {
    const env = new RewardDistributionEnv({ magnitudes: [0.1, 5, 20], probabilities: [0.3, 0.5, 0.2] });
    const counts = new Map<number, number>();
    for (let t = 0; t < 20000; t++) {
      env.reset(t === 0 ? { seed: 3 } : {});
      const step = env.step(0);
      expect(step.terminated).toBe(true);
      counts.set(step.reward, (counts.get(step.reward) ?? 0) + 1);
    }
    expect(Math.abs((counts.get(0.1) ?? 0) / 20000 - 0.3)).toBeLessThan(0.02);
    expect(Math.abs((counts.get(5) ?? 0) / 20000 - 0.5)).toBeLessThan(0.02);
    expect(Math.abs((counts.get(20) ?? 0) / 20000 - 0.2)).toBeLessThan(0.02);
    expect(() => new RewardDistributionEnv({ magnitudes: [1], probabilities: [] })).toThrow(/as many probabilities/);
  });
});
