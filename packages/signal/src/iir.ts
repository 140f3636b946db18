import { CajalError } from '@cajal/core';
import type { Samples } from './filter.ts';

/**
 * IIR Butterworth filters as second-order sections, designed like scipy.signal.butter(...,
 * output='sos') (analogue prototype, band transform, bilinear transform, zpk2sos with
 * 'nearest' pairing) and applied forward-backward like scipy.signal.sosfiltfilt.
 * Each section row is [b0, b1, b2, a0, a1, a2].
 */

interface Complex {
  re: number;
  im: number;
}

const c = (re: number, im = 0): Complex => ({ re, im });
const add = (a: Complex, b: Complex): Complex => c(a.re + b.re, a.im + b.im);
const sub = (a: Complex, b: Complex): Complex => c(a.re - b.re, a.im - b.im);
const mul = (a: Complex, b: Complex): Complex => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const scale = (a: Complex, s: number): Complex => c(a.re * s, a.im * s);
const abs = (a: Complex): number => Math.hypot(a.re, a.im);
function div(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
/** Principal square root, like numpy's. */
function sqrt(a: Complex): Complex {
  const r = abs(a);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sqrt(Math.max(0, (r - a.re) / 2));
  return c(re, a.im < 0 || (a.im === 0 && Object.is(a.im, -0)) ? -im : im);
}
const isReal = (a: Complex): boolean => a.im === 0;

export type ButterType = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

/** A designed IIR filter in second-order sections: Float64Array rows of 6 coefficients. */
export type Sos = Float64Array[];

/**
 * scipy.signal.butter(order, freqs, btype, fs=fs, output='sos').
 *
 * @example
 *   const sos = butterSos(4, [1, 40], 'bandpass', 200); // 4 sections (order 8)
 */
export function butterSos(order: number, freqs: number | [number, number], type: ButterType, fs: number): Sos {
  if (!Number.isInteger(order) || order < 1) throw new CajalError('INVALID_ARGUMENT', `order must be a positive integer, got ${order}`, { field: 'order' });
  const edges = Array.isArray(freqs) ? freqs : [freqs];
  const band = type === 'bandpass' || type === 'bandstop';
  if (edges.length !== (band ? 2 : 1)) throw new CajalError('INVALID_ARGUMENT', `${type} needs ${band ? 2 : 1} frequencies, got ${edges.length}`, { field: 'freqs' });
  for (const f of edges) {
    if (!(f > 0 && f < fs / 2)) throw new CajalError('INVALID_ARGUMENT', `frequency ${f} Hz must lie between 0 and Nyquist ${fs / 2} Hz`, { field: 'freqs' });
  }
  // Pre-warp (digital design with fs = 2 after normalisation, as SciPy does).
  const warped = edges.map((f) => 4 * Math.tan((Math.PI * ((2 * f) / fs)) / 2));
  let zeros: Complex[] = [];
  let poles: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const angle = (Math.PI * m) / (2 * order);
    poles.push(c(-Math.cos(angle), -Math.sin(angle)));
  }
  let gain = 1;
  const degree = poles.length - zeros.length;
  if (type === 'lowpass') {
    const wo = warped[0] as number;
    poles = poles.map((p) => scale(p, wo));
    gain *= wo ** degree;
  } else if (type === 'highpass') {
    const wo = warped[0] as number;
    const prodP = poles.reduce((acc, p) => mul(acc, scale(p, -1)), c(1));
    gain *= div(c(1), prodP).re;
    poles = poles.map((p) => div(c(wo), p));
    zeros = Array.from({ length: degree }, () => c(0));
  } else {
    const lo = warped[0] as number;
    const hi = warped[1] as number;
    const bw = hi - lo;
    const wo = Math.sqrt(lo * hi);
    const wo2 = c(wo * wo);
    if (type === 'bandpass') {
      const lp = poles.map((p) => scale(p, bw / 2));
      poles = [...lp.map((p) => add(p, sqrt(sub(mul(p, p), wo2)))), ...lp.map((p) => sub(p, sqrt(sub(mul(p, p), wo2))))];
      zeros = Array.from({ length: degree }, () => c(0));
      gain *= bw ** degree;
    } else {
      const prodP = poles.reduce((acc, p) => mul(acc, scale(p, -1)), c(1));
      gain *= div(c(1), prodP).re;
      const hp = poles.map((p) => div(c(bw / 2), p));
      poles = [...hp.map((p) => add(p, sqrt(sub(mul(p, p), wo2)))), ...hp.map((p) => sub(p, sqrt(sub(mul(p, p), wo2))))];
      zeros = [...Array.from({ length: degree }, () => c(0, wo)), ...Array.from({ length: degree }, () => c(0, -wo))];
    }
  }
  // Bilinear transform with fs = 2 (fs2 = 4).
  const fs2 = c(4);
  const digitalDegree = poles.length - zeros.length;
  const num = zeros.reduce((acc, z) => mul(acc, sub(fs2, z)), c(1));
  const den = poles.reduce((acc, p) => mul(acc, sub(fs2, p)), c(1));
  gain *= div(num, den).re;
  const zz = [...zeros.map((z) => div(add(fs2, z), sub(fs2, z))), ...Array.from({ length: digitalDegree }, () => c(-1))];
  const pz = poles.map((p) => div(add(fs2, p), sub(fs2, p)));
  return zpkToSos(zz, pz, gain);
}

