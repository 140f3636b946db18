import { describe, expect, it } from 'vitest';
import { createRandom } from '@cajal/core';
import { hilbert, envelope } from './hilbert.ts';
import { aperiodicExponent, bandPower, parseBands, peakAlphaFrequency, spectralEntropy } from './bands.ts';
import { lempelZivComplexity, permutationEntropy, sampleEntropy, hjorth, lineLength } from './features.ts';
import { characteristicPathLength, clusteringCoefficient, louvainCommunities, modularity, nodeStrength } from './graph-measures.ts';
import { dpss } from './dpss.ts';
import { morletPower, multitaperPsd, spectrogram } from './tfr.ts';
import { welch } from './welch.ts';
import { detrend } from './resample.ts';
import { amplitudeEnvelopeCorrelation, bandAnalyticSignal, correlationMatrix, slidingConnectivity } from './connectivity-time.ts';
import { spectralConnectivity } from './connectivity.ts';
import { designFirFilter } from './fir.ts';
import { applyFirZeroPhase } from './filter.ts';
import { butterSos, sosGain } from './iir.ts';

const sine = (n: number, f: number, fs: number, phase = 0): Float64Array => Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * f * t) / fs + phase));
const noise = (n: number, seed: number): Float64Array => {
  const random = createRandom(seed);
  return Float64Array.from({ length: n }, () => random.normal());
};

describe('analytic signal', () => {
  it('envelope of a bin-centred cosine is 1 everywhere (1e-9) and phase advances by 2 pi f / fs', () => {
    const x = Float64Array.from({ length: 1000 }, (_, t) => Math.cos((2 * Math.PI * 10 * t) / 200));
    const env = envelope(x);
    for (const v of env) expect(Math.abs(v - 1)).toBeLessThan(1e-9);
    const { re, im } = hilbert(x);
    expect(Math.abs(Math.atan2(im[1], re[1]) - (2 * Math.PI * 10) / 200)).toBeLessThan(1e-9);
  });
});

describe('spectral summaries', () => {
  it('bandPower of a 10 Hz sine: almost all power in alpha, peak alpha frequency within 0.1 Hz of 10', () => {
    const fs = 200;
    const x = sine(20000, 10, fs);
    const s = welch(x, fs, { nperseg: 1000 });
    const alpha = bandPower(s.frequencies, s.power, 8, 13);
    expect(Math.abs(alpha - 0.5) / 0.5).toBeLessThan(0.02); // variance of a unit sine is 1/2
    expect(Math.abs(peakAlphaFrequency(s.frequencies, s.power) - 10)).toBeLessThan(0.1);
    expect(spectralEntropy(s.frequencies, s.power)).toBeLessThan(0.3);
    const white = welch(noise(20000, 3), fs, { nperseg: 256 });
    expect(spectralEntropy(white.frequencies, white.power)).toBeGreaterThan(0.95);
  });

  it('aperiodicExponent recovers exponent 2 from a 1/f^2 spectrum with an alpha peak (to 0.05)', () => {
    const f = Float64Array.from({ length: 200 }, (_, k) => 0.5 * (k + 1));
    const p = f.map((v) => 100 / v ** 2 + 2 * Math.exp(-((v - 10) ** 2) / 2));
    const fit = aperiodicExponent(f, p, 2, 40);
    expect(Math.abs(fit.exponent - 2)).toBeLessThan(0.05);
  });

  it('parseBands reads NAME:LOW-HIGH lists and rejects malformed ones', () => {
    expect(parseBands('delta:1-4, alpha:8-13')).toEqual([{ name: 'delta', low: 1, high: 4 }, { name: 'alpha', low: 8, high: 13 }]);
    expect(() => parseBands('alpha:13-8')).toThrow(/low < high/);
    expect(() => parseBands('alpha')).toThrow(/NAME:LOW-HIGH/);
  });

  it('multitaper PSD of white noise integrates to its variance (Parseval, within 5 %) and DPSS tapers are orthonormal', () => {
    const x = noise(2048, 5);
    const mt = multitaperPsd(x, 256);
    let integral = 0;
    for (let k = 1; k < mt.frequencies.length; k++) integral += mt.power[k] * (mt.frequencies[k] - mt.frequencies[k - 1]);
    const variance = x.reduce((s, v) => s + v * v, 0) / x.length;
    expect(Math.abs(integral - variance) / variance).toBeLessThan(0.05);
    const { tapers, ratios } = dpss(256, 4, 7);
    for (let a = 0; a < 7; a++) for (let b = 0; b < 7; b++) {
      const dot = tapers[a]!.reduce((s, v, i) => s + v * tapers[b]![i]!, 0);
      expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-8);
    }
    expect(ratios[0]).toBeGreaterThan(0.999);
    expect(ratios[6]).toBeGreaterThan(0.9);
  });

  it('Morlet power of a 10 Hz sine peaks at 10 Hz; spectrogram rows peak at the sine frequency', () => {
    const fs = 200;
    const x = sine(4000, 10, fs);
    const power = morletPower(x, fs, [6, 8, 10, 12, 14]);
    const middle = power.map((row) => row[2000]!);
    expect(middle.indexOf(Math.max(...middle))).toBe(2);
    const spec = spectrogram(x, fs, { nperseg: 400 });
    const row = spec.power[3]!;
    expect(spec.frequencies[row.indexOf(Math.max(...row))]).toBe(10);
  });
});

