import { CajalError, type LongOperationOptions, createRandom, throwIfAborted } from '@cajal/core';
import type { NetworkDescription } from './network.ts';
import { type SweepPoint, type SweepRunner, type SweepStatistics, applyParameters, createInProcessRunner } from './sweep.ts';

/**
 * Fitting a model to target statistics (a firing rate and ISI CV measured from data, say) by
 * Bayesian optimisation: a Gaussian-process surrogate of the log mismatch over the (scaled)
 * parameter box proposes, at each step, the point of largest expected improvement — the
 * simulation most likely to bring the fit closer — so the modeller runs a handful of
 * simulations rather than a grid.
 *
 * Mismatch = sum over targets of ((statistic - target) / target)^2 (NaN counts as a miss of 1).
 *
 * @example
 *   const fit = await fitToTargets(net, [{ name: 'Input.rate', from: 1, to: 50 }], { mean_rate_hz: 15 }, { budget: 12 });
 *   fit.best.point; // { 'Input.rate': 11.8 }
 */
export interface FitParameter {
  name: string;
  from: number;
  to: number;
  log?: boolean;
}

/** Target values of statistics (any of SweepStatistics' fields). */
export type FitTargets = Partial<Record<keyof SweepStatistics, number>>;

export interface FitEvaluation {
  point: SweepPoint;
  statistics: SweepStatistics;
  /** Sum of squared relative errors. */
  mismatch: number;
  /** Largest relative error over the targets. */
  worst_relative_error: number;
  /** "initial" design or "expected_improvement". */
  proposed_by: 'initial' | 'expected_improvement';
}

export interface FitOptions extends LongOperationOptions {
  /** Most simulations to run (default 20). */
  budget?: number;
  /** Initial space-filling points (default 2 * parameters + 1). */
  initialPoints?: number;
  /** Stop once every target is within this relative error (default 0.05). */
  tolerance?: number;
  durationSeconds?: number;
  runner?: SweepRunner;
  seed?: number;
  monitor?: string;
}

export interface FitResult {
  best: FitEvaluation;
  history: FitEvaluation[];
  simulations: number;
  converged: boolean;
}

const erf = (x: number): number => {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
};
const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
const normalPdf = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** Cholesky factor (lower) of a symmetric positive-definite matrix, row-major n x n; undefined if not SPD. */
function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / (l[j * n + j] as number);
    }
  }
  return l;
}

function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

