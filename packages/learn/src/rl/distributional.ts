import { CajalError, createRandom, type Random } from '@cajal/core';
import { SignalRecorder } from './recorder.ts';

/**
 * Distributional TD (Dabney, Kurth-Nelson, Uchida et al. 2020): a population of value
 * predictors, each scaling positive prediction errors by alpha+ and negative ones by alpha-.
 * Unit i converges to the tau_i-expectile of the reward distribution, tau_i =
 * alpha+_i / (alpha+_i + alpha-_i), so optimistic units (tau > 0.5) sit high and pessimistic
 * ones low: the population codes the whole distribution, not only its mean. The "reversal
 * point" of a unit (the reward at which its response changes sign) is its learned value.
 * Records "rpe" (population mean), "value" (mean) and one "rpe_<i>" channel per unit.
 *
 * @example
 *   const agent = new DistributionalTDAgent({ alphaPlus, alphaMinus });
 *   for (const r of rewards) agent.update(r);
 */
export interface DistributionalTDOptions {
  alphaPlus: ArrayLike<number>;
  alphaMinus: ArrayLike<number>;
  /** Starting value of every unit (default 0). */
  initialValue?: number;
  /** Record every update (default true; turn off for long runs). */
  record?: boolean;
}

export class DistributionalTDAgent {
  readonly alphaPlus: Float64Array;
  readonly alphaMinus: Float64Array;
  readonly values: Float64Array;
  readonly recorder: SignalRecorder;
  private readonly record: boolean;
  updates = 0;

  constructor(options: DistributionalTDOptions) {
    if (options.alphaPlus.length !== options.alphaMinus.length || options.alphaPlus.length === 0) {
      throw new CajalError('INVALID_ARGUMENT', `alphaPlus (${options.alphaPlus.length}) and alphaMinus (${options.alphaMinus.length}) must be equal, non-empty`, { field: 'alphaPlus' });
    }
    this.alphaPlus = Float64Array.from(options.alphaPlus);
    this.alphaMinus = Float64Array.from(options.alphaMinus);
    this.values = new Float64Array(this.alphaPlus.length).fill(options.initialValue ?? 0);
    this.record = options.record ?? true;
    this.recorder = new SignalRecorder(['rpe', 'value', ...Array.from(this.values, (_, i) => `rpe_${i}`)]);
  }

  /** tau_i = alpha+ / (alpha+ + alpha-) of every unit. */
  asymmetries(): Float64Array {
    return this.alphaPlus.map((p, i) => p / (p + (this.alphaMinus[i] as number)));
  }

  /**
   * One trial ending in `reward` (optionally plus a discounted next value `bootstrap` shared
   * by all units, e.g. gamma V(next)); returns each unit's prediction error.
   */
  update(reward: number, bootstrap: ArrayLike<number> | number = 0): Float64Array {
    const deltas = new Float64Array(this.values.length);
    let meanDelta = 0;
    let meanValue = 0;
    for (let i = 0; i < this.values.length; i++) {
      const next = typeof bootstrap === 'number' ? bootstrap : (bootstrap[i] as number);
      const delta = reward + next - (this.values[i] as number);
      deltas[i] = delta;
      const rate = delta > 0 ? (this.alphaPlus[i] as number) : (this.alphaMinus[i] as number);
      this.values[i] = (this.values[i] as number) + rate * delta;
      meanDelta += delta;
      meanValue += this.values[i] as number;
    }
    this.updates++;
    if (this.record) {
      const sample: Record<string, number> = { rpe: meanDelta / deltas.length, value: meanValue / deltas.length };
      deltas.forEach((d, i) => (sample[`rpe_${i}`] = d));
      this.recorder.record(sample);
    }
    return deltas;
  }

  /**
   * Each unit's response to a reward of `magnitude` after learning, as dopamine neurons fire:
   * the prediction error scaled by the learning rate on its side, alpha+ delta or alpha- delta.
   */
  responses(magnitude: number): Float64Array {
    return this.values.map((v, i) => {
      const delta = magnitude - v;
      return (delta > 0 ? (this.alphaPlus[i] as number) : (this.alphaMinus[i] as number)) * delta;
    });
  }
}

/**
 * A discrete reward distribution: magnitudes and their probabilities. The default is the
 * variable-magnitude juice distribution of Dabney et al. 2020 (0.1 to 20 microlitres).
 */
export interface RewardDistribution {
  magnitudes: number[];
  probabilities: number[];
}

export const dabneyRewardDistribution: RewardDistribution = {
  magnitudes: [0.1, 0.3, 1.2, 2.5, 5, 10, 20],
  probabilities: [0.066, 0.091, 0.15, 0.15, 0.31, 0.15, 0.083],
};

/** Draw one reward from a distribution. */
export function sampleReward(distribution: RewardDistribution, random: Random): number {
  const total = distribution.probabilities.reduce((a, b) => a + b, 0);
  let u = random.uniform() * total;
  for (let i = 0; i < distribution.magnitudes.length; i++) {
    u -= distribution.probabilities[i] as number;
    if (u < 0) return distribution.magnitudes[i] as number;
  }
  return distribution.magnitudes[distribution.magnitudes.length - 1] as number;
}

/** Mean, standard deviation and skewness of a distribution given by values and weights. */
export function moments(values: ArrayLike<number>, weights?: ArrayLike<number>): { mean: number; std: number; skewness: number } {
  let total = 0;
  let mean = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? (weights[i] as number) : 1;
    total += w;
    mean += w * (values[i] as number);
  }
  mean /= total;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? (weights[i] as number) : 1;
    const d = (values[i] as number) - mean;
    m2 += (w * d * d) / total;
    m3 += (w * d * d * d) / total;
  }
  const std = Math.sqrt(m2);
  return { mean, std, skewness: m3 / (std * std * std) };
}

