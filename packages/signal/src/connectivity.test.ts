import { describe, expect, it } from 'vitest';
import { createRandom, isCajalError } from '@cajal/core';
import { connectivityFromSpectra, pairConnectivity, spectralConnectivityEpochs, spectralMethods } from './connectivity.ts';
import type { SegmentSpectra, SpectralMethod } from './connectivity.ts';
import { slidingConnectivity } from './connectivity-time.ts';
import { createNodePool } from './pool.node.ts';
import { createInlinePool } from './pool.ts';
import { applyFirZeroPhase } from './filter.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';

/** Random per-segment spectra (segments x bins) for `channels` channels, with a lagged shared part. */
function spectra(channels: number, segments: number, bins: number, seed = 5): SegmentSpectra[] {
  const random = createRandom(seed);
  const shared = Array.from({ length: segments * bins }, () => [random.normal(), random.normal()] as const);
  return Array.from({ length: channels }, (_, c) => {
    const re = new Float64Array(segments * bins);
    const im = new Float64Array(segments * bins);
    const lag = 0.4 * c;
    for (let k = 0; k < segments * bins; k++) {
      const [sr, si] = shared[k]!;
      re[k] = sr * Math.cos(lag) - si * Math.sin(lag) + 0.8 * random.normal();
      im[k] = sr * Math.sin(lag) + si * Math.cos(lag) + 0.8 * random.normal();
    }
    return { re, im, segmentCount: segments, binCount: bins };
  });
}

/** The textbook definitions, written out with complex numbers per bin, averaged over bins. */
function definition(a: SegmentSpectra, b: SegmentSpectra, method: SpectralMethod): number {
  let total = 0;
  for (let f = 0; f < a.binCount; f++) {
    const cross: Array<[number, number]> = [];
    let paa = 0, pbb = 0;
    for (let s = 0; s < a.segmentCount; s++) {
      const k = s * a.binCount + f;
      cross.push([a.re[k]! * b.re[k]! + a.im[k]! * b.im[k]!, a.im[k]! * b.re[k]! - a.re[k]! * b.im[k]!]);
      paa += a.re[k]! ** 2 + a.im[k]! ** 2;
      pbb += b.re[k]! ** 2 + b.im[k]! ** 2;
    }
    const n = cross.length;
    const sum = cross.reduce((acc, [r, i]) => [acc[0] + r, acc[1] + i], [0, 0]);
    const imag = cross.map(([, i]) => i);
    const values: Record<SpectralMethod, number> = {
      msc: (sum[0] ** 2 + sum[1] ** 2) / (paa * pbb),
      coh: Math.hypot(sum[0], sum[1]) / Math.sqrt(paa * pbb),
      imcoh: sum[1] / Math.sqrt(paa * pbb),
      plv: Math.hypot(...cross.reduce((acc, [r, i]) => [acc[0] + r / Math.hypot(r, i), acc[1] + i / Math.hypot(r, i)], [0, 0])) / n,
      pli: Math.abs(imag.reduce((acc, i) => acc + Math.sign(i), 0)) / n,
      wpli: Math.abs(imag.reduce((x, y) => x + y, 0)) / imag.reduce((x, y) => x + Math.abs(y), 0),
      // Vinck 2011 debiased squared wPLI: sum over pairs of segments j != k of Im_j Im_k / |Im_j| |Im_k|.
      dwpli: (() => {
        let numerator = 0, denominator = 0;
        for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) if (j !== k) {
          numerator += imag[j]! * imag[k]!;
          denominator += Math.abs(imag[j]!) * Math.abs(imag[k]!);
        }
        return numerator / denominator;
      })(),
    };
    total += values[method];
  }
  return total / a.binCount;
}

