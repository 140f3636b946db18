import { describe, expect, it } from 'vitest';
import { type CompileOptions, compileNetwork, listBackends } from './backend.ts';
import './threads.node.ts';
import { coba, cuba } from './examples.ts';
import { adaptiveExponential, hodgkinHuxley, izhikevich, lifConductance, synapticKernel } from './models.ts';
import type { NetworkDescription, PlasticityDescription } from './network.ts';

/**
 * The contract every simulator backend must meet: for the same description and seed it
 * produces exactly (bit for bit) the spikes, final state and final weights of the reference
 * interpreter. Networks are small and short so the interpreter stays quick; together they
 * cover every integration method, refractoriness, delays (uniform and per synapse), several
 * pathways, noise, generators and the three plasticity rules, each in double and in single precision.
 */
function plastic(rule: PlasticityDescription): NetworkDescription {
  const model = lifConductance();
  return {
    dt: '0.1*ms', seed: 11,
    groups: [
      { kind: 'poisson', name: 'input', size: 50, rate: '40*Hz' },
      { kind: 'spike_times', name: 'kick', size: 2, neuron: [0, 1, 0], times_seconds: [0.005, 0.012, 0.03] },
      { name: 'out', size: 20, model, initial: { v: '-60*mV + 5*mV*rand()' } },
    ],
    synapses: [
      { name: 'ff', source: 'input', target: 'out', connect: { rule: 'fixed_in_degree', count: 10 }, weight: '2*nS + 2*nS*rand()', delay: '1*ms + 2*ms*rand()', on_pre: 'ge += w', plasticity: rule },
      { name: 'kick', source: 'kick', target: 'out', connect: { rule: 'all_to_all' }, weight: '30*nS', on_pre: 'ge += w' },
    ],
    monitors: [{ kind: 'spikes', group: 'out', name: 'spikes' }, { kind: 'state', group: 'out', variables: ['v', 'ge'], indices: [0, 5], name: 'state' }],
  };
}

const networks: Array<[string, NetworkDescription, number]> = [
  ['COBA (euler, refractory)', coba({ size: 300, seed: 3 }), 0.04],
  ['CUBA (exact, refractory)', cuba({ size: 300, seed: 4 }), 0.04],
  ['Izhikevich (noise, two pathways, per-synapse delays, rk2)', {
    dt: '0.5*ms', seed: 5,
    groups: [{
      name: 'G', size: 60,
      model: { ...izhikevich({ method: 'rk2' }), equations: `${izhikevich().equations}\nI_noise : 1`, regular: [{ statements: 'I = 5*randn()', interval: '1*ms' }] },
      initial: { a: 0.02, b: 0.2, c: '-65 + 15*rand()**2', d: 8, v: -65, u: 'b*v' },
    }],
    synapses: [{ name: 'S', source: 'G', target: 'G', connect: { rule: 'probability', p: 0.3 }, weight: '2*rand()', on_pre: [{ statements: 'I += w', delay: '0.5*ms + 3*ms*rand()' }, { statements: 'I -= w', delay: '4*ms' }] }],
    monitors: [{ kind: 'spikes', group: 'G', name: 'spikes' }, { kind: 'rate', group: 'G', name: 'rate' }],
  }, 0.08],
  ['Hodgkin-Huxley (exponential Euler) with alpha-kernel synapses from Poisson input', {
    dt: '0.02*ms', seed: 6,
    groups: [
      { kind: 'poisson', name: 'input', size: 40, rate: '50*Hz + 50*Hz*rand()' },
      { name: 'hh', size: 5, model: { ...hodgkinHuxley(), equations: `${hodgkinHuxley().equations.replace('+ I)', '+ ge*(0*mV - v) + I)')}\n${synapticKernel('alpha', 'ge', '2*ms', 'siemens').equations}`, parameters: { ...hodgkinHuxley().parameters, tau_ge: '2*ms' } }, initial: { v: -0.065 } },
    ],
    synapses: [{ name: 'in', source: 'input', target: 'hh', connect: { rule: 'probability', p: 0.5 }, weight: '20*nS*rand()', on_pre: 'ge_rise += w' }],
    monitors: [{ kind: 'spikes', group: 'hh', name: 'spikes' }, { kind: 'state', group: 'hh', variables: ['v', 'm'], indices: [0], interval: '0.1*ms', name: 'state' }],
  }, 0.03],
  ['AdEx (rk4) with one_to_one and list connections', {
    dt: '0.1*ms', seed: 7,
    groups: [{ name: 'A', size: 4, model: { ...adaptiveExponential({ method: 'rk4' }) }, initial: { v: '-70.6*mV', I: '0.5*nA + 0.3*nA*i' } }, { name: 'B', size: 4, model: { ...adaptiveExponential() }, initial: { v: '-70.6*mV', I: '0.8*nA' } }],
    synapses: [
      { name: 'ab', source: 'A', target: 'B', connect: { rule: 'one_to_one' }, weight: '0.1*nA', on_pre: 'w_post += w' },
      { name: 'ba', source: 'B', target: 'A', connect: { rule: 'list', pre: [0, 1, 3], post: [2, 2, 0] }, weight: '1*mV', delay: '2*ms', on_pre: 'v += w' },
    ],
    monitors: [{ kind: 'spikes', group: 'A', name: 'spikes_a' }, { kind: 'spikes', group: 'B', name: 'spikes' }],
  }, 0.1],
  ['pair STDP', plastic({ rule: 'stdp', tau_pre: '20*ms', tau_post: '20*ms', a_pre: 0.5e-9, a_post: -0.55e-9, w_max: 5e-9 }), 0.1],
  ['triplet STDP', plastic({ rule: 'triplet_stdp', tau_plus: '16.8*ms', tau_minus: '33.7*ms', tau_x: '101*ms', tau_y: '125*ms', a2_plus: 5e-10, a3_plus: 6.2e-10, a2_minus: 7e-10, a3_minus: 2.3e-11, w_max: 5e-9 }), 0.1],
  ['dopamine-modulated STDP', plastic({ rule: 'dopamine_stdp', tau_pre: '20*ms', tau_post: '20*ms', a_pre: 0.1, a_post: -0.15, tau_eligibility: '1*s', tau_dopamine: '200*ms', baseline_dopamine: 0.002, w_max: 5e-9, update_interval: '1*ms' }), 0.1],
];

