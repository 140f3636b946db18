import { CajalError } from '@cajal/core';
import { nextPowerOfTwo } from './fft.ts';
import { planRealFft } from './real-fft.ts';

/**
 * Discrete prolate spheroidal (Slepian) sequences, scipy.signal.windows.dpss conventions:
 * eigenvectors of the tridiagonal matrix d[n] = ((M-1-2n)/2)^2 cos(2 pi W), e[n] = n (M-n) / 2
 * with W = NW / M, unit energy, SciPy's sign convention, plus concentration ratios.
 * Eigenvalues by bisection (Sturm counts), eigenvectors by inverse iteration: O(M) each.
 */

/** Number of eigenvalues of the tridiagonal (d, e) that are < x. */
function sturmCount(d: Float64Array, e: Float64Array, x: number): number {
  let count = 0;
  let q = d[0] - x;
  if (q < 0) count++;
  for (let i = 1; i < d.length; i++) {
    q = d[i] - x - (e[i - 1] * e[i - 1]) / (q === 0 ? 1e-300 : q);
    if (q < 0) count++;
  }
  return count;
}

/** Solve (T - shift I) x = b for tridiagonal T, Gaussian elimination with partial pivoting. */
function solveShifted(d: Float64Array, e: Float64Array, shift: number, b: Float64Array): Float64Array {
  const n = d.length;
  // Store as banded rows: a (sub), c0 (diag), c1 (super), c2 (second super after pivoting).
  const sub = new Float64Array(n);
  const diag = new Float64Array(n);
  const sup1 = new Float64Array(n);
  const sup2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = d[i] - shift;
    if (i > 0) sub[i] = e[i - 1];
    if (i < n - 1) sup1[i] = e[i];
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(sub[i + 1]) > Math.abs(diag[i])) {
      // Swap rows i and i+1.
      const rowI = [diag[i], sup1[i], sup2[i], x[i]];
      diag[i] = sub[i + 1];
      sup1[i] = diag[i + 1];
      sup2[i] = sup1[i + 1];
      x[i] = x[i + 1];
      sub[i + 1] = rowI[0] as number;
      diag[i + 1] = rowI[1] as number;
      sup1[i + 1] = rowI[2] as number;
      x[i + 1] = rowI[3] as number;
    }
    const pivot = diag[i] === 0 ? 1e-300 : diag[i];
    const factor = sub[i + 1] / pivot;
    diag[i + 1] -= factor * sup1[i];
    sup1[i + 1] -= factor * sup2[i];
    x[i + 1] -= factor * x[i];
    sub[i + 1] = 0;
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = x[i];
    if (i + 1 < n) v -= sup1[i] * x[i + 1];
    if (i + 2 < n) v -= sup2[i] * x[i + 2];
    x[i] = v / (diag[i] === 0 ? 1e-300 : diag[i]);
  }
  return x;
}

export interface Dpss {
  /** tapers[k]: the k-th taper, unit energy (sum of squares 1). */
  tapers: Float64Array[];
  /** Concentration ratio (energy inside [-W, W]) of each taper. */
  ratios: Float64Array;
}

/**
 * scipy.signal.windows.dpss(M, NW, Kmax, return_ratios=True) (norm 2, symmetric).
 *
 * @example
 *   const { tapers, ratios } = dpss(512, 4, 7);
 */
export function dpss(length: number, halfBandwidth: number, count = Math.max(1, Math.floor(2 * halfBandwidth - 1))): Dpss {
  if (!(halfBandwidth > 0 && halfBandwidth < length / 2)) throw new CajalError('INVALID_ARGUMENT', `NW must be in (0, M/2), got ${halfBandwidth}`, { field: 'halfBandwidth' });
  if (count < 1 || count > length) throw new CajalError('INVALID_ARGUMENT', `Kmax must be in 1..${length}, got ${count}`, { field: 'count' });
  const w = halfBandwidth / length;
  const d = new Float64Array(length);
  const e = new Float64Array(Math.max(0, length - 1));
  const cosine = Math.cos(2 * Math.PI * w);
  for (let n = 0; n < length; n++) d[n] = ((length - 1 - 2 * n) / 2) ** 2 * cosine;
  for (let n = 1; n < length; n++) e[n - 1] = (n * (length - n)) / 2;
  let bound = 0;
  for (let i = 0; i < length; i++) bound = Math.max(bound, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < length - 1 ? Math.abs(e[i]) : 0));
  const tapers: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    // k-th largest eigenvalue = the (length - 1 - k)-th smallest (0-based).
    const target = length - 1 - k;
    let lo = -bound, hi = bound;
    for (let iteration = 0; iteration < 200 && hi - lo > 1e-13 * Math.max(1, Math.abs(hi)); iteration++) {
      const mid = 0.5 * (lo + hi);
      if (sturmCount(d, e, mid) > target) hi = mid;
      else lo = mid;
    }
    const eigenvalue = 0.5 * (lo + hi);
    let v: Float64Array = Float64Array.from({ length }, (_, i) => 1 + 0.01 * Math.sin(i + k));
    for (let iteration = 0; iteration < 4; iteration++) {
      v = solveShifted(d, e, eigenvalue + 1e-10 * Math.max(1, Math.abs(eigenvalue)), v);
      let norm = 0;
      for (const value of v) norm += value * value;
      norm = Math.sqrt(norm);
      for (let i = 0; i < length; i++) v[i] /= norm;
    }
    tapers.push(v);
  }
  // SciPy's signs: symmetric tapers sum positive; antisymmetric ones start with a positive lobe.
  const threshold = Math.max(1e-7, 1 / length);
  tapers.forEach((taper, k) => {
    let flip: boolean;
    if (k % 2 === 0) flip = taper.reduce((s, v) => s + v, 0) < 0;
    else {
      const first = taper.find((v) => v * v > threshold);
      flip = first !== undefined && first < 0;
    }
    if (flip) for (let i = 0; i < length; i++) taper[i] = -taper[i];
  });
  const ratios = new Float64Array(count);
  const nfft = nextPowerOfTwo(2 * length);
  const plan = planRealFft(nfft);
  const padded = new Float64Array(nfft);
  const re = new Float64Array(nfft / 2 + 1);
  const im = new Float64Array(nfft / 2 + 1);
  const autocorrelation = new Float64Array(nfft);
  tapers.forEach((taper, k) => {
    padded.fill(0);
    padded.set(taper);
    plan.forward(padded, re, im);
    for (let b = 0; b < re.length; b++) {
      re[b] = re[b] * re[b] + im[b] * im[b];
      im[b] = 0;
    }
    plan.inverse(re, im, autocorrelation);
    let ratio = 2 * w * autocorrelation[0];
    for (let lag = 1; lag < length; lag++) {
      const x = 2 * w * lag;
      ratio += autocorrelation[lag] * 4 * w * (Math.sin(Math.PI * x) / (Math.PI * x));
    }
    ratios[k] = ratio;
  });
  return { tapers, ratios };
}
