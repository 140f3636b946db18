import { describe, expect, it } from 'vitest';
import { TwoStepEnv } from '@cajal/tasks';
import { TwoStepHybridAgent, type TwoStepHybridParams } from './hybrid.ts';
import { stayAnalysis } from './stay-analysis.ts';

const base: TwoStepHybridParams = { alpha1: 0.5, alpha2: 0.5, lambda: 1, beta1: 5, beta2: 5, w: 0, perseveration: 0 };

function analyse(w: number, seed: number) {
  const agent = new TwoStepHybridAgent({ ...base, w, lambda: w === 1 ? 0 : 1 }, seed);
  return stayAnalysis(agent.play(new TwoStepEnv(), 4000, seed));
}

describe('two-step task (Daw et al. 2011) stay probabilities', () => {
  // Criterion, logistic regression stay ~ reward * transition (+/-1 coding), 4000 trials:
  // model-based (w = 1): interaction > 0.4 and > 4 SE, reward main effect |b| < 0.15;
  // model-free (w = 0, lambda = 1): reward main effect > 0.4, |interaction| < 3 SE and < 0.15.
  const modelBased = analyse(1, 1);
  const modelFree = analyse(0, 2);

  it('model-based agent shows the reward x transition interaction', () => {
    const [, reward, , interaction] = modelBased.coefficients;
    expect(interaction).toBeGreaterThan(0.4);
    expect(interaction).toBeGreaterThan(4 * modelBased.standard_errors[3]);
    expect(Math.abs(reward)).toBeLessThan(0.15);
    expect(modelBased.rewarded_common).toBeGreaterThan(modelBased.rewarded_rare);
    expect(modelBased.unrewarded_rare).toBeGreaterThan(modelBased.unrewarded_common);
  });

  it('model-free agent shows only the main effect of reward', () => {
    const [, reward, , interaction] = modelFree.coefficients;
    expect(reward).toBeGreaterThan(0.4);
    expect(Math.abs(interaction)).toBeLessThan(Math.max(3 * modelFree.standard_errors[3], 0.15));
    expect(Math.abs(interaction)).toBeLessThan(0.15);
    expect(modelFree.reward_contrast).toBeGreaterThan(0.1);
  });

  it('records stage-2 prediction errors per trial', () => {
    const agent = new TwoStepHybridAgent(base, 3);
    agent.play(new TwoStepEnv(), 20, 3);
    expect(agent.recorder.toRecording().channels.find((c) => c.label === 'rpe')?.sampleCount).toBe(20);
  });
});