// The same networks in single precision (float32 state and arithmetic, see precision.ts): still bit for bit.
networks.push(...networks.map(([label, network, seconds]): [string, NetworkDescription, number] => [`${label}, single precision`, { ...network, precision: 'single' }, seconds]));

async function runWith(backend: string, network: NetworkDescription, seconds: number, options?: CompileOptions) {
  const sim = compileNetwork(structuredClone(network), backend, options);
  await sim.ready();
  try {
    sim.advance(Math.round(seconds / sim.dtSeconds));
    if (network.synapses?.some((s) => s.plasticity?.rule === 'dopamine_stdp')) {
      sim.reward('ff', 0.5);
      sim.advance(100);
    }
  } finally {
    sim.close();
  }
  return sim;
}

// every registered backend, and the wasm backend with its neuron updates and scatters split over two threads (three: wasm-threads.test.ts)
const candidates: Array<[string, string, CompileOptions | undefined]> = [
  ...listBackends().filter((b) => b !== 'interpreter').map((b): [string, string, undefined] => [b, b, undefined]),
  ['wasm, 2 threads', 'wasm', { threads: 2, threadMinimum: 0 }],
];

describe.each(candidates)('backend contract: %s equals the reference interpreter', (_label, backend, options) => {
  it.each(networks)('criterion: identical spikes, state and weights — %s', async (_, network, seconds) => {
    const reference = await runWith('interpreter', network, seconds);
    const candidate = await runWith(backend, network, seconds, options);
    const a = reference.monitors;
    const b = candidate.monitors;
    expect(Object.keys(b.spikes)).toEqual(Object.keys(a.spikes));
    let spikeTotal = 0;
    for (const name of Object.keys(a.spikes)) {
      expect(Array.from(b.spikes[name]!.neuron)).toEqual(Array.from(a.spikes[name]!.neuron));
      expect(Array.from(b.spikes[name]!.timesSeconds)).toEqual(Array.from(a.spikes[name]!.timesSeconds));
      spikeTotal += a.spikes[name]!.neuron.length;
    }
    expect(spikeTotal).toBeGreaterThan(0); // the network really did something
    for (const name of Object.keys(a.state)) {
      a.state[name]!.channels.forEach((c, k) => expect(Array.from(b.state[name]!.channels[k]!.samples)).toEqual(Array.from(c.samples)));
    }
    for (const g of reference.instance.groups) {
      for (const [v, values] of g.variables) expect(Array.from(candidate.variable(g.name, v))).toEqual(Array.from(values));
    }
    for (const p of reference.instance.projections) if (p.weights) expect(Array.from(candidate.weights(p.name))).toEqual(Array.from(p.weights));
    expect(candidate.synapticEvents).toBe(reference.synapticEvents);
  });
});

describe('backend registry', () => {
  it('lists the compiled and the reference backend and rejects unknown names', () => {
    expect(listBackends()).toEqual(expect.arrayContaining(['js', 'interpreter']));
    expect(() => compileNetwork(coba({ size: 10 }), 'webgpu')).toThrow(/no simulator backend "webgpu"/);
  });
});
