import { describe, expect, it } from 'vitest';
import { compileNetwork } from './backend.ts';
import type { IntegrationMethod, NeuronModelDescription } from './equations.ts';
import { izhikevich, izhikevichPresets, lifCurrent, hodgkinHuxley, adaptiveExponential } from './models.ts';

const El = -0.07;
const R = 100e6;
const tau = 0.02;
const Vt = -0.05;
const dt = 1e-4;

function runSingle(model: NeuronModelDescription, initial: Record<string, number | string>, seconds: number, stepSeconds = dt, size = 1) {
  const sim = compileNetwork({
    dt: stepSeconds, seed: 1,
    groups: [{ name: 'n', size, model, initial }],
    monitors: [{ kind: 'spikes', group: 'n', name: 'spikes' }, { kind: 'state', group: 'n', variables: [Object.keys(initial).includes('v') ? 'v' : 'v'], indices: [0], name: 'v' }],
  });
  sim.advance(Math.round(seconds / stepSeconds));
  return sim;
}

describe('leaky integrate-and-fire against its analytical solution', () => {
  const current = 0.15e-9; // below rheobase: v -> El + R I = -55 mV
  const analytic = (t: number): number => El + R * current * (1 - Math.exp(-t / tau));
  const maxError = (method: IntegrationMethod): number => {
    const sim = runSingle(lifCurrent({ method }), { v: El, I: current }, 0.1);
    const samples = (sim.monitors.state['v'] as { channels: Array<{ samples: Float32Array }> }).channels[0]!.samples;
    let worst = 0;
    samples.forEach((mv, k) => {
      worst = Math.max(worst, Math.abs(mv / 1000 - analytic(k * dt)));
    });
    return worst;
  };

  it('criterion: subthreshold trace within 1e-7 V (float32 recording) with exact and RK4, Euler within 0.1 mV', () => {
    const exact = maxError('exact');
    const rk4 = maxError('rk4');
    const euler = maxError('euler');
    expect(exact).toBeLessThan(1e-7);
    expect(rk4).toBeLessThan(1e-7);
    expect(euler).toBeLessThan(1e-4);
    expect(euler).toBeGreaterThan(exact * 10); // Euler really is the coarser method
  });

  it('criterion: f-I curve — every ISI within 2 dt of t_ref + tau ln(RI / (RI - (Vt - El))), silent below rheobase', () => {
    const currents = [0.19e-9, 0.21e-9, 0.3e-9, 0.5e-9, 1e-9];
    const sim = runSingle(lifCurrent(), { v: El, I: currents as unknown as number }, 0.5, dt, currents.length);
    const trains = sim.monitors.spikes['spikes']!;
    currents.forEach((I, n) => {
      const times = Array.from(trains.timesSeconds).filter((_, k) => trains.neuron[k] === n);
      if (R * I <= Vt - El) {
        expect(times.length).toBe(0);
        return;
      }
      const period = 0.002 + tau * Math.log((R * I) / (R * I - (Vt - El)));
      expect(times.length).toBeGreaterThan(2);
      for (let k = 1; k < times.length; k++) expect(Math.abs(times[k]! - times[k - 1]! - period)).toBeLessThanOrEqual(2 * dt + 1e-12);
    });
  });
});

function isis(times: number[]): number[] {
  return times.slice(1).map((t, k) => t - times[k]!);
}

function pattern(preset: keyof typeof izhikevichPresets, input = 10, seconds = 0.5): number[] {
  const p = izhikevichPresets[preset];
  const sim = runSingle(izhikevich(), { a: p.a, b: p.b, c: p.c, d: p.d, I: input, v: -65, u: p.b * -65 }, seconds, 1e-4);
  return Array.from(sim.monitors.spikes['spikes']!.timesSeconds);
}

function bursts(times: number[], gapSeconds: number): number[][] {
  const groups: number[][] = [];
  for (const t of times) {
    const last = groups[groups.length - 1];
    if (last && t - last[last.length - 1]! < gapSeconds) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

describe('Izhikevich (2003) firing patterns, I = 10, dt 0.1 ms, 500 ms', () => {
  it('criterion: regular spiking — tonic, no ISI under 10 ms, adapting (last ISI >= 1.3 x first)', () => {
    const intervals = isis(pattern('regular_spiking'));
    expect(intervals.length).toBeGreaterThan(5);
    expect(Math.min(...intervals)).toBeGreaterThan(0.01);
    expect(intervals[intervals.length - 1]!).toBeGreaterThanOrEqual(1.3 * intervals[0]!);
  });

  it('criterion: fast spiking — over 2x the RS spike count, steady (ISI CV after the first 3 spikes < 0.05)', () => {
    const fs = pattern('fast_spiking');
    const rs = pattern('regular_spiking');
    expect(fs.length).toBeGreaterThan(2 * rs.length);
    const steady = isis(fs).slice(2);
    const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
    const sd = Math.sqrt(steady.reduce((a, b) => a + (b - mean) ** 2, 0) / steady.length);
    expect(sd / mean).toBeLessThan(0.05);
  });

  it('criterion: intrinsically bursting — an initial burst (>= 3 spikes, ISIs < 10 ms), then single spikes (all later ISIs > 20 ms)', () => {
    const groups = bursts(pattern('intrinsically_bursting'), 0.01);
    expect(groups[0]!.length).toBeGreaterThanOrEqual(3);
    expect(groups.length).toBeGreaterThan(3);
    for (const g of groups.slice(1)) expect(g.length).toBeLessThanOrEqual(2);
  });

  it('criterion: chattering — repeated bursts: >= 4 bursts of >= 2 spikes (intra-burst ISI < 10 ms) separated by > 10 ms', () => {
    const groups = bursts(pattern('chattering'), 0.01);
    const real = groups.filter((g) => g.length >= 2);
    expect(real.length).toBeGreaterThanOrEqual(4);
    expect(real.length).toBeGreaterThanOrEqual(groups.length - 1);
  });
});

describe('other library models', () => {
  it('criterion: Hodgkin-Huxley (Traub-Miles, exponential Euler): silent under -0.1 nA after a 50 ms transient, pacemaking at 0 nA (about 14 Hz with El -60 mV), over 3x faster at 1 nA', () => {
    const sim = runSingle(hodgkinHuxley(), { v: -0.065, I: [-0.1e-9, 0, 1e-9] as unknown as number }, 0.3, 2e-5, 3);
    const t = sim.monitors.spikes['spikes']!;
    const counts = [0, 1, 2].map((n) => Array.from(t.neuron).filter((x, k) => x === n && t.timesSeconds[k]! > 0.05).length);
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBeGreaterThanOrEqual(2);
    expect(counts[2]).toBeGreaterThan(3 * counts[1]!);
  });

  it('criterion: AdEx with a 1 nA step adapts (ISIs lengthen by > 30 %)', () => {
    const sim = runSingle(adaptiveExponential(), { v: -0.0706, I: 1e-9 }, 0.5, 1e-4);
    const intervals = isis(Array.from(sim.monitors.spikes['spikes']!.timesSeconds));
    expect(intervals.length).toBeGreaterThan(3);
    expect(intervals[intervals.length - 1]!).toBeGreaterThan(1.3 * intervals[0]!);
  });
});