/**
 * Reversal point of each unit: the reward magnitude where its mean response crosses zero,
 * linearly interpolated between the tested magnitudes (sorted ascending). `responses[m][i]` is
 * unit i's mean response to magnitude m. Units that never cross get the nearest end.
 */
export function reversalPoints(magnitudes: number[], responses: Float64Array[]): Float64Array {
  const units = responses[0]?.length ?? 0;
  const out = new Float64Array(units);
  for (let i = 0; i < units; i++) {
    out[i] = (responses[0]?.[i] ?? 0) >= 0 ? (magnitudes[0] as number) : (magnitudes[magnitudes.length - 1] as number);
    for (let m = 1; m < magnitudes.length; m++) {
      const a = (responses[m - 1] as Float64Array)[i] as number;
      const b = (responses[m] as Float64Array)[i] as number;
      if (a < 0 && b >= 0) {
        const x0 = magnitudes[m - 1] as number;
        const x1 = magnitudes[m] as number;
        out[i] = x0 + ((x1 - x0) * -a) / (b - a);
        break;
      }
    }
  }
  return out;
}

/**
 * Asymmetric scaling of each unit: the slope of response against magnitude fitted separately
 * on the magnitudes above and below its reversal point (least squares with an intercept when a
 * side has two or more magnitudes, through the reversal point otherwise), returned as
 * slope+ / (slope+ + slope-). Fitting with an intercept keeps an error in the reversal point
 * from leaking into the asymmetry, so reversal points and asymmetries measured on independent
 * trials can be correlated honestly (Dabney et al. 2020, Fig. 2).
 */
export function responseAsymmetries(magnitudes: number[], responses: Float64Array[], reversal: ArrayLike<number>): Float64Array {
  const units = reversal.length;
  const out = new Float64Array(units);
  const slope = (xs: number[], ys: number[], pivot: number): number => {
    if (xs.length === 0) return 1e-9;
    if (xs.length === 1) return ((ys[0] as number) / ((xs[0] as number) - pivot)) || 1e-9;
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    xs.forEach((x, j) => {
      sxy += (x - mx) * ((ys[j] as number) - my);
      sxx += (x - mx) * (x - mx);
    });
    return sxy / sxx;
  };
  for (let i = 0; i < units; i++) {
    const pivot = reversal[i] as number;
    const above: [number[], number[]] = [[], []];
    const below: [number[], number[]] = [[], []];
    magnitudes.forEach((x, m) => {
      const y = (responses[m] as Float64Array)[i] as number;
      const side = x > pivot ? above : below;
      side[0].push(x);
      side[1].push(y);
    });
    const plus = Math.max(slope(above[0], above[1], pivot), 1e-9);
    const minus = Math.max(slope(below[0], below[1], pivot), 1e-9);
    out[i] = plus / (plus + minus);
  }
  return out;
}

/**
 * Expectile imputation (Rowland et al. 2019; used by Dabney et al. 2020 to decode reward
 * distributions from dopamine): find `sampleCount` samples whose tau_i-expectiles match the
 * given expectiles, by minimising sum_i (mean_k [tau_i (z_k - e_i)+ - (1 - tau_i)(e_i - z_k)+])^2
 * with gradient descent (Adam). Returns the samples, sorted.
 *
 * @example
 *   const samples = imputeDistribution(agent.asymmetries(), agent.values, { sampleCount: 100 });
 */
export function imputeDistribution(
  taus: ArrayLike<number>,
  expectiles: ArrayLike<number>,
  options: { sampleCount?: number; iterations?: number; learningRate?: number; seed?: number } = {},
): Float64Array {
  const n = taus.length;
  const k = options.sampleCount ?? 100;
  const iterations = options.iterations ?? 3000;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < n; i++) {
    low = Math.min(low, expectiles[i] as number);
    high = Math.max(high, expectiles[i] as number);
  }
  const span = Math.max(high - low, 1e-6);
  const rate = (options.learningRate ?? 0.01) * span;
  const random = createRandom(options.seed ?? 0);
  const z = Float64Array.from({ length: k }, () => low + random.uniform() * span);
  const m = new Float64Array(k);
  const v = new Float64Array(k);
  const residual = new Float64Array(n);
  for (let step = 1; step <= iterations; step++) {
    for (let i = 0; i < n; i++) {
      const tau = taus[i] as number;
      const e = expectiles[i] as number;
      let g = 0;
      for (let j = 0; j < k; j++) {
        const d = (z[j] as number) - e;
        g += d > 0 ? tau * d : (1 - tau) * d;
      }
      residual[i] = g / k;
    }
    for (let j = 0; j < k; j++) {
      let grad = 0;
      for (let i = 0; i < n; i++) {
        const tau = taus[i] as number;
        const weight = (z[j] as number) > (expectiles[i] as number) ? tau : 1 - tau;
        grad += (2 * (residual[i] as number) * weight) / k;
      }
      m[j] = 0.9 * (m[j] as number) + 0.1 * grad;
      v[j] = 0.999 * (v[j] as number) + 0.001 * grad * grad;
      const mHat = (m[j] as number) / (1 - Math.pow(0.9, step));
      const vHat = (v[j] as number) / (1 - Math.pow(0.999, step));
      z[j] = (z[j] as number) - (rate * mHat) / (Math.sqrt(vHat) + 1e-12);
    }
  }
  return z.sort();
}
