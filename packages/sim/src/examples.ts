import { createRandom } from '@cajal/core';
import type { NetworkDescription } from './network.ts';

/**
 * Shipped example networks, as descriptions (so they can be saved as JSON, edited and run
 * with `cajal simulate`). COBA and CUBA use exactly the parameters of
 * ../shared/peers/brian2_coba.py (Brette et al. 2007 benchmarks 1 and 2; Vogels & Abbott 2005).
 *
 * @example
 *   const sim = compileNetwork(coba({ size: 4000, seed: 1 }));
 */
export interface ExampleOptions {
  /** Number of neurons (80 % excitatory); the mean in-degree stays 80 (p = 80 / size). Default 4000. */
  size?: number;
  seed?: number;
  /** Record spikes only of the first `recordSpikes` neurons? Default: all. */
  monitors?: NetworkDescription['monitors'];
}

const cobaParameters = { taum: '20*ms', taue: '5*ms', taui: '10*ms', Vt: '-50*mV', Vr: '-60*mV', El: '-60*mV', Ee: '0*mV', Ei: '-80*mV' };

/** COBA: 4,000 LIF neurons with exponential conductances (in units of the 10 nS leak), Euler, dt 0.1 ms. */
export function coba(options: ExampleOptions = {}): NetworkDescription {
  const size = options.size ?? 4000;
  const excitatory = Math.round(0.8 * size);
  return {
    name: 'coba', dt: '0.1*ms', seed: options.seed ?? 1, duration_seconds: 1,
    groups: [{
      name: 'P', size,
      model: {
        equations: 'dv/dt = (El - v + ge*(Ee - v) + gi*(Ei - v)) / taum : volt (unless refractory)\ndge/dt = -ge / taue : 1\ndgi/dt = -gi / taui : 1',
        threshold: 'v > Vt', reset: 'v = Vr', refractory: '5*ms', method: 'euler', parameters: cobaParameters,
      },
      initial: { v: 'El + (randn()*5 - 5)*mV', ge: 'randn()*1.5 + 4', gi: 'randn()*12 + 20' },
    }],
    synapses: [
      { name: 'Ce', source: 'P', target: 'P', source_range: [0, excitatory], connect: { rule: 'probability', p: 80 / size }, parameters: { we: 0.6 }, on_pre: 'ge += we' },
      { name: 'Ci', source: 'P', target: 'P', source_range: [excitatory, size], connect: { rule: 'probability', p: 80 / size }, parameters: { wi: 6.7 }, on_pre: 'gi += wi' },
    ],
    monitors: options.monitors ?? [{ kind: 'spikes', group: 'P', name: 'spikes' }, { kind: 'rate', group: 'P', name: 'rate' }, { kind: 'state', group: 'P', variables: ['v'], indices: [0, 1, 2], interval: '0.1*ms', name: 'voltage' }],
  };
}

/** CUBA: same network with current-based exponential synapses (El -49 mV, we 1.62 mV, wi -9 mV), exact integration. */
export function cuba(options: ExampleOptions = {}): NetworkDescription {
  const size = options.size ?? 4000;
  const excitatory = Math.round(0.8 * size);
  return {
    name: 'cuba', dt: '0.1*ms', seed: options.seed ?? 1, duration_seconds: 1,
    groups: [{
      name: 'P', size,
      model: {
        equations: 'dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)\ndge/dt = -ge / taue : volt\ndgi/dt = -gi / taui : volt',
        threshold: 'v > Vt', reset: 'v = Vr', refractory: '5*ms', method: 'exact',
        parameters: { taum: '20*ms', taue: '5*ms', taui: '10*ms', Vt: '-50*mV', Vr: '-60*mV', El: '-49*mV' },
      },
      initial: { v: 'Vr + rand() * (Vt - Vr)' },
    }],
    synapses: [
      { name: 'Ce', source: 'P', target: 'P', source_range: [0, excitatory], connect: { rule: 'probability', p: 80 / size }, parameters: { we: '60*0.27/10*mV' }, on_pre: 'ge += we' },
      { name: 'Ci', source: 'P', target: 'P', source_range: [excitatory, size], connect: { rule: 'probability', p: 80 / size }, parameters: { wi: '-20*4.5/10*mV' }, on_pre: 'gi += wi' },
    ],
    monitors: options.monitors ?? [{ kind: 'spikes', group: 'P', name: 'spikes' }, { kind: 'rate', group: 'P', name: 'rate' }, { kind: 'state', group: 'P', variables: ['v'], indices: [0, 1, 2], interval: '0.1*ms', name: 'voltage' }],
  };
}

