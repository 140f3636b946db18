import { CajalError } from '@cajal/core';

/**
 * Band powers and simple spectral summaries computed from a spectrum (frequencies + power).
 */

/** A named frequency band in Hz, [low, high]. */
export interface Band {
  name: string;
  low: number;
  high: number;
}

/** The classic EEG bands: delta 1-4, theta 4-8, alpha 8-13, beta 13-30 Hz. */
export const defaultBands: Band[] = [
  { name: 'delta', low: 1, high: 4 },
  { name: 'theta', low: 4, high: 8 },
  { name: 'alpha', low: 8, high: 13 },
  { name: 'beta', low: 13, high: 30 },
];

/**
 * Parse "delta:1-4,theta:4-8" into bands.
 *
 * @example
 *   parseBands('alpha:8-13,beta:13-30'); // [{ name: 'alpha', low: 8, high: 13 }, ...]
 */
export function parseBands(text: string): Band[] {
  return text.split(',').map((part) => {
    const match = /^\s*([A-Za-z_][\w-]*)\s*:\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(part);
    if (!match) throw new CajalError('PARSE_ERROR', `band "${part}" is not NAME:LOW-HIGH (e.g. alpha:8-13)`, { field: 'bands' });
    const low = Number(match[2]);
    const high = Number(match[3]);
    if (!(low >= 0 && high > low)) throw new CajalError('INVALID_ARGUMENT', `band "${part}" needs 0 <= low < high`, { field: 'bands' });
    return { name: match[1] as string, low, high };
  });
}

/** How band power integrates the bins. */
export type BandPowerMethod =
  /** numpy.trapz over the bins with low <= f <= high (the reference's and many papers' choice). */
  | 'trapezoid'
  /** sum of bins with low <= f < high times the bin width (MNE tutorials, mne_pipeline.py). */
  | 'sum';

/**
 * Absolute power in [low, high] Hz from a PSD (units^2/Hz -> units^2).
 *
 * @example
 *   const alpha = bandPower(freqs, psd, 8, 13); // uV^2 when psd is uV^2/Hz
 */
export function bandPower(frequencies: ArrayLike<number>, power: ArrayLike<number>, low: number, high: number, method: BandPowerMethod = 'trapezoid'): number {
  if (method === 'sum') {
    const df = frequencies.length > 1 ? frequencies[1] - frequencies[0] : 0;
    let sum = 0;
    for (let k = 0; k < frequencies.length; k++) if (frequencies[k] >= low && frequencies[k] < high) sum += power[k];
    return sum * df;
  }
  let total = 0;
  let previous = -1;
  for (let k = 0; k < frequencies.length; k++) {
    const f = frequencies[k];
    if (f < low || f > high) continue;
    if (previous >= 0) total += 0.5 * (power[k] + power[previous]) * (f - frequencies[previous]);
    previous = k;
  }
  return total;
}

/** Absolute and relative power of each band; relative = band / power over [totalLow, totalHigh]. */
export interface BandPowers {
  absolute: Record<string, number>;
  relative: Record<string, number>;
  total: number;
}

/**
 * Band powers for many bands at once.
 *
 * @example
 *   const { absolute, relative } = bandPowers(freqs, psd, defaultBands, [1, 45]);
 */
export function bandPowers(frequencies: ArrayLike<number>, power: ArrayLike<number>, bands: Band[] = defaultBands, totalRange: [number, number] = [1, 45], method: BandPowerMethod = 'trapezoid'): BandPowers {
  const total = bandPower(frequencies, power, totalRange[0], totalRange[1], method);
  const absolute: Record<string, number> = {};
  const relative: Record<string, number> = {};
  for (const band of bands) {
    absolute[band.name] = bandPower(frequencies, power, band.low, band.high, method);
    relative[band.name] = total > 0 ? absolute[band.name] / total : 0;
  }
  return { absolute, relative, total };
}

/**
 * Peak alpha frequency: the frequency of the largest PSD bin in [low, high] Hz (default 7-14),
 * refined by a parabola through the peak and its neighbours. NaN when the band holds no bin.
 */
