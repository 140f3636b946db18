import { readFileSync } from 'node:fs';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { describe, expect, it } from 'vitest';
import { compileNetwork } from './backend.ts';
import { coba, cuba, izhikevichNetwork } from './examples.ts';
import { populationRate, powerSpectrum, spectralPeak, summarizeSpikes } from './statistics.ts';

interface BrianRun { mean_rate_hz: number; mean_cv_isi: number }

/** [min, max] of Brian's runs widened by 3 sample standard deviations (different random draws). */
function bounds(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return [Math.min(...values) - 3 * sd, Math.max(...values) + 3 * sd];
}

function simulate(network: ReturnType<typeof coba>, precision: 'double' | 'single' = 'double') {
  // single precision on the wasm backend (float32 state, f32x4 arithmetic; bit-identical to js and interpreter by the contract suite)
  const sim = compileNetwork({ ...network, precision, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] }, precision === 'single' ? 'wasm' : 'js');
  sim.advance(Math.round(1 / sim.dtSeconds));
  return summarizeSpikes(sim.monitors.spikes['spikes']!);
}

describeShared('COBA and CUBA against Brian2 2.5.1 (same parameters, different random draws)', ['reference/sim/brian2_stats.json'], () => {
  const reference = JSON.parse(readFileSync(sharedPath('reference', 'sim', 'brian2_stats.json'), 'utf8')) as Record<string, unknown>;
  const cobaRuns = [
    ...(reference['coba_4000_by_seed_cython'] as BrianRun[]),
    ...Object.values(reference['coba_4000_seed4242_by_target'] as Record<string, BrianRun>),
  ];
  const cubaRuns = reference['cuba_4000_by_seed_cython'] as BrianRun[];

  it.each([[1, 'double'], [2, 'double'], [1, 'single'], [2, 'single']] as const)('criterion: COBA 4,000 neurons, 1 s, seed %i, %s precision — mean rate and mean ISI CV inside Brian\'s range widened by 3 SD', (seed, precision) => {
    const ours = simulate(coba({ seed }), precision);
    const [rateLow, rateHigh] = bounds(cobaRuns.map((r) => r.mean_rate_hz));
    const [cvLow, cvHigh] = bounds(cobaRuns.map((r) => r.mean_cv_isi));
    expect(ours.mean_rate_hz).toBeGreaterThan(rateLow);
    expect(ours.mean_rate_hz).toBeLessThan(rateHigh);
    expect(ours.mean_cv_isi).toBeGreaterThan(cvLow);
    expect(ours.mean_cv_isi).toBeLessThan(cvHigh);
  });

  it.each([[1, 'double'], [2, 'double'], [1, 'single'], [2, 'single']] as const)('criterion: CUBA 4,000 neurons, 1 s, seed %i, %s precision — mean rate and mean ISI CV inside Brian\'s range widened by 3 SD', (seed, precision) => {
    const ours = simulate(cuba({ seed }), precision);
    const [rateLow, rateHigh] = bounds(cubaRuns.map((r) => r.mean_rate_hz));
    const [cvLow, cvHigh] = bounds(cubaRuns.map((r) => r.mean_cv_isi));
    expect(ours.mean_rate_hz).toBeGreaterThan(rateLow);
    expect(ours.mean_rate_hz).toBeLessThan(rateHigh);
    expect(ours.mean_cv_isi).toBeGreaterThan(cvLow);
    expect(ours.mean_cv_isi).toBeLessThan(cvHigh);
  });
});

describe('Izhikevich (2003) 1,000-neuron network rhythms', () => {
  it('criterion: over 2 s, rate 6-11 Hz (Brian: 7.5-8.4 Hz); the population rate (1 ms bins) peaks in the alpha band (5-15 Hz) and has gamma (25-60 Hz) power density over 5x the 150-250 Hz floor', () => {
    const sim = compileNetwork(izhikevichNetwork());
    sim.advance(Math.round(2 / sim.dtSeconds));
    const trains = sim.monitors.spikes['spikes']!;
    const summary = summarizeSpikes(trains);
    expect(summary.mean_rate_hz).toBeGreaterThan(6);
    expect(summary.mean_rate_hz).toBeLessThan(11);
    const rate = populationRate(trains, 0.001);
    const peak = spectralPeak(rate, 1000, 2, 100);
    expect(peak.frequency_hz).toBeGreaterThanOrEqual(5);
    expect(peak.frequency_hz).toBeLessThanOrEqual(15);
    const { frequencies, power } = powerSpectrum(rate, 1000);
    const density = (low: number, high: number): number => {
      let sum = 0;
      let n = 0;
      frequencies.forEach((f, k) => {
        if (f >= low && f < high) {
          sum += power[k]!;
          n++;
        }
      });
      return sum / n;
    };
    const floor = density(150, 250);
    expect(density(5, 15)).toBeGreaterThan(10 * floor);
    expect(density(25, 60)).toBeGreaterThan(5 * floor);
    // The rate monitor's Recording gives the same population rate at the simulation's dt.
    const recording = sim.monitors.rate['rate']!;
    expect(recording.channels[0]!.sampleRateHz).toBe(2000);
    expect(recording.channels[0]!.unit).toBe('Hz');
  });
});
