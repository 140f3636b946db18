import { describe, expect, it } from 'vitest';
import { TimedConditioningEnv, featureCount } from '@cajal/tasks';
import { TDAgent } from './td.ts';

// Dopamine as a TD prediction error (Schultz, Dayan & Montague 1997; Fiorillo et al. 2003).
// Trial: 30 steps, cue at step 5, reward at step 15. rpe[t] is delta on the transition into
// step t+1, so the cue response is rpe[4] and the reward response rpe[14].
const CUE = 4;
const REWARD = 14;

function conditioning(representation: 'csc' | 'microstimulus', probability = 1): TimedConditioningEnv {
  return new TimedConditioningEnv({
    trialTypes: [{ name: 'CS', cues: [{ cue: 0, onset: 5 }], rewardStep: 15, rewardProbability: probability }],
    trialLength: 30,
    representation,
  });
}

describe('TD with a complete serial compound reproduces dopamine signatures', () => {
  it('moves the prediction error from the reward to the cue over learning (criterion: first trial reward delta = 1, cue delta = 0; after 300 trials cue delta > 0.7 and reward delta < 0.05)', () => {
    const env = conditioning('csc');
    const agent = new TDAgent({ featureCount: featureCount(env.representation), alpha: 0.2, gamma: 0.98, lambda: 0.5 });
    const first = agent.runEpisode(env, { reset: { seed: 1 } });
    expect(first.rpe[REWARD]).toBeCloseTo(1, 6);
    expect(first.rpe[CUE]).toBeCloseTo(0, 6);
    for (let trial = 0; trial < 300; trial++) agent.runEpisode(env);
    const late = agent.runEpisode(env, { learn: false });
    expect(late.rpe[CUE]).toBeGreaterThan(0.7);
    // Near zero at a fully predicted reward.
    expect(Math.abs(late.rpe[REWARD] as number)).toBeLessThan(0.05);
    // The recording carries the same signal.
    const recording = agent.recorder.toRecording({ sampleRateHz: 10 });
    expect(recording.channels.map((c) => c.label)).toEqual(['rpe', 'value', 'reward']);
    expect(recording.channels[0]?.sampleCount).toBe(302 * 29);
  });

  it('dips below zero at the time of an omitted reward (criterion: delta at omitted reward < -0.5 after training at p = 1)', () => {
    const env = conditioning('csc');
    const agent = new TDAgent({ featureCount: featureCount(env.representation), alpha: 0.2, gamma: 0.98, lambda: 0.5 });
    for (let trial = 0; trial < 300; trial++) agent.runEpisode(env, trial === 0 ? { reset: { seed: 2 } } : {});
    const omissionEnv = conditioning('csc', 0);
    const omitted = agent.runEpisode(omissionEnv, { learn: false, reset: { seed: 3 } });
    expect(omitted.rpe[REWARD]).toBeLessThan(-0.5);
    for (let t = 0; t < REWARD; t++) if (t !== CUE) expect(Math.abs(omitted.rpe[t] as number)).toBeLessThan(0.1);
  });

  it('scales the cue response with reward probability (criterion: cue delta strictly increasing over p = 0, .25, .5, .75, 1 and within 0.15 of gamma^10 * p)', () => {
    const probabilities = [0, 0.25, 0.5, 0.75, 1];
    const env = new TimedConditioningEnv({
      trialTypes: probabilities.map((p, i) => ({ name: `p${p}`, cues: [{ cue: i, onset: 5 }], rewardStep: 15, rewardProbability: p })),
      trialLength: 30,
      representation: 'csc',
    });
    const agent = new TDAgent({ featureCount: featureCount(env.representation), alpha: 0.05, gamma: 0.98, lambda: 0.5 });
    for (let trial = 0; trial < 3000; trial++) agent.runEpisode(env, trial === 0 ? { reset: { seed: 4 } } : {});
    const cueResponses = probabilities.map((p) => agent.runEpisode(env, { learn: false, reset: { options: { trialType: `p${p}` } } }).rpe[CUE] as number);
    for (let i = 1; i < cueResponses.length; i++) expect(cueResponses[i]).toBeGreaterThan(cueResponses[i - 1] as number);
    probabilities.forEach((p, i) => expect(Math.abs((cueResponses[i] as number) - Math.pow(0.98, 10) * p)).toBeLessThan(0.15));
  });

  it('microstimulus TD also transfers the error to the cue (criterion: with the reward as a stimulus, after 500 trials cue delta > 0.6 and |reward delta| < 0.15)', () => {
    const env = conditioning('microstimulus');
    const agent = new TDAgent({ featureCount: featureCount(env.representation), alpha: 0.05, gamma: 0.98, lambda: 0.9 });
    for (let trial = 0; trial < 500; trial++) agent.runEpisode(env, trial === 0 ? { reset: { seed: 5 } } : {});
    const late = agent.runEpisode(env, { learn: false });
    expect(late.rpe[CUE]).toBeGreaterThan(0.6);
    expect(Math.abs(late.rpe[REWARD] as number)).toBeLessThan(0.15);
  });
});