/**
 * Izhikevich (2003) network: 800 excitatory + 200 inhibitory neurons, all-to-all, random
 * thalamic input; Brian's "ode" formulation (brian2_izhikevich.py --scheme ode): Euler at
 * dt 0.5 ms, noise redrawn every 1 ms, each spike adds w to I for 1 ms.
 */
export function izhikevichNetwork(options: { seed?: number } = {}): NetworkDescription {
  const seed = options.seed ?? 2003;
  const random = createRandom(seed + 7);
  const excitatory = 800;
  const inhibitory = 200;
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  const d: number[] = [];
  const noise: number[] = [];
  for (let i = 0; i < excitatory; i++) {
    const re = random.uniform();
    a.push(0.02);
    b.push(0.2);
    c.push(-65 + 15 * re * re);
    d.push(8 - 6 * re * re);
    noise.push(5);
  }
  for (let i = 0; i < inhibitory; i++) {
    const ri = random.uniform();
    a.push(0.02 + 0.08 * ri);
    b.push(0.25 - 0.05 * ri);
    c.push(-65);
    d.push(2);
    noise.push(2);
  }
  const size = excitatory + inhibitory;
  return {
    name: 'izhikevich2003', dt: '0.5*ms', seed, duration_seconds: 1,
    groups: [{
      name: 'G', size,
      model: {
        equations: 'dv/dt = (0.04*v**2 + 5*v + 140 - u + I + I_noise) / ms : 1\ndu/dt = (a*(b*v - u)) / ms : 1\nI : 1\nI_noise : 1\na : 1\nb : 1\nc : 1\nd : 1\nnoise_amp : 1',
        threshold: 'v >= 30', reset: 'v = c; u += d', method: 'euler',
        regular: [{ statements: 'I_noise = noise_amp*randn()', interval: '1*ms' }],
      },
      initial: { a, b, c, d, noise_amp: noise, v: -65, u: 'b*v' },
    }],
    synapses: [
      { name: 'excitatory', source: 'G', target: 'G', source_range: [0, excitatory], connect: { rule: 'all_to_all' }, weight: '0.5*rand()', on_pre: [{ statements: 'I += w', delay: 0 }, { statements: 'I -= w', delay: '1*ms' }] },
      { name: 'inhibitory', source: 'G', target: 'G', source_range: [excitatory, size], connect: { rule: 'all_to_all' }, weight: '-rand()', on_pre: [{ statements: 'I += w', delay: 0 }, { statements: 'I -= w', delay: '1*ms' }] },
    ],
    monitors: [{ kind: 'spikes', group: 'G', name: 'spikes' }, { kind: 'rate', group: 'G', name: 'rate' }, { kind: 'state', group: 'G', variables: ['v'], indices: [0, 900], interval: '0.5*ms', name: 'voltage' }],
  };
}

/**
 * A small feed-forward example for sweeps and fitting: `size` LIF neurons (tau 20 ms, El -60 mV,
 * threshold -50 mV, reset -60 mV, refractory 2 ms), each receiving `in_degree` of `inputs`
 * Poisson neurons firing at `input_rate` (Hz), every input spike adding `we` (mV) to v.
 * Sweep names: `Input.rate`, `we`.
 *
 * @example
 *   const net = poissonLif({ inputRateHz: 12 });
 */
export function poissonLif(options: { size?: number; inputs?: number; inDegree?: number; inputRateHz?: number; weightMv?: number; seed?: number } = {}): NetworkDescription {
  const inputs = options.inputs ?? 200;
  return {
    name: 'lif-poisson', dt: '0.1*ms', seed: options.seed ?? 1, duration_seconds: 1,
    groups: [
      { kind: 'poisson', name: 'Input', size: inputs, rate: `${options.inputRateHz ?? 10}*Hz` },
      {
        name: 'LIF', size: options.size ?? 50,
        model: {
          equations: 'dv/dt = (El - v) / tau : volt (unless refractory)',
          threshold: 'v > Vt', reset: 'v = Vr', refractory: '2*ms', method: 'exact',
          parameters: { El: '-60*mV', Vt: '-50*mV', Vr: '-60*mV', tau: '20*ms' },
        },
        initial: { v: 'El + rand()*(Vt - El)' },
      },
    ],
    synapses: [{ name: 'S', source: 'Input', target: 'LIF', connect: { rule: 'fixed_in_degree', count: options.inDegree ?? 100 }, parameters: { we: `${options.weightMv ?? 0.5}*mV` }, on_pre: 'v += we' }],
    monitors: [{ kind: 'spikes', group: 'LIF', name: 'spikes' }, { kind: 'rate', group: 'LIF', name: 'rate' }, { kind: 'state', group: 'LIF', variables: ['v'], indices: [0, 1], interval: '0.1*ms', name: 'voltage' }],
  };
}
