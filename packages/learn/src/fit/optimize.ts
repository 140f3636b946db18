import { CajalError, createRandom } from '@cajal/core';

/**
 * Derivative-free minimisation: Nelder-Mead simplex (adaptive coefficients of Gao and Han
 * 2012) with several seeded starting points, keeping the best. Used on unconstrained
 * (transformed) parameters, where it is robust to the flat and ridged likelihoods of
 * learning models.
 *
 * @example
 *   const best = minimize((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, { dimension: 2, starts: 4, seed: 1 });
 */
export interface MinimizeOptions {
  dimension: number;
  /** Number of starting points (default 5); the first is `initial` when given. */
  starts?: number;
  /** First starting point (default all zeros). */
  initial?: ArrayLike<number>;
  /** Random starts are uniform in [-spread, spread] per coordinate (default 2). */
  spread?: number;
  /** Evaluations per start (default 400 x dimension). */
  maxEvaluations?: number;
  /** Stop when the simplex's function values differ by less than this (default 1e-8). */
  tolerance?: number;
  seed?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  evaluations: number;
  /** True when the best start met the tolerance before running out of evaluations. */
  converged: boolean;
  /** Best value reached from each start. */
  start_values: number[];
}

/** One Nelder-Mead run from `start`. */
export function nelderMead(f: (x: Float64Array) => number, start: ArrayLike<number>, maxEvaluations: number, tolerance: number): MinimizeResult {
  const n = start.length;
  const alpha = 1;
  const gamma = 1 + 2 / n;
  const rho = 0.75 - 1 / (2 * n);
  const sigma = 1 - 1 / n;
  const evaluate = (x: Float64Array): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
  const points: Float64Array[] = [Float64Array.from(start)];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(start);
    p[i] = (p[i] as number) + 0.5;
    points.push(p);
  }
  let values = points.map(evaluate);
  let evaluations = n + 1;
  let converged = false;
  while (evaluations < maxEvaluations) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const sortedPoints = order.map(([, i]) => points[i] as Float64Array);
    values = order.map(([v]) => v);
    points.splice(0, points.length, ...sortedPoints);
    if (Math.abs((values[n] as number) - (values[0] as number)) < tolerance) {
      converged = true;
      break;
    }
    const centroid = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + ((points[i] as Float64Array)[j] as number) / n;
    const worst = points[n] as Float64Array;
    const along = (t: number): Float64Array => centroid.map((c, j) => c + t * (c - (worst[j] as number)));
    const reflected = along(alpha);
    const fr = evaluate(reflected);
    evaluations++;
    if (fr < (values[0] as number)) {
      const expanded = along(gamma);
      const fe = evaluate(expanded);
      evaluations++;
      if (fe < fr) {
        points[n] = expanded;
        values[n] = fe;
      } else {
        points[n] = reflected;
        values[n] = fr;
      }
    } else if (fr < (values[n - 1] as number)) {
      points[n] = reflected;
      values[n] = fr;
    } else {
      const outside = fr < (values[n] as number);
      const contracted = along(outside ? rho * alpha : -rho);
      const fc = evaluate(contracted);
      evaluations++;
      if (fc < (outside ? fr : (values[n] as number))) {
        points[n] = contracted;
        values[n] = fc;
      } else {
        const best = points[0] as Float64Array;
        for (let i = 1; i <= n; i++) {
          const p = points[i] as Float64Array;
          for (let j = 0; j < n; j++) p[j] = (best[j] as number) + sigma * ((p[j] as number) - (best[j] as number));
          values[i] = evaluate(p);
          evaluations++;
        }
      }
    }
  }
  let bestIndex = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[bestIndex] as number)) bestIndex = i;
  return { x: Float64Array.from(points[bestIndex] as Float64Array), value: values[bestIndex] as number, evaluations, converged, start_values: [values[bestIndex] as number] };
}

/** Minimise `f` from several seeded starts (Nelder-Mead each, then a restart from the best). */
export function minimize(f: (x: Float64Array) => number, options: MinimizeOptions): MinimizeResult {
  const n = options.dimension;
  if (!(Number.isInteger(n) && n > 0)) throw new CajalError('INVALID_ARGUMENT', `dimension ${n} must be a positive integer`, { field: 'dimension' });
  const starts = options.starts ?? 5;
  const spread = options.spread ?? 2;
  const maxEvaluations = options.maxEvaluations ?? 400 * n;
  const tolerance = options.tolerance ?? 1e-8;
  const random = createRandom(options.seed ?? 0);
  let best: MinimizeResult | undefined;
  let evaluations = 0;
  const startValues: number[] = [];
  for (let s = 0; s < starts; s++) {
    const start = s === 0 ? Float64Array.from(options.initial ?? new Float64Array(n)) : Float64Array.from({ length: n }, () => random.uniformRange(-spread, spread));
    const result = nelderMead(f, start, maxEvaluations, tolerance);
    evaluations += result.evaluations;
    startValues.push(result.value);
    if (!best || result.value < best.value) best = result;
  }
  const polished = nelderMead(f, (best as MinimizeResult).x, maxEvaluations, tolerance);
  evaluations += polished.evaluations;
  const final = polished.value <= (best as MinimizeResult).value ? polished : (best as MinimizeResult);
  return { x: final.x, value: final.value, evaluations, converged: polished.converged, start_values: startValues };
}
