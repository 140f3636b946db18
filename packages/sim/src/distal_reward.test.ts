import { describe, expect, it } from 'vitest';
import { runDistalReward } from './distal_reward.ts';

describe('dopamine-modulated STDP: distal reward (Izhikevich 2007)', () => {
  // Scaled for CI: 30 s instead of an hour, so n1 gets a constant extra input (4) to fire more
  // often, the reward comes 0.2-0.5 s (not 1-3 s) after the n1 -> n2 pairing, and each reward
  // adds 1 (not 0.5) dopamine. Network, STDP, eligibility and dopamine kinetics are the paper's.
  it('criterion: the rewarded synapse grows from 0 to > 3 (max 4) and ends above 99 % of the other excitatory synapses, whose mean does not rise', async () => {
    const result = await runDistalReward({ seconds: 30, pre_drive: 4, reward_delay_seconds: [0.2, 0.5], reward_amount: 1 });
    expect(result.rewards).toBeGreaterThan(2);
    expect(result.rewarded_weight_final).toBeGreaterThan(3);
    expect(result.fraction_of_others_at_or_above).toBeLessThan(0.01);
    expect(result.other_weights_mean_final).toBeLessThanOrEqual(result.other_weights_mean_initial + 0.02);
  });
});