describe('features', () => {
  it('permutation entropy: 0 for a monotonic ramp, > 0.99 for white noise', () => {
    expect(permutationEntropy(Float64Array.from({ length: 500 }, (_, i) => i))).toBe(0);
    expect(permutationEntropy(noise(5000, 1))).toBeGreaterThan(0.99);
  });

  it('Lempel-Ziv complexity: white noise near 1, a slow sine far below', () => {
    expect(lempelZivComplexity(noise(4000, 2))).toBeGreaterThan(0.8);
    expect(lempelZivComplexity(sine(4000, 1, 200))).toBeLessThan(0.1);
  });

  it('sample entropy: a sine is more regular (lower) than white noise', () => {
    expect(sampleEntropy(sine(600, 5, 200))).toBeLessThan(sampleEntropy(noise(600, 4)));
  });

  it('line length and Hjorth on a short known series', () => {
    expect(lineLength([0, 1, -1, 2])).toBe(6);
    const h = hjorth(sine(2000, 10, 200));
    // For a sine, mobility = 2 sin(pi f / fs) per sample and complexity ~ 1.
    expect(Math.abs(h.mobility - 2 * Math.sin(Math.PI * 10 / 200))).toBeLessThan(1e-3);
    expect(Math.abs(h.complexity - 1)).toBeLessThan(1e-3);
  });
});

describe('graph measures', () => {
  // Two 4-node cliques joined by one weak edge.
  const n = 8;
  const matrix = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 0 : Math.floor(i / 4) === Math.floor(j / 4) ? 1 : 0)));
  matrix[3]![4] = matrix[4]![3] = 0.1;

  it('strength, clustering (1 inside a unit-weight clique), path length of two joined cliques', () => {
    expect(Array.from(nodeStrength(matrix))).toEqual([3, 3, 3, 3.1, 3.1, 3, 3, 3]);
    expect(clusteringCoefficient(matrix)[0]).toBeCloseTo(1, 12);
    const complete = Array.from({ length: 5 }, (_, i) => Float64Array.from({ length: 5 }, (_, j) => (i === j ? 0 : 1)));
    expect(characteristicPathLength(complete).pathLength).toBe(1);
  });

  it('Louvain separates the two cliques; modularity is that of the two-block partition (> 0.4)', () => {
    const { communities, modularity: q } = louvainCommunities(matrix, 7);
    expect(new Set(Array.from(communities).slice(0, 4)).size).toBe(1);
    expect(new Set(Array.from(communities).slice(4)).size).toBe(1);
    expect(communities[0]).not.toBe(communities[4]);
    expect(q).toBeCloseTo(modularity(matrix, [0, 0, 0, 0, 1, 1, 1, 1]), 12);
    expect(q).toBeGreaterThan(0.4);
  });
});

