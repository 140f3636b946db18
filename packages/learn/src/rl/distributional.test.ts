import { describe, expect, it } from 'vitest';
import { createRandom } from '@cajal/core';
import { dabneyRewardDistribution, DistributionalTDAgent, imputeDistribution, moments, responseAsymmetries, reversalPoints, sampleReward } from './distributional.ts';
import { pearson } from './math.ts';

const UNITS = 40;
const { magnitudes, probabilities } = dabneyRewardDistribution;

/** Reward sizes at which responses are probed after learning (0 to 20 in steps of 0.5). */
const probe = Array.from({ length: 41 }, (_, i) => i * 0.5);

/**
 * Train on 6000 rewards from the Dabney et al. juice distribution, then probe responses on two
 * independent halves of 10 trials each, with Gaussian noise of SD 0.2 x the unit's mean
 * learning rate (each neuron's own scale).
 */
function experiment(alphaPlus: number[], alphaMinus: number[], seed: number) {
  const random = createRandom(seed);
  const agent = new DistributionalTDAgent({ alphaPlus, alphaMinus, record: false });
  for (let t = 0; t < 6000; t++) agent.update(sampleReward(dabneyRewardDistribution, random));
  const half = (): Float64Array[] =>
    probe.map((m) => {
      const mean = new Float64Array(UNITS);
      for (let trial = 0; trial < 10; trial++) {
        const r = agent.responses(m);
        for (let i = 0; i < UNITS; i++) mean[i] = (mean[i] as number) + ((r[i] as number) + random.normal(0, (0.2 * ((alphaPlus[i] as number) + (alphaMinus[i] as number))) / 2)) / 10;
      }
      return mean;
    });
  const first = half();
  const second = half();
  const reversal = reversalPoints(probe, first);
  const asymmetry = responseAsymmetries(probe, second, reversal);
  return { agent, reversal, asymmetry };
}

describe('distributional TD (Dabney et al. 2020)', () => {
  const random = createRandom(11);
  const alphaPlus = Array.from({ length: UNITS }, () => random.uniformRange(0.002, 0.02));
  const alphaMinus = Array.from({ length: UNITS }, () => random.uniformRange(0.002, 0.02));
  const distributional = experiment(alphaPlus, alphaMinus, 1);
  // Classical TD with noise: one symmetric learning rate per unit (varied across units).
  const classical = experiment(alphaPlus, alphaPlus, 1);
  const spread = (x: Float64Array): number => moments(x).std;

  it('reversal points spread out (criterion: SD of reversal points > 1.5 reward units, over 3x the classical control)', () => {
    expect(spread(distributional.reversal)).toBeGreaterThan(1.5);
    expect(spread(distributional.reversal)).toBeGreaterThan(3 * spread(classical.reversal));
  });

  it('reversal points correlate with asymmetry measured on independent trials (criterion: r > 0.9; classical TD |r| < 0.4)', () => {
    const r = pearson(distributional.reversal, distributional.asymmetry);
    expect(r).toBeGreaterThan(0.9);
    expect(pearson(distributional.reversal, distributional.agent.asymmetries())).toBeGreaterThan(0.9);
    expect(Math.abs(pearson(classical.reversal, classical.asymmetry))).toBeLessThan(0.4);
  });

  it('decodes the reward distribution by expectile imputation (criterion: mean within 10%, SD within 25% of the true distribution; classical code gives SD < 30% of the truth)', () => {
    const truth = moments(magnitudes, probabilities);
    const decoded = moments(imputeDistribution(distributional.asymmetry, distributional.reversal, { sampleCount: 60, iterations: 1500 }));
    expect(Math.abs(decoded.mean - truth.mean) / truth.mean).toBeLessThan(0.1);
    expect(Math.abs(decoded.std - truth.std) / truth.std).toBeLessThan(0.25);
    const flat = moments(imputeDistribution(classical.asymmetry, classical.reversal, { sampleCount: 60, iterations: 1500 }));
    expect(flat.std).toBeLessThan(0.3 * truth.std);
  });

  it('records per-unit prediction errors as a Recording', () => {
    const agent = new DistributionalTDAgent({ alphaPlus: [0.1, 0.2], alphaMinus: [0.2, 0.1] });
    agent.update(1);
    agent.update(0);
    const recording = agent.recorder.toRecording();
    expect(recording.channels.map((c) => c.label)).toEqual(['rpe', 'value', 'rpe_0', 'rpe_1']);
    expect(Array.from(recording.channels[2]?.samples ?? [])).toEqual([1, Math.fround(-0.1)]);
  });
});