describe('spectral connectivity measures', () => {
  it('msc, coh, imcoh, plv, pli, wpli, dwpli equal their textbook definitions on random lagged spectra (abs 1e-12)', () => {
    const s = spectra(4, 40, 6);
    const matrices = connectivityFromSpectra(s, spectralMethods);
    for (const method of spectralMethods) {
      for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) {
        const expected = definition(s[i]!, s[j]!, method);
        expect(Math.abs(matrices[method]![i]![j]! - expected)).toBeLessThan(1e-12);
        expect(Math.abs(pairConnectivity(s[i]!, s[j]!, method) - expected)).toBeLessThan(1e-12);
        expect(matrices[method]![j]![i]).toBeCloseTo(method === 'imcoh' ? -expected : expected, 12);
      }
    }
    // coh^2 = msc for one bin.
    const one = spectra(2, 50, 1, 9);
    const m = connectivityFromSpectra(one, ['msc', 'coh']);
    expect(m.coh![0]![1]! ** 2).toBeCloseTo(m.msc![0]![1]!, 12);
  });

  it('across epochs: a constant 10 Hz phase lag between channels gives wPLI = PLI = PLV = 1; an empty epoch list is INVALID_ARGUMENT', () => {
    const fs = 100;
    const random = createRandom(4);
    const epochs = Array.from({ length: 12 }, () => {
      const phase = random.uniform() * 2 * Math.PI;
      const a = Float64Array.from({ length: 200 }, (_, t) => Math.sin((2 * Math.PI * 10 * t) / fs + phase));
      const b = Float64Array.from({ length: 200 }, (_, t) => Math.sin((2 * Math.PI * 10 * t) / fs + phase - 1));
      return [a, b];
    });
    const m = spectralConnectivityEpochs(epochs, fs, { fmin: 10, fmax: 10, methods: ['wpli', 'pli', 'plv', 'msc'] });
    for (const method of ['wpli', 'pli', 'plv', 'msc'] as const) expect(m[method]![0]![1]).toBeCloseTo(1, 9);
    try {
      spectralConnectivityEpochs([], fs, { fmin: 8, fmax: 12 });
      expect.unreachable();
    } catch (error) {
      expect(isCajalError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('time-resolved: sliding-window wPLI, AEC and correlation follow a coupling that switches on halfway', () => {
    const fs = 100;
    const random = createRandom(8);
    const n = 6000;
    const a = Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * 10 * t) / fs) * (1 + 0.5 * Math.sin(t / 150)) + 0.3 * random.normal());
    const b = Float64Array.from({ length: n }, (_, t) => (t < n / 2 ? random.normal() : a[t - 1]! + 0.3 * random.normal()));
    const wpli = slidingConnectivity([a, b], fs, { windowSeconds: 10, stepSeconds: 10, method: 'wpli', band: [8, 12] });
    expect(wpli).toHaveLength(6);
    expect(wpli[0]!.startSeconds).toBe(0);
    expect(wpli[5]!.matrix[0]![1]).toBeGreaterThan(0.8);
    expect(wpli[0]!.matrix[0]![1]).toBeLessThan(wpli[5]!.matrix[0]![1]!);
    const corr = slidingConnectivity([a, b], fs, { windowSeconds: 10, stepSeconds: 10, method: 'correlation' });
    expect(Math.abs(corr[0]!.matrix[0]![1]!)).toBeLessThan(0.2);
    expect(corr[5]!.matrix[0]![1]).toBeGreaterThan(0.5);
    const aec = slidingConnectivity([a, b], fs, { windowSeconds: 10, stepSeconds: 10, method: 'aec', band: [8, 12] });
    expect(aec[5]!.matrix[0]![1]).toBeGreaterThan(aec[0]!.matrix[0]![1]!);
  });
});

describe('worker pool (worker_threads)', () => {
  it('reports progress per finished input, keeps input order, and stops on abort with CajalError ABORTED', async () => {
    const pool = createNodePool({ size: 2 });
    try {
      const inputs = Array.from({ length: 6 }, (_, c) => ({ samples: Float64Array.from({ length: 4096 }, (_, t) => Math.sin((2 * Math.PI * (10 + 10 * c) * t) / 256)), sfreq: 256, options: { nperseg: 256 } }));
      const progress: number[] = [];
      const outputs = await pool.map('welchChannel', inputs, { onProgress: (p) => progress.push(p.done) });
      expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
      // Peak bin rises with the input's frequency: order kept.
      const peaks = outputs.map((o) => o.power.indexOf(Math.max(...o.power)));
      for (let i = 1; i < peaks.length; i++) expect(peaks[i]).toBeGreaterThan(peaks[i - 1]!);
      const controller = new AbortController();
      const aborted = pool.map('welchChannel', inputs, { signal: controller.signal, onProgress: () => controller.abort() });
      await expect(aborted).rejects.toSatisfy((e: unknown) => isCajalError(e, 'ABORTED'));
    } finally {
      await pool.close();
    }
  });
});

describe('pool task filterChannels', () => {
  it('band-pass + notch of channel groups equals stage-by-stage filtering (float32 output, rel 1e-6)', async () => {
    const random = createRandom(12);
    const channels = Array.from({ length: 3 }, () => Float32Array.from({ length: 20000 }, () => random.normal()));
    const [out] = await createInlinePool().map('filterChannels', [{ channels, sfreq: 256, bandpass: [1, 40], notch: [50] }]);
    out!.forEach((y, c) => {
      const expected = applyFirZeroPhase(applyFirZeroPhase(channels[c]!, designFirFilter(256, 1, 40).coefficients), designNotchFilter(256, [50]).coefficients);
      let worst = 0, scale = 0;
      for (let t = 0; t < y.length; t++) {
        worst = Math.max(worst, Math.abs(y[t]! - expected[t]!));
        scale = Math.max(scale, Math.abs(expected[t]!));
      }
      expect(y).toBeInstanceOf(Float32Array);
      expect(worst / scale).toBeLessThan(1e-6);
    });
  });
});