describe('connectivity on synthetic signals', () => {
  const fs = 200;
  const common = sine(12000, 10, fs);
  const [n1, n2, n3, n11, n12, n13] = [1, 2, 3, 11, 12, 13].map((seed) => noise(12000, seed)) as Float64Array[];
  const a = common.map((v, t) => v + 0.5 * n1![t]!);
  const b = common.map((v, t) => v + 0.5 * n2![t]!);
  const lagged = sine(12000, 10, fs, Math.PI / 2).map((v, t) => v + 0.5 * n3![t]!);
  const c = noise(12000, 9);

  it('coherence is high for a shared 10 Hz rhythm, low for independent noise; wPLI is high only for the lagged pair', () => {
    const result = spectralConnectivity([a, b, c, lagged], fs, { fmin: 9, fmax: 11, nperseg: 400, methods: ['msc', 'wpli', 'imcoh', 'dwpli', 'pli', 'plv', 'coh'] });
    expect(result.msc![0]![1]).toBeGreaterThan(0.5);
    expect(result.msc![0]![2]).toBeLessThan(0.2);
    expect(result.wpli![0]![3]).toBeGreaterThan(0.6);
    expect(result.wpli![0]![1]).toBeLessThan(0.5);
    expect(Math.abs(result.imcoh![0]![3]!)).toBeGreaterThan(0.3);
    expect(result.imcoh![3]![0]).toBeCloseTo(-result.imcoh![0]![3]!, 12);
  });

  it('orthogonalised envelope correlation removes zero-lag leakage that plain AEC reports', () => {
    const env = n11!.map((v) => 1 + 0.3 * v);
    const source = common.map((v, t) => v * env[t]!);
    const x = source.map((v, t) => v + 0.1 * n12![t]!);
    const y = source.map((v, t) => 0.8 * v + 0.1 * n13![t]!);
    const ax = bandAnalyticSignal(x, fs, [8, 12]);
    const ay = bandAnalyticSignal(y, fs, [8, 12]);
    expect(amplitudeEnvelopeCorrelation(ax, ay)).toBeGreaterThan(0.8);
    expect(Math.abs(amplitudeEnvelopeCorrelation(ax, ay, true))).toBeLessThan(0.3);
    expect(correlationMatrix([x, y])[0]![1]).toBeGreaterThan(0.9);
  });

  it('sliding-window PLV returns one matrix per window with the coupled pair near 1', () => {
    const windows = slidingConnectivity([a, b, c], fs, { windowSeconds: 10, stepSeconds: 10, method: 'plv' });
    expect(windows.length).toBe(6);
    for (const w of windows) expect(w.matrix[0]![1]).toBeGreaterThan(0.7);
    const spectral = slidingConnectivity([a, b, c], fs, { windowSeconds: 20, method: 'msc' });
    expect(spectral.length).toBe(5);
  });
});

describe('filters on synthetic signals', () => {
  it('FIR band-pass 1-40 Hz keeps 10 Hz (gain within 0.3 %) and removes 60 Hz (below 1 %)', () => {
    const fs = 200;
    const h = designFirFilter(fs, 1, 40).coefficients;
    const pass = applyFirZeroPhase(sine(8000, 10, fs), h);
    const stop = applyFirZeroPhase(sine(8000, 60, fs), h);
    const rms = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x).slice(2000, 6000).reduce((s, v) => s + v * v, 0) / 4000);
    expect(Math.abs(rms(pass) / Math.SQRT1_2 - 1)).toBeLessThan(0.003);
    expect(rms(stop) / Math.SQRT1_2).toBeLessThan(0.01);
  });

  it('Butterworth gain is 1/sqrt(2) at the band edges (both passes: 1/2) and low-pass/high-pass/band-stop designs behave', () => {
    const sos = butterSos(4, [8, 13], 'bandpass', 200);
    expect(sosGain(sos, 8, 200)).toBeCloseTo(Math.SQRT1_2, 9);
    expect(sosGain(butterSos(2, 30, 'lowpass', 200), 30, 200)).toBeCloseTo(Math.SQRT1_2, 9);
    expect(sosGain(butterSos(3, 5, 'highpass', 200), 5, 200)).toBeCloseTo(Math.SQRT1_2, 9);
    expect(sosGain(butterSos(2, [45, 55], 'bandstop', 200), 50, 200)).toBeLessThan(1e-6);
    expect(sosGain(butterSos(2, [45, 55], 'bandstop', 200), 10, 200)).toBeCloseTo(1, 3);
  });

  it('detrend removes a line exactly and a constant exactly', () => {
    const y = detrend(Float64Array.from({ length: 50 }, (_, i) => 3 + 2 * i), 'linear');
    for (const v of y) expect(Math.abs(v)).toBeLessThan(1e-12);
    expect(detrend(Float64Array.from([1, 2, 3]), 'constant')).toEqual(Float64Array.from([-1, 0, 1]));
  });
});