/** numpy's np.isreal after _cplxreal: snap tiny imaginary parts and return (complex with im > 0, then real). */
function complexThenReal(values: Complex[]): Complex[] {
  const tol = 100 * Number.EPSILON;
  const real = values.filter((v) => Math.abs(v.im) <= tol * abs(v)).map((v) => c(v.re)).sort((a, b) => a.re - b.re);
  const complex = values.filter((v) => Math.abs(v.im) > tol * abs(v));
  const positive = complex.filter((v) => v.im > 0).sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  const negative = complex.filter((v) => v.im < 0).sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  if (positive.length !== negative.length) throw new CajalError('INTERNAL', 'complex values do not come in conjugate pairs');
  const averaged = positive.map((p, i) => c((p.re + (negative[i] as Complex).re) / 2, (p.im - (negative[i] as Complex).im) / 2));
  return [...averaged, ...real];
}

function nearestIndex(from: Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  const order = from.map((v, i) => ({ i, d: abs(sub(v, to)) })).sort((a, b) => a.d - b.d || a.i - b.i);
  for (const { i } of order) {
    const v = from[i] as Complex;
    if (which === 'any' || (which === 'real') === isReal(v)) return i;
  }
  throw new CajalError('INTERNAL', `no ${which} value to pair`);
}

function polynomial(roots: Complex[]): number[] {
  let coefficients: Complex[] = [c(1)];
  for (const r of roots) {
    const next: Complex[] = coefficients.map((x) => c(x.re, x.im)).concat([c(0)]);
    for (let i = 1; i < next.length; i++) next[i] = sub(next[i] as Complex, mul(r, coefficients[i - 1] as Complex));
    coefficients = next;
  }
  const real = coefficients.map((x) => x.re);
  while (real.length < 3) real.unshift(0);
  return real;
}

function section(z: Complex[], p: Complex[]): Float64Array {
  return Float64Array.from([...polynomial(z), ...polynomial(p)]);
}

