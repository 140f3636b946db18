import { CajalError, createRandom, throttleProgress, throwIfAborted, type LongOperationOptions, type Random } from '@cajal/core';

/**
 * The classical Hopfield network (Hopfield 1982): N binary (+1/-1) units, Hebbian weights
 * W = (1/N) sum_mu xi_mu xi_mu^T with zero diagonal, and updates s_i = sign(sum_j W_ij s_j),
 * asynchronous (random order, one unit at a time; energy never rises) or synchronous (all
 * at once; can fall into 2-cycles). Random patterns are retrieved reliably only up to about
 * 0.138 N patterns (Amit, Gutfreund and Sompolinsky 1985); beyond it retrieval collapses.
 *
 * @example
 *   const patterns = randomPatterns(20, 200, createRandom(1));
 *   const weights = hebbianWeights(patterns);
 *   const { state } = recallAsync(weights, flipBits(patterns[0], 0.1, createRandom(2)), createRandom(3));
 */
export type Pattern = Int8Array;

/** `count` random +1/-1 patterns of `size` units. */
export function randomPatterns(count: number, size: number, random: Random): Pattern[] {
  return Array.from({ length: count }, () => Int8Array.from({ length: size }, () => (random.uniform() < 0.5 ? -1 : 1)));
}

/** A copy of `pattern` with a fraction of its units flipped (chosen without replacement). */
export function flipBits(pattern: Pattern, fraction: number, random: Random): Pattern {
  const out = Int8Array.from(pattern);
  const indices = random.shuffle(Array.from({ length: out.length }, (_, i) => i));
  const count = Math.round(fraction * out.length);
  for (let k = 0; k < count; k++) {
    const i = indices[k] as number;
    out[i] = -(out[i] as number);
  }
  return out;
}

/** Hebbian weight matrix (N x N row-major, zero diagonal). */
export function hebbianWeights(patterns: Pattern[]): Float32Array {
  const n = patterns[0]?.length ?? 0;
  if (n === 0) throw new CajalError('INVALID_ARGUMENT', 'need at least one non-empty pattern', { field: 'patterns' });
  const w = new Float32Array(n * n);
  for (const p of patterns) {
    if (p.length !== n) throw new CajalError('INVALID_ARGUMENT', `pattern of ${p.length} units, expected ${n}`, { field: 'patterns' });
    for (let i = 0; i < n; i++) {
      const pi = (p[i] as number) / n;
      const row = i * n;
      for (let j = 0; j < n; j++) w[row + j] = (w[row + j] as number) + pi * (p[j] as number);
    }
  }
  for (let i = 0; i < n; i++) w[i * n + i] = 0;
  return w;
}

/** Overlap m = (1/N) sum_i a_i b_i (1 = identical, -1 = inverted). */
export function overlap(a: Pattern, b: Pattern): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s / a.length;
}

/** Hopfield energy E = -1/2 s^T W s. */
export function energy(weights: Float32Array, state: Pattern): number {
  const n = state.length;
  let e = 0;
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < n; j++) h += (weights[i * n + j] as number) * (state[j] as number);
    e -= 0.5 * (state[i] as number) * h;
  }
  return e;
}

/** Asynchronous recall: sweeps of random-order single-unit updates until no unit changes (or `maxSweeps`, default 50). */
export function recallAsync(weights: Float32Array, start: Pattern, random: Random, maxSweeps = 50): { state: Pattern; sweeps: number; converged: boolean } {
  const n = start.length;
  const s = Int8Array.from(start);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    random.shuffle(order);
    let changed = 0;
    for (const i of order) {
      let h = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) h += (weights[row + j] as number) * (s[j] as number);
      const next = h > 0 ? 1 : h < 0 ? -1 : (s[i] as number);
      if (next !== s[i]) {
        s[i] = next;
        changed++;
      }
    }
    if (changed === 0) return { state: s, sweeps: sweep, converged: true };
  }
  return { state: s, sweeps: maxSweeps, converged: false };
}

/** Synchronous recall: all units at once, until a fixed point (or `maxSteps`, default 50). */
export function recallSync(weights: Float32Array, start: Pattern, maxSteps = 50): { state: Pattern; steps: number; converged: boolean } {
  const n = start.length;
  let s = Int8Array.from(start);
  for (let step = 1; step <= maxSteps; step++) {
    const next = new Int8Array(n);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let h = 0;
      for (let j = 0; j < n; j++) h += (weights[i * n + j] as number) * (s[j] as number);
      next[i] = h > 0 ? 1 : h < 0 ? -1 : (s[i] as number);
      if (next[i] !== s[i]) changed++;
    }
    s = next;
    if (changed === 0) return { state: s, steps: step, converged: true };
  }
  return { state: s, steps: maxSteps, converged: false };
}

export interface CapacityPoint {
  /** Patterns per neuron, P / N. */
  load: number;
  patterns: number;
  /** Fraction of probed patterns recalled with overlap >= `threshold`. */
  accuracy: number;
  mean_overlap: number;
}

/**
 * Retrieval accuracy against load: for each load P / N, store P random patterns, start
 * asynchronous recall from each of up to `probes` stored patterns with `flipFraction` of units
 * flipped, and count recalls whose final overlap with the pattern is >= `threshold` (default 0.95).
 */
export function capacityCurve(
  options: LongOperationOptions & { size: number; loads: number[]; probes?: number; flipFraction?: number; threshold?: number; seed?: number },
): CapacityPoint[] {
  const random = createRandom(options.seed ?? 0);
  const progress = throttleProgress(options.onProgress);
  const threshold = options.threshold ?? 0.95;
  return options.loads.map((load, index) => {
    throwIfAborted(options.signal, 'capacity curve');
    const count = Math.max(1, Math.round(load * options.size));
    const patterns = randomPatterns(count, options.size, random);
    const weights = hebbianWeights(patterns);
    const probes = Math.min(count, options.probes ?? 20);
    let hits = 0;
    let overlapSum = 0;
    for (let p = 0; p < probes; p++) {
      const target = patterns[p] as Pattern;
      const { state } = recallAsync(weights, flipBits(target, options.flipFraction ?? 0, random), random);
      const m = overlap(state, target);
      overlapSum += m;
      if (m >= threshold) hits++;
    }
    progress({ done: index + 1, total: options.loads.length, stage: 'loads' });
    return { load, patterns: count, accuracy: hits / probes, mean_overlap: overlapSum / probes };
  });
}

/** Where accuracy first falls below 0.5, linearly interpolated between loads (NaN if it never does). */
export function capacityCliff(curve: CapacityPoint[]): number {
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as CapacityPoint;
    const b = curve[i] as CapacityPoint;
    if (a.accuracy >= 0.5 && b.accuracy < 0.5) return a.load + ((a.accuracy - 0.5) / (a.accuracy - b.accuracy)) * (b.load - a.load);
  }
  return Number.NaN;
}