function solveUpper(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

/**
 * A Gaussian-process regression on points in [0,1]^d: squared-exponential kernel, constant
 * mean (the data mean), length scale chosen by marginal likelihood from a small grid, a small
 * noise term (simulations with a fixed seed are deterministic but rough).
 */
export interface GaussianProcess {
  lengthScale: number;
  predict(x: number[]): { mean: number; sd: number };
}

export function fitGaussianProcess(xs: number[][], ys: number[], lengthScales = [0.05, 0.1, 0.2, 0.3, 0.5, 0.8]): GaussianProcess {
  const n = xs.length;
  if (n === 0) throw new CajalError('INVALID_ARGUMENT', 'a Gaussian process needs at least one point', { field: 'points' });
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const variance = Math.max(1e-6, ys.reduce((a, y) => a + (y - mean) ** 2, 0) / n);
  const centred = Float64Array.from(ys, (y) => y - mean);
  const distance2 = (a: number[], b: number[]): number => a.reduce((s, v, k) => s + (v - (b[k] as number)) ** 2, 0);
  let best: { ll: number; ell: number; l: Float64Array; alpha: Float64Array } | undefined;
  for (const ell of lengthScales) {
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k[i * n + j] = variance * Math.exp(-distance2(xs[i] as number[], xs[j] as number[]) / (2 * ell * ell)) + (i === j ? variance * 1e-4 : 0);
    const l = cholesky(k, n);
    if (!l) continue;
    const alpha = solveUpper(l, n, solveLower(l, n, centred));
    let ll = 0;
    for (let i = 0; i < n; i++) ll += -0.5 * (centred[i] as number) * (alpha[i] as number) - Math.log(l[i * n + i] as number);
    if (!best || ll > best.ll) best = { ll, ell, l, alpha };
  }
  if (!best) throw new CajalError('INTERNAL', 'Gaussian-process covariance is not positive definite');
  const { ell, l, alpha } = best;
  return {
    lengthScale: ell,
    predict: (x) => {
      const kx = Float64Array.from(xs, (xi) => variance * Math.exp(-distance2(xi, x) / (2 * ell * ell)));
      let m = mean;
      for (let i = 0; i < n; i++) m += (kx[i] as number) * (alpha[i] as number);
      const v = solveLower(l, n, kx);
      let reduction = 0;
      for (let i = 0; i < n; i++) reduction += (v[i] as number) ** 2;
      return { mean: m, sd: Math.sqrt(Math.max(1e-12, variance * (1 + 1e-4) - reduction)) };
    },
  };
}

/** Expected improvement (for minimisation) of a prediction over the best value so far. */
export function expectedImprovement(mean: number, sd: number, best: number, margin = 0.01): number {
  const gain = best - mean - margin;
  const z = gain / sd;
  return gain * normalCdf(z) + sd * normalPdf(z);
}

const toUnit = (p: FitParameter, v: number): number => (p.log ? (Math.log(v) - Math.log(p.from)) / (Math.log(p.to) - Math.log(p.from)) : (v - p.from) / (p.to - p.from));
const fromUnit = (p: FitParameter, u: number): number => (p.log ? Math.exp(Math.log(p.from) + u * (Math.log(p.to) - Math.log(p.from))) : p.from + u * (p.to - p.from));

/**
 * The next point to simulate given what has been simulated: the maximiser of expected
 * improvement of the GP surrogate of log(mismatch), over random candidates plus
 * perturbations of the best point. Usable on its own to steer experiments by hand.
 */
export function proposeNext(space: FitParameter[], history: Array<{ point: SweepPoint; mismatch: number }>, seed = 1, candidates = 2000): SweepPoint {
  const random = createRandom(seed + history.length * 7919);
  const xs = history.map((h) => space.map((p) => toUnit(p, h.point[p.name] as number)));
  const ys = history.map((h) => Math.log(1e-4 + h.mismatch));
  const gp = fitGaussianProcess(xs, ys);
  const bestIndex = ys.indexOf(Math.min(...ys));
  const bestX = xs[bestIndex] as number[];
  const bestY = ys[bestIndex] as number;
  let chosen: number[] = bestX;
  let chosenScore = -Infinity;
  for (let c = 0; c < candidates; c++) {
    const x = c % 3 === 0 ? bestX.map((v) => Math.min(1, Math.max(0, v + random.normal(0, gp.lengthScale / 2)))) : space.map(() => random.uniform());
    const { mean, sd } = gp.predict(x);
    const score = expectedImprovement(mean, sd, bestY);
    if (score > chosenScore) {
      chosenScore = score;
      chosen = x;
    }
  }
  const point: SweepPoint = {};
  space.forEach((p, k) => {
    point[p.name] = fromUnit(p, chosen[k] as number);
  });
  return point;
}

/** Mismatch and worst relative error of statistics against targets. */
export function scoreStatistics(statistics: SweepStatistics, targets: FitTargets): { mismatch: number; worst_relative_error: number } {
  let mismatch = 0;
  let worst = 0;
  for (const [name, target] of Object.entries(targets) as Array<[keyof SweepStatistics, number]>) {
    const value = statistics[name];
    const relative = Number.isFinite(value) ? Math.abs(value - target) / Math.max(Math.abs(target), 1e-12) : 1;
    mismatch += relative * relative;
    worst = Math.max(worst, relative);
  }
  return { mismatch, worst_relative_error: worst };
}

/**
 * Search `space` for parameters whose simulated statistics match `targets`: a stratified
 * initial design, then one expected-improvement proposal per simulation, stopping when every
 * target is within `tolerance` or the budget is spent. The same seed is used for every
 * simulation (common random numbers), so differences come from the parameters.
 */
export async function fitToTargets(description: NetworkDescription, space: FitParameter[], targets: FitTargets, options: FitOptions = {}): Promise<FitResult> {
  if (space.length === 0) throw new CajalError('INVALID_ARGUMENT', 'fitting needs at least one parameter', { field: 'space' });
  if (Object.keys(targets).length === 0) throw new CajalError('INVALID_ARGUMENT', 'fitting needs at least one target statistic', { field: 'targets' });
  for (const p of space) {
    if (!(p.to > p.from) || (p.log && !(p.from > 0))) throw new CajalError('INVALID_ARGUMENT', `parameter ${p.name}: bad range ${p.from}..${p.to}`, { field: p.name });
  }
  const budget = options.budget ?? 20;
  const tolerance = options.tolerance ?? 0.05;
  const seed = options.seed ?? 1;
  const runner = options.runner ?? createInProcessRunner();
  const durationSeconds = options.durationSeconds ?? description.duration_seconds ?? 1;
  const history: FitEvaluation[] = [];
  const evaluate = async (point: SweepPoint, proposedBy: FitEvaluation['proposed_by']): Promise<FitEvaluation> => {
    const statistics = await runner.run({ description: applyParameters(description, point), durationSeconds, ...(options.monitor ? { monitor: options.monitor } : {}) });
    return { point, statistics, ...scoreStatistics(statistics, targets), proposed_by: proposedBy };
  };
  const converged = (): boolean => history.some((h) => h.worst_relative_error <= tolerance);
  const report = (): void => options.onProgress?.({ done: history.length, total: budget, stage: 'fitting' });
  // Stratified (Latin-hypercube) initial design, evaluated in parallel.
  const random = createRandom(seed);
  const initial = Math.min(budget, options.initialPoints ?? 2 * space.length + 1);
  const strata = space.map(() => {
    const order = Array.from({ length: initial }, (_, k) => k);
    for (let k = order.length - 1; k > 0; k--) {
      const j = random.integer(k + 1);
      [order[k], order[j]] = [order[j] as number, order[k] as number];
    }
    return order;
  });
  const design = Array.from({ length: initial }, (_, k) => {
    const point: SweepPoint = {};
    space.forEach((p, d) => {
      point[p.name] = fromUnit(p, (((strata[d] as number[])[k] as number) + random.uniform()) / initial);
    });
    return point;
  });
  for (let start = 0; start < design.length; start += runner.concurrency) {
    throwIfAborted(options.signal, 'fitting');
    history.push(...(await Promise.all(design.slice(start, start + runner.concurrency).map((p) => evaluate(p, 'initial')))));
    report();
  }
  while (history.length < budget && !converged()) {
    throwIfAborted(options.signal, 'fitting');
    history.push(await evaluate(proposeNext(space, history, seed), 'expected_improvement'));
    report();
  }
  const best = history.reduce((a, b) => (b.mismatch < a.mismatch ? b : a));
  return { best, history, simulations: history.length, converged: converged() };
}
