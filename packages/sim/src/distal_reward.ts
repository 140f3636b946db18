import { type LongOperationOptions, createRandom, throttleProgress, throwIfAborted } from '@cajal/core';
import { compileNetwork } from './backend.ts';
import type { NetworkDescription } from './network.ts';

/**
 * Izhikevich (2007) "Solving the distal reward problem through linkage of STDP and dopamine
 * signaling": 800 excitatory (regular spiking) + 200 inhibitory (fast spiking) neurons, 100
 * synapses per neuron (p = 0.1; inhibitory cells contact excitatory ones only), 1 ms delays,
 * uniform noise 13*(rand - 0.5) each ms, dopamine-modulated STDP on excitatory synapses
 * (A+ 0.1, A- 0.15, tau 20 ms; eligibility tau 1 s; dopamine tau 200 ms; every 10 ms
 * w += (0.002 + DA) * c, clipped to [0, 4]). One excitatory synapse n1 -> n2 starts at 0;
 * whenever n2 fires within 20 ms after n1, dopamine (+0.5) arrives 1-3 s later.
 * Synaptic input jumps v by w (net.m adds I to v over one 1 ms step); dt 0.5 ms, Euler.
 *
 * @example
 *   const result = await runDistalReward({ seconds: 600 });
 *   result.rewarded_weight_final; // grows towards 4 while others stay near 1
 */
export interface DistalRewardOptions extends LongOperationOptions {
  seconds?: number;
  seed?: number;
  /** Delay between the n1 -> n2 pairing and dopamine, seconds [min, max]. Default [1, 3]. */
  reward_delay_seconds?: [number, number];
  /** Dopamine per reward. Default 0.5. */
  reward_amount?: number;
  /**
   * Extra constant input to the presynaptic neuron n1 (default 0, as in the paper). A CI-sized
   * run uses it to make n1 fire more often, so the chance pairings that start learning come
   * within seconds rather than minutes.
   */
  pre_drive?: number;
}

export interface DistalRewardResult {
  seconds: number;
  rewards: number;
  pre_neuron: number;
  post_neuron: number;
  rewarded_weight_initial: number;
  rewarded_weight_final: number;
  /** Rewarded-synapse weight at the end of each simulated second. */
  rewarded_weight_by_second: number[];
  other_weights_mean_initial: number;
  other_weights_mean_final: number;
  /** Fraction of other excitatory synapses whose final weight is >= the rewarded one. */
  fraction_of_others_at_or_above: number;
  mean_rate_hz: number;
}

/** The network of the experiment as a description (without the reward loop). */
export function distalRewardNetwork(seed = 2007): NetworkDescription {
  return {
    name: 'distal_reward', dt: '0.5*ms', seed, duration_seconds: 10,
    groups: [{
      name: 'G', size: 1000,
      model: {
        equations: 'dv/dt = (0.04*v**2 + 5*v + 140 - u + I_noise + I_drive) / ms : 1\ndu/dt = a*(b*v - u) / ms : 1\nI_noise : 1\nI_drive : 1\na : 1\nb : 1\nc : 1\nd : 1',
        threshold: 'v >= 30', reset: 'v = c; u += d', method: 'euler',
        regular: [{ statements: 'I_noise = 13*(rand() - 0.5)', interval: '1*ms' }],
      },
      initial: { a: '0.02 + 0.08*(i >= 800)', b: 0.2, c: -65, d: '8 - 6*(i >= 800)', v: -65, u: 'b*v' },
    }],
    synapses: [
      {
        name: 'excitatory', source: 'G', target: 'G', source_range: [0, 800], connect: { rule: 'probability', p: 0.1, autapses: false },
        weight: 1, delay: '1*ms', on_pre: 'v += w',
        plasticity: { rule: 'dopamine_stdp', tau_pre: '20*ms', tau_post: '20*ms', a_pre: 0.1, a_post: -0.15, tau_eligibility: '1*s', tau_dopamine: '200*ms', baseline_dopamine: 0.002, w_min: 0, w_max: 4, update_interval: '10*ms' },
      },
      { name: 'inhibitory', source: 'G', target: 'G', source_range: [800, 1000], target_range: [0, 800], connect: { rule: 'probability', p: 0.125 }, weight: -1, delay: '1*ms', on_pre: 'v += w' },
    ],
    monitors: [{ kind: 'spikes', group: 'G', name: 'spikes' }],
  };
}

