import { describe, expect, it } from 'vitest';
import { createRandom } from '@cajal/core';
import { capacityCliff, capacityCurve, energy, flipBits, hebbianWeights, overlap, randomPatterns, recallAsync, recallSync } from './hopfield.ts';
import { attention, modernHopfieldUpdate } from './modern-hopfield.ts';
import { delayedMatchAccuracy, nBackAccuracy, playDelayedMatch } from './working-memory.ts';
import { DelayedMatchToSampleEnv } from '@cajal/tasks';

describe('classical Hopfield network', () => {
  it('retrieves a stored pattern from a 20%-corrupted cue at low load, and async updates never raise the energy', () => {
    const random = createRandom(1);
    const patterns = randomPatterns(10, 200, random);
    const weights = hebbianWeights(patterns);
    const cue = flipBits(patterns[0]!, 0.2, random);
    const result = recallAsync(weights, cue, random);
    expect(overlap(result.state, patterns[0]!)).toBe(1);
    expect(energy(weights, result.state)).toBeLessThan(energy(weights, cue));
    expect(overlap(recallSync(weights, cue).state, patterns[0]!)).toBe(1);
  });

  it('shows the capacity cliff (N = 400; criterion: >= 95% of patterns retrieved with overlap >= 0.95 up to 0.12 patterns/neuron, <= 10% at 0.25, 50% crossing in [0.14, 0.19]: the theoretical 0.138 plus the known upward finite-size shift; N = 1000 gives 0.158)', () => {
    const curve = capacityCurve({ size: 400, loads: [0.05, 0.1, 0.12, 0.14, 0.15, 0.16, 0.17, 0.18, 0.2, 0.25], probes: 40, seed: 1 });
    for (const point of curve.filter((p) => p.load <= 0.12)) expect(point.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(curve[curve.length - 1]!.accuracy).toBeLessThanOrEqual(0.1);
    const cliff = capacityCliff(curve);
    expect(cliff).toBeGreaterThan(0.14);
    expect(cliff).toBeLessThan(0.19);
  });
});

describe('modern Hopfield network (Ramsauer et al. 2020)', () => {
  it('its update is attention with the patterns as keys and values', () => {
    const patterns = [Float32Array.of(1, 0), Float32Array.of(0, 1)];
    const query = Float32Array.of(2, 0);
    const update = modernHopfieldUpdate(patterns, query, 1);
    const { weights } = attention(query, patterns, patterns, 1);
    expect(weights[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1), 10);
    expect(update[0]).toBeCloseTo(weights[0]!, 6);
  });

  it('retrieves in one update at 10 patterns per neuron where the classical net fails at 0.25 (criterion: >= 99% of 100 probes with 20% flipped bits recovered exactly by sign; 10 patterns per neuron is 70x the classical 0.138)', () => {
    const random = createRandom(2);
    const size = 200;
    const patterns = randomPatterns(10 * size, size, random);
    const stored = patterns.map((p) => Float32Array.from(p));
    let retrieved = 0;
    for (let probe = 0; probe < 100; probe++) {
      const target = patterns[probe]!;
      const next = modernHopfieldUpdate(stored, Float32Array.from(flipBits(target, 0.2, random)), 1);
      const sign = Int8Array.from(next, (v) => (v >= 0 ? 1 : -1));
      if (overlap(sign, target) === 1) retrieved++;
    }
    expect(retrieved).toBeGreaterThanOrEqual(99);
  });

  it('at the same size (N = 200) and load 0.25 patterns/neuron, one modern update retrieves every probe while the classical net converges to spurious states (criterion: modern 40/40 exact, classical <= 20% with overlap >= 0.95)', () => {
    const random = createRandom(3);
    const size = 200;
    const patterns = randomPatterns(50, size, random);
    const classical = hebbianWeights(patterns);
    const stored = patterns.map((p) => Float32Array.from(p));
    let modernHits = 0;
    let classicalHits = 0;
    for (let probe = 0; probe < 40; probe++) {
      const target = patterns[probe]!;
      const cue = flipBits(target, 0.1, random);
      const next = modernHopfieldUpdate(stored, Float32Array.from(cue), 1);
      if (overlap(Int8Array.from(next, (v) => (v >= 0 ? 1 : -1)), target) === 1) modernHits++;
      if (overlap(recallAsync(classical, cue, random).state, target) >= 0.95) classicalHits++;
    }
    expect(modernHits).toBe(40);
    expect(classicalHits).toBeLessThanOrEqual(8);
  });
});

describe('working memory (slots + decay)', () => {
  it('n-back accuracy falls as n rises (criterion: strictly decreasing over n = 1..4, 1-back > 0.9, 4-back < 0.85)', () => {
    const accuracy = [1, 2, 3, 4].map((n) => nBackAccuracy({ capacity: 3 }, n, { trials: 600, seed: 4 }).accuracy);
    for (let i = 1; i < accuracy.length; i++) expect(accuracy[i]).toBeLessThan(accuracy[i - 1]!);
    expect(accuracy[0]).toBeGreaterThan(0.9);
    expect(accuracy[3]).toBeLessThan(0.85);
  });

  it("delayed match-to-sample accuracy falls with load beyond capacity, and Cowan's K recovers the capacity (criterion: K within 0.6 of 4 at loads 6 and 8)", () => {
    const results = [1, 2, 4, 6, 8].map((load) => delayedMatchAccuracy({ capacity: 4 }, load, { trials: 1000, seed: 5 }));
    expect(results[0]!.accuracy).toBeGreaterThan(0.95);
    expect(results[4]!.accuracy).toBeLessThan(results[2]!.accuracy);
    expect(Math.abs(results[3]!.cowan_k - 4)).toBeLessThan(0.6);
    expect(Math.abs(results[4]!.cowan_k - 4)).toBeLessThan(0.6);
  });

  it('plays the delayed match-to-sample environment (criterion: > 90% correct at a short delay, lower at a long one)', () => {
    const short = playDelayedMatch(new DelayedMatchToSampleEnv({ delaySteps: [2] }), { decaySteps: 30 }, 300, 6).accuracy;
    const long = playDelayedMatch(new DelayedMatchToSampleEnv({ delaySteps: [60] }), { decaySteps: 30 }, 300, 6).accuracy;
    expect(short).toBeGreaterThan(0.9);
    expect(long).toBeLessThan(short);
  });
});
