/**
 * Small numeric helpers shared by agents and fitting: softmax with inverse temperature,
 * log-softmax of a chosen option, logistic and its inverse, Pearson correlation.
 */

/** Softmax probabilities of `values` scaled by inverse temperature `beta` (numerically stable). */
export function softmax(values: ArrayLike<number>, beta = 1): Float64Array {
  const out = new Float64Array(values.length);
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, beta * (values[i] as number));
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const e = Math.exp(beta * (values[i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** log P(choice) under a softmax of `logits` (already scaled), stable for large logits. */
export function logSoftmaxAt(logits: ArrayLike<number>, choice: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
  return (logits[choice] as number) - max - Math.log(sum);
}

/** Draw an index from probabilities `p` with a uniform number `u` in [0, 1). */
export function sampleIndex(p: ArrayLike<number>, u: number): number {
  let cumulative = 0;
  for (let i = 0; i < p.length; i++) {
    cumulative += p[i] as number;
    if (u < cumulative) return i;
  }
  return p.length - 1;
}

/** 1 / (1 + exp(-x)). */
export function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(p / (1 - p)). */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Pearson correlation of two equal-length sequences (NaN when either is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Arithmetic mean (NaN for an empty sequence). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/** Quantile (linear interpolation, q in [0, 1]) of a sequence. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Array.from(values).sort((x, y) => x - y);
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return (sorted[low] as number) + (position - low) * ((sorted[high] as number) - (sorted[low] as number));
}