/** scipy.signal.zpk2sos(z, p, k) with pairing='nearest' (digital). */
export function zpkToSos(zerosIn: Complex[], polesIn: Complex[], gain: number): Sos {
  let z = [...zerosIn];
  let p = [...polesIn];
  while (p.length < z.length) p.push(c(0));
  while (z.length < p.length) z.push(c(0));
  const sections = Math.floor((Math.max(p.length, z.length) + 1) / 2);
  if (p.length % 2 === 1) {
    p.push(c(0));
    z.push(c(0));
  }
  z = complexThenReal(z);
  p = complexThenReal(p);
  const worst = (values: Complex[]): number => {
    let best = 0;
    for (let i = 1; i < values.length; i++) if (Math.abs(1 - abs(values[i] as Complex)) < Math.abs(1 - abs(values[best] as Complex))) best = i;
    return best;
  };
  const take = (values: Complex[], index: number): Complex => values.splice(index, 1)[0] as Complex;
  const sos: Sos = new Array(sections);
  for (let si = sections - 1; si >= 0; si--) {
    const p1 = take(p, worst(p));
    const realPolesLeft = p.filter(isReal).length;
    if (isReal(p1) && realPolesLeft === 0) {
      const z1 = take(z, nearestIndex(z, p1, 'real'));
      sos[si] = section([z1, c(0)], [p1, c(0)]);
    } else if (p.length + 1 === z.length && !isReal(p1) && realPolesLeft === 1 && z.filter(isReal).length === 1) {
      const z1 = take(z, nearestIndex(z, p1, 'complex'));
      sos[si] = section([z1, c(z1.re, -z1.im)], [p1, c(p1.re, -p1.im)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const realIndices = p.map((v, i) => (isReal(v) ? i : -1)).filter((i) => i >= 0);
        const chosen = realIndices[worst(realIndices.map((i) => p[i] as Complex))] as number;
        p2 = take(p, chosen);
      } else {
        p2 = c(p1.re, -p1.im);
      }
      if (z.length > 0) {
        const z1 = take(z, nearestIndex(z, p1, 'any'));
        if (!isReal(z1)) {
          sos[si] = section([z1, c(z1.re, -z1.im)], [p1, p2]);
        } else if (z.length > 0) {
          const z2 = take(z, nearestIndex(z, p1, 'real'));
          sos[si] = section([z1, z2], [p1, p2]);
        } else {
          sos[si] = section([z1], [p1, p2]);
        }
      } else {
        sos[si] = section([], [p1, p2]);
      }
    }
  }
  const first = sos[0] as Float64Array;
  for (let k = 0; k < 3; k++) first[k] *= gain;
  return sos;
}

/**
 * scipy.signal.iirnotch(centreHz, quality, fs) as one second-order section: a notch at
 * `centreHz` whose -3 dB width is centreHz / quality.
 *
 * @example const sos = iirNotchSos(50, 30, 256);
 */
export function iirNotchSos(centreHz: number, quality: number, fs: number): Sos {
  if (!(centreHz > 0 && centreHz < fs / 2)) throw new CajalError('INVALID_ARGUMENT', `notch ${centreHz} Hz must lie between 0 and Nyquist ${fs / 2} Hz`, { field: 'centreHz' });
  if (!(quality > 0)) throw new CajalError('INVALID_ARGUMENT', `notch quality must be positive, got ${quality}`, { field: 'quality' });
  const w0 = (2 * Math.PI * centreHz) / fs;
  const beta = Math.tan(w0 / quality / 2);
  const gain = 1 / (1 + beta);
  const cos = Math.cos(w0);
  return [Float64Array.from([gain, -2 * gain * cos, gain, 1, -2 * gain * cos, 2 * gain - 1])];
}

/** scipy.signal.sosfilt_zi: steady-state initial conditions of each section for a unit step. */
export function sosfiltZi(sos: Sos): Float64Array[] {
  let scaleSoFar = 1;
  return sos.map((row) => {
    const a0 = row[3];
    const b0 = row[0] / a0, b1 = row[1] / a0, b2 = row[2] / a0;
    const a1 = row[4] / a0, a2 = row[5] / a0;
    // Solve [[1 + a1, -1], [a2, 1]] zi = [b1 - a1 b0, b2 - a2 b0].
    const r0 = b1 - a1 * b0;
    const r1 = b2 - a2 * b0;
    const det = 1 + a1 + a2;
    const zi0 = (r0 + r1) / det;
    const zi1 = r1 - a2 * zi0;
    const zi = Float64Array.from([zi0 * scaleSoFar, zi1 * scaleSoFar]);
    scaleSoFar *= (row[0] + row[1] + row[2]) / (row[3] + row[4] + row[5]);
    return zi;
  });
}

/**
 * scipy.signal.sosfilt (direct form II transposed, in place on `y`), starting from `state`
 * (n_sections x 2, updated to the final state).
 */
export function sosfiltInPlace(sos: Sos, y: Float64Array, state?: Float64Array[]): void {
  for (let s = 0; s < sos.length; s++) {
    const row = sos[s] as Float64Array;
    const a0 = row[3];
    const b0 = row[0] / a0, b1 = row[1] / a0, b2 = row[2] / a0;
    const a1 = row[4] / a0, a2 = row[5] / a0;
    let z0 = state ? state[s][0] : 0;
    let z1 = state ? state[s][1] : 0;
    for (let t = 0; t < y.length; t++) {
      const x = y[t];
      const out = b0 * x + z0;
      z0 = b1 * x - a1 * out + z1;
      z1 = b2 * x - a2 * out;
      y[t] = out;
    }
    if (state) {
      state[s][0] = z0;
      state[s][1] = z1;
    }
  }
}

/** scipy.signal.sosfilt(sos, x): causal filtering from rest. */
export function sosfilt(sos: Sos, x: Samples): Float64Array {
  const y = Float64Array.from(x);
  sosfiltInPlace(sos, y);
  return y;
}

/**
 * scipy.signal.sosfiltfilt(sos, x) with its defaults: odd extension of padlen = 3 * (2 *
 * sections + 1 - min(#b2==0, #a2==0)) samples at each end, initial conditions from
 * sosfilt_zi scaled by the first sample, forward pass, backward pass.
 *
 * @example
 *   const y = sosfiltfilt(butterSos(4, [8, 13], 'bandpass', 200), samples);
 */
export function sosfiltfilt(sos: Sos, x: Samples, options: { padlen?: number } = {}): Float64Array {
  let taps = 2 * sos.length + 1;
  taps -= Math.min(sos.filter((r) => r[2] === 0).length, sos.filter((r) => r[5] === 0).length);
  const edge = options.padlen ?? 3 * taps;
  const n = x.length;
  if (edge > 0 && n <= edge) {
    throw new CajalError('INVALID_ARGUMENT', `the signal (${n} samples) must be longer than padlen ${edge}`, { field: 'padlen' });
  }
  const extended = new Float64Array(n + 2 * edge);
  for (let i = 0; i < edge; i++) extended[i] = 2 * x[0] - x[edge - i];
  for (let i = 0; i < n; i++) extended[edge + i] = x[i];
  for (let i = 0; i < edge; i++) extended[edge + n + i] = 2 * x[n - 1] - x[n - 2 - i];
  const zi = sosfiltZi(sos);
  const first = extended[0];
  sosfiltInPlace(sos, extended, zi.map((z) => Float64Array.from([z[0] * first, z[1] * first])));
  extended.reverse();
  const last = extended[0];
  sosfiltInPlace(sos, extended, zi.map((z) => Float64Array.from([z[0] * last, z[1] * last])));
  extended.reverse();
  return extended.slice(edge, edge + n);
}

/** Complex frequency response magnitude of `sos` at `frequencyHz` (sampling rate `fs`). */
export function sosGain(sos: Sos, frequencyHz: number, fs: number): number {
  const w = (2 * Math.PI * frequencyHz) / fs;
  const z1 = c(Math.cos(-w), Math.sin(-w));
  const z2 = mul(z1, z1);
  let h = c(1);
  for (const row of sos) {
    const num = add(add(c(row[0]), scale(z1, row[1])), scale(z2, row[2]));
    const den = add(add(c(row[3]), scale(z1, row[4])), scale(z2, row[5]));
    h = mul(h, div(num, den));
  }
  return abs(h);
}