export function peakAlphaFrequency(frequencies: ArrayLike<number>, power: ArrayLike<number>, low = 7, high = 14): number {
  let best = -1;
  for (let k = 0; k < frequencies.length; k++) {
    if (frequencies[k] < low || frequencies[k] > high) continue;
    if (best < 0 || power[k] > power[best]) best = k;
  }
  if (best < 0) return NaN;
  if (best === 0 || best === frequencies.length - 1) return frequencies[best];
  const a = power[best - 1], b = power[best], c = power[best + 1];
  const denominator = a - 2 * b + c;
  const shift = denominator !== 0 ? (0.5 * (a - c)) / denominator : 0;
  return frequencies[best] + Math.max(-0.5, Math.min(0.5, shift)) * (frequencies[best + 1] - frequencies[best]);
}

/**
 * Spectral entropy (Shannon, of the normalised PSD over [low, high] Hz), divided by log2 of the
 * number of bins so it lies in [0, 1] when `normalize` is true (the default).
 */
export function spectralEntropy(frequencies: ArrayLike<number>, power: ArrayLike<number>, low = 0, high = Infinity, normalize = true): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < frequencies.length; k++) if (frequencies[k] >= low && frequencies[k] <= high) {
    sum += power[k];
    count++;
  }
  if (sum <= 0 || count < 2) return 0;
  let entropy = 0;
  for (let k = 0; k < frequencies.length; k++) if (frequencies[k] >= low && frequencies[k] <= high) {
    const p = power[k] / sum;
    if (p > 0) entropy -= p * Math.log2(p);
  }
  return normalize ? entropy / Math.log2(count) : entropy;
}

/** Aperiodic (1/f) component: log10 P = offset - exponent * log10 f (FOOOF 'fixed' mode). */
export interface AperiodicFit {
  offset: number;
  exponent: number;
  /** R^2 of the final fit in log-log space. */
  rSquared: number;
}

/**
 * Fit the aperiodic exponent like FOOOF's fixed mode: a robust straight line in log10-log10
 * over [low, high] Hz — an initial fit, then a refit on the bins whose residual is below the
 * 2.5th percentile threshold FOOOF uses (points under the initial fit, so peaks are excluded).
 *
 * @example
 *   const { exponent } = aperiodicExponent(freqs, psd, 2, 40);
 */
export function aperiodicExponent(frequencies: ArrayLike<number>, power: ArrayLike<number>, low = 2, high = 40): AperiodicFit {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < frequencies.length; k++) {
    if (frequencies[k] >= low && frequencies[k] <= high && frequencies[k] > 0 && power[k] > 0) {
      xs.push(Math.log10(frequencies[k]));
      ys.push(Math.log10(power[k]));
    }
  }
  if (xs.length < 3) throw new CajalError('INVALID_ARGUMENT', `need at least 3 positive bins in ${low}-${high} Hz to fit 1/f`, { field: 'frequencies' });
  const fit = (indices: number[]): { slope: number; intercept: number } => {
    let mx = 0, my = 0;
    for (const i of indices) { mx += xs[i]; my += ys[i]; }
    mx /= indices.length;
    my /= indices.length;
    let sxy = 0, sxx = 0;
    for (const i of indices) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
    const slope = sxx > 0 ? sxy / sxx : 0;
    return { slope, intercept: my - slope * mx };
  };
  const all = xs.map((_, i) => i);
  const first = fit(all);
  const residuals = all.map((i) => ys[i] - (first.intercept + first.slope * xs[i]));
  const sorted = [...residuals].sort((a, b) => a - b);
  const threshold = sorted[Math.max(0, Math.floor(0.025 * (sorted.length - 1)))] as number;
  let kept = all.filter((i) => (residuals[i] as number) <= Math.max(threshold, 0));
  if (kept.length < 3) kept = all;
  const final = fit(kept);
  let ssRes = 0, ssTot = 0;
  const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
  for (const i of all) {
    ssRes += (ys[i] - (final.intercept + final.slope * xs[i])) ** 2;
    ssTot += (ys[i] - mean) ** 2;
  }
  return { offset: final.intercept, exponent: -final.slope, rSquared: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}