/** Run the closed-loop experiment (reward depends on spikes, so it steps 0.5 ms at a time). */
export async function runDistalReward(options: DistalRewardOptions = {}): Promise<DistalRewardResult> {
  const seconds = options.seconds ?? 60;
  const seed = options.seed ?? 2007;
  const [delayLow, delayHigh] = options.reward_delay_seconds ?? [1, 3];
  const amount = options.reward_amount ?? 0.5;
  const network = distalRewardNetwork(seed);
  network.monitors = [];
  const sim = compileNetwork(network);
  const projection = sim.instance.projections[0]!;
  const weights = projection.weights!;
  // The rewarded synapse: the first excitatory -> excitatory synapse.
  let synapse = -1;
  let pre = 0;
  for (; pre < 800 && synapse < 0; pre++) {
    for (let k = projection.rowStart[pre]!; k < projection.rowStart[pre + 1]!; k++) {
      if (projection.targets[k]! < 800) {
        synapse = k;
        break;
      }
    }
  }
  pre -= 1;
  const post = projection.targets[synapse]!;
  weights[synapse] = 0;
  sim.variable('G', 'I_drive')[pre] = options.pre_drive ?? 0;
  const isExcitatoryToExcitatory = (k: number): boolean => projection.targets[k]! < 800 && k !== synapse;
  let othersInitial = 0;
  let othersCount = 0;
  for (let k = 0; k < weights.length; k++) if (isExcitatoryToExcitatory(k)) {
    othersInitial += weights[k]!;
    othersCount++;
  }
  const random = createRandom(seed + 1);
  const stepsPerMillisecond = Math.round(0.001 / sim.dtSeconds);
  const totalSteps = Math.round(seconds / sim.dtSeconds);
  const pending: number[] = [];
  let lastPreStep = -1e9;
  let rewards = 0;
  let spikes = 0;
  const byRecord: number[] = [];
  const progress = throttleProgress(options.onProgress);
  const window = 20 * stepsPerMillisecond;
  for (let step = 0; step < totalSteps; step++) {
    sim.advance(1);
    const fired = sim.lastSpikes('G');
    spikes += fired.length;
    for (const n of fired) {
      if (n === pre) lastPreStep = step;
      if (n === post) {
        if (step - lastPreStep < window && step > lastPreStep) {
          pending.push(step + Math.round((delayLow + (delayHigh - delayLow) * random.uniform()) / sim.dtSeconds));
        }
      }
    }
    for (let r = pending.length - 1; r >= 0; r--) {
      if (pending[r] === step) {
        sim.reward('excitatory', amount);
        rewards++;
        pending.splice(r, 1);
      }
    }
    if ((step + 1) % Math.round(1 / sim.dtSeconds) === 0) {
      byRecord.push(weights[synapse]!);
      throwIfAborted(options.signal, 'distal reward experiment');
      progress({ done: step + 1, total: totalSteps, stage: 'simulating' });
      await Promise.resolve();
    }
  }
  let othersFinal = 0;
  let above = 0;
  for (let k = 0; k < weights.length; k++) if (isExcitatoryToExcitatory(k)) {
    othersFinal += weights[k]!;
    if (weights[k]! >= weights[synapse]!) above++;
  }
  return {
    seconds, rewards, pre_neuron: pre, post_neuron: post,
    rewarded_weight_initial: 0, rewarded_weight_final: weights[synapse]!,
    rewarded_weight_by_second: byRecord,
    other_weights_mean_initial: othersInitial / othersCount,
    other_weights_mean_final: othersFinal / othersCount,
    fraction_of_others_at_or_above: above / othersCount,
    mean_rate_hz: spikes / (1000 * seconds),
  };
}
