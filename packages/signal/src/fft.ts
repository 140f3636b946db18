import FFT from 'fft.js';
import { CajalError } from '@cajal/core';

/**
 * FFT on split real/imaginary Float64Arrays. Powers of two run on fft.js (radix-4, interleaved;
 * bench/fft-bench.ts measured it 3-4x faster than our hand-written radix-2, which is kept as
 * `createRadix2Fft` for the benchmark and tests); every other length runs Bluestein's chirp-z
 * algorithm (hand-written) on top of it. Real transforms of even length run as a half-length
 * complex transform plus a twist (hand-written; numpy's conventions for the DC/Nyquist bins).
 * Plans cache their twiddle tables and scratch buffers, so create one per length and reuse it.
 *
 * @example
 *   const plan = planRealFft(512);
 *   const re = new Float64Array(257), im = new Float64Array(257);
 *   plan.forward(samples, re, im); // samples: Float64Array(512)
 */
export interface ComplexFft {
  readonly size: number;
  /** In-place transform of (re, im), both of length `size`. `inverse` scales by 1/size. */
  transform(re: Float64Array, im: Float64Array, inverse?: boolean): void;
}

export interface RealFft {
  readonly size: number;
  /** Forward transform of `input` (length `size`) into bins 0..size/2 (length floor(size/2)+1). */
  forward(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void;
  /** Inverse of `forward`: half spectrum (length floor(size/2)+1) to `size` real samples (scaled 1/size). */
  inverse(re: Float64Array, im: Float64Array, output: Float64Array): void;
}

/** True when n is a power of two (n >= 1). */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** The smallest power of two >= n. */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

class Radix2Fft implements ComplexFft {
  readonly size: number;
  private readonly cosTable: Float64Array;
  private readonly sinTable: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(size: number) {
    this.size = size;
    const half = size >> 1;
    this.cosTable = new Float64Array(half);
    this.sinTable = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.cosTable[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinTable[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.reversed = new Uint32Array(size);
    let bits = 0;
    while (1 << bits < size) bits++;
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const rev = this.reversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        const tr = re[i];
        re[i] = re[j];
        re[j] = tr;
        const ti = im[i];
        im[i] = im[j];
        im[j] = ti;
      }
    }
    const sign = inverse ? 1 : -1;
    const cosTable = this.cosTable;
    const sinTable = this.sinTable;
    // First stage (length-2 butterflies) without twiddles.
    for (let i = 0; i + 1 < n; i += 2) {
      const ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
      re[i] = ar + br;
      im[i] = ai + bi;
      re[i + 1] = ar - br;
      im[i + 1] = ai - bi;
    }
    for (let length = 4; length <= n; length *= 2) {
      const halfLength = length >> 1;
      const step = n / length;
      for (let start = 0; start < n; start += length) {
        for (let k = 0, t = 0; k < halfLength; k++, t += step) {
          const wr = cosTable[t];
          const wi = sign * sinTable[t];
          const a = start + k;
          const b = a + halfLength;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
    if (inverse) {
      const scale = 1 / n;
      for (let i = 0; i < n; i++) {
        re[i] *= scale;
        im[i] *= scale;
      }
    }
  }
}

/** fft.js behind the split-array interface: interleave, transform, de-interleave. */
class LibraryFft implements ComplexFft {
  readonly size: number;
  private readonly library: FFT;
  private readonly input: Float64Array;
  private readonly output: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.library = new FFT(size);
    this.input = new Float64Array(2 * size);
    this.output = new Float64Array(2 * size);
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const a = this.input;
    const out = this.output;
    for (let k = 0, j = 0; k < n; k++, j += 2) {
      a[j] = re[k];
      a[j + 1] = im[k];
    }
    if (inverse) this.library.inverseTransform(out, a);
    else this.library.transform(out, a);
    for (let k = 0, j = 0; k < n; k++, j += 2) {
      re[k] = out[j];
      im[k] = out[j + 1];
    }
  }
}

/** The hand-written iterative radix-2 FFT (kept for the FFT benchmark and as a test reference). */
export function createRadix2Fft(size: number): ComplexFft {
  if (!isPowerOfTwo(size)) throw new CajalError('INVALID_ARGUMENT', `radix-2 FFT size must be a power of two, got ${size}`, { field: 'size' });
  return new Radix2Fft(size);
}

/** Bluestein: a length-n DFT as a convolution of length m = 2^k >= 2n - 1. */
class BluesteinFft implements ComplexFft {
  readonly size: number;
  private readonly inner: ComplexFft;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(size: number) {
    this.size = size;
    const m = nextPowerOfTwo(2 * size - 1);
    this.inner = new LibraryFft(m);
    this.chirpRe = new Float64Array(size);
    this.chirpIm = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      // k^2 mod 2n keeps the angle small and exact for large k.
      const angle = (Math.PI * ((k * k) % (2 * size))) / size;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    this.kernelRe[0] = this.chirpRe[0];
    this.kernelIm[0] = -this.chirpIm[0];
    for (let k = 1; k < size; k++) {
      this.kernelRe[k] = this.kernelRe[m - k] = this.chirpRe[k];
      this.kernelIm[k] = this.kernelIm[m - k] = -this.chirpIm[k];
    }
    this.inner.transform(this.kernelRe, this.kernelIm);
    this.workRe = new Float64Array(m);
    this.workIm = new Float64Array(m);
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const m = this.inner.size;
    const wr = this.workRe;
    const wi = this.workIm;
    const cr = this.chirpRe;
    const ci = this.chirpIm;
    // The inverse DFT is the forward DFT of the conjugate, conjugated.
    const s = inverse ? -1 : 1;
    for (let k = 0; k < n; k++) {
      const xr = re[k];
      const xi = s * im[k];
      wr[k] = xr * cr[k] - xi * ci[k];
      wi[k] = xr * ci[k] + xi * cr[k];
    }
    wr.fill(0, n, m);
    wi.fill(0, n, m);
    this.inner.transform(wr, wi);
    const kr = this.kernelRe;
    const ki = this.kernelIm;
    for (let k = 0; k < m; k++) {
      const ar = wr[k], ai = wi[k];
      wr[k] = ar * kr[k] - ai * ki[k];
      wi[k] = ar * ki[k] + ai * kr[k];
    }
    this.inner.transform(wr, wi, true);
    const scale = inverse ? 1 / n : 1;
    for (let k = 0; k < n; k++) {
      const yr = wr[k] * cr[k] - wi[k] * ci[k];
      const yi = wr[k] * ci[k] + wi[k] * cr[k];
      re[k] = yr * scale;
      im[k] = s * yi * scale;
    }
  }
}

class DirectSmallFft implements ComplexFft {
  readonly size = 1;
  transform(): void {
    // A length-1 DFT is the identity.
  }
}

const complexPlans = new Map<number, ComplexFft>();

/**
 * A cached complex FFT plan for any length >= 1 (radix-2 for powers of two, Bluestein otherwise).
 * Plans hold scratch buffers: do not share one plan between concurrent callers (JS is single
 * threaded, so this only matters across workers, which have their own caches).
 */
export function planComplexFft(size: number): ComplexFft {
  if (!Number.isInteger(size) || size < 1) {
    throw new CajalError('INVALID_ARGUMENT', `FFT size must be a positive integer, got ${size}`, { field: 'size' });
  }
  let plan = complexPlans.get(size);
  if (!plan) {
    plan = size === 1 ? new DirectSmallFft() : size === 2 ? new Radix2Fft(size) : isPowerOfTwo(size) ? new LibraryFft(size) : new BluesteinFft(size);
    if (complexPlans.size > 64) complexPlans.clear();
    complexPlans.set(size, plan);
  }
  return plan;
}

/** cos and -sin of 2πk/size for k = 0..size/2: the twist between a real FFT and its half-size complex one. */
function realTwiddles(size: number): [Float64Array, Float64Array] {
  const h = size / 2;
  const re = new Float64Array(h + 1);
  const im = new Float64Array(h + 1);
  for (let k = 0; k <= h; k++) {
    re[k] = Math.cos((2 * Math.PI * k) / size);
    im[k] = -Math.sin((2 * Math.PI * k) / size);
  }
  return [re, im];
}

class EvenRealFft implements RealFft {
  readonly size: number;
  private readonly half: ComplexFft;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  /** The interleaved fft.js plan (powers of two >= 8) for the forward direction. */
  private readonly interleaved: InterleavedRealFft | null;
  private readonly realInput: Float64Array;
  private readonly spectrum: Float64Array;

  constructor(size: number) {
    this.size = size;
    const h = size / 2;
    this.half = planComplexFft(h);
    this.zr = new Float64Array(h);
    this.zi = new Float64Array(h);
    [this.twiddleRe, this.twiddleIm] = realTwiddles(size);
    const usesLibrary = size >= 8 && isPowerOfTwo(size);
    this.interleaved = usesLibrary ? planInterleavedRealFft(size) : null;
    this.realInput = new Float64Array(usesLibrary ? size : 0);
    this.spectrum = new Float64Array(usesLibrary ? size + 2 : 0);
  }

  forward(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const h = this.size / 2;
    if (this.interleaved) {
      const buffer = this.realInput;
      const spectrum = this.spectrum;
      for (let k = 0; k < this.size; k++) buffer[k] = input[k];
      this.interleaved.forward(buffer, spectrum);
      for (let k = 0; k <= h; k++) {
        re[k] = spectrum[2 * k];
        im[k] = spectrum[2 * k + 1];
      }
      return;
    }
    const zr = this.zr;
    const zi = this.zi;
    for (let k = 0; k < h; k++) {
      zr[k] = input[2 * k];
      zi[k] = input[2 * k + 1];
    }
    this.half.transform(zr, zi);
    const tr = this.twiddleRe;
    const ti = this.twiddleIm;
    for (let k = 0; k <= h; k++) {
      const a = k === h ? 0 : k;
      const b = k === 0 ? 0 : h - k;
      // E = (Z[k] + conj(Z[h-k])) / 2, O = (Z[k] - conj(Z[h-k])) / (2i)
      const er = 0.5 * (zr[a] + zr[b]);
      const ei = 0.5 * (zi[a] - zi[b]);
      const or = 0.5 * (zi[a] + zi[b]);
      const oi = -0.5 * (zr[a] - zr[b]);
      re[k] = er + or * tr[k] - oi * ti[k];
      im[k] = ei + or * ti[k] + oi * tr[k];
    }
  }

  inverse(re: Float64Array, im: Float64Array, output: Float64Array): void {
    const h = this.size / 2;
    const zr = this.zr;
    const zi = this.zi;
    const tr = this.twiddleRe;
    const ti = this.twiddleIm;
    for (let k = 0; k < h; k++) {
      const j = h - k;
      // E = (X[k] + conj(X[h-k])) / 2, O = (X[k] - conj(X[h-k])) * conj(w^k) / 2
      // numpy ignores the imaginary parts of the DC and Nyquist bins.
      const imk = k === 0 ? 0 : im[k];
      const imj = j === h ? 0 : im[j];
      const er = 0.5 * (re[k] + re[j]);
      const ei = 0.5 * (imk - imj);
      const dr = 0.5 * (re[k] - re[j]);
      const di = 0.5 * (imk + imj);
      const or = dr * tr[k] + di * ti[k];
      const oi = di * tr[k] - dr * ti[k];
      // Z = E + i O
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    this.half.transform(zr, zi, true);
    for (let k = 0; k < h; k++) {
      output[2 * k] = zr[k];
      output[2 * k + 1] = zi[k];
    }
  }
}

class OddRealFft implements RealFft {
  readonly size: number;
  private readonly full: ComplexFft;
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.full = planComplexFft(size);
    this.wr = new Float64Array(size);
    this.wi = new Float64Array(size);
  }

  forward(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const n = this.size;
    for (let k = 0; k < n; k++) this.wr[k] = input[k];
    this.wi.fill(0);
    this.full.transform(this.wr, this.wi);
    const bins = Math.floor(n / 2) + 1;
    for (let k = 0; k < bins; k++) {
      re[k] = this.wr[k];
      im[k] = this.wi[k];
    }
  }

  inverse(re: Float64Array, im: Float64Array, output: Float64Array): void {
    const n = this.size;
    const bins = Math.floor(n / 2) + 1;
    for (let k = 0; k < bins; k++) {
      this.wr[k] = re[k];
      this.wi[k] = k === 0 ? 0 : im[k];
      if (k > 0) {
        this.wr[n - k] = re[k];
        this.wi[n - k] = -im[k];
      }
    }
    this.full.transform(this.wr, this.wi, true);
    for (let k = 0; k < n; k++) output[k] = this.wr[k];
  }
}

/**
 * A real FFT on interleaved spectra ([re0, im0, re1, im1, ...], fft.js's layout) for powers of
 * two >= 8: both directions are one half-length fft.js complex transform plus the usual twist,
 * reading (forward) or writing (inverse) the real signal as interleaved complex values, so nothing
 * is repacked. Measured faster than fft.js's own realTransform; the FIR filter uses it.
 */
export interface InterleavedRealFft {
  readonly size: number;
  /** A spectrum buffer (length size + 2: bins 0..size/2). */
  createSpectrum(): Float64Array;
  forward(input: Float64Array, spectrum: Float64Array): void;
  /** Inverse of `forward` (scaled 1/size); reads bins 0..size/2 of `spectrum`, writes `size` samples. */
  inverse(spectrum: Float64Array, output: Float64Array): void;
}

class LibraryRealFft implements InterleavedRealFft {
  readonly size: number;
  private readonly half: FFT;
  private readonly z: Float64Array;
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;

  constructor(size: number) {
    this.size = size;
    const h = size / 2;
    this.half = new FFT(h);
    this.z = new Float64Array(size);
    [this.twiddleRe, this.twiddleIm] = realTwiddles(size);
  }

  createSpectrum(): Float64Array {
    return new Float64Array(this.size + 2);
  }

  forward(input: Float64Array, spectrum: Float64Array): void {
    // The input read as h complex values (x[0] + i x[1], ...) needs no packing.
    const h = this.size / 2;
    const z = this.z;
    this.half.transform(z, input);
    const tr = this.twiddleRe;
    const ti = this.twiddleIm;
    for (let k = 0; k <= h; k++) {
      const a = k === h ? 0 : k;
      const b = k === 0 ? 0 : h - k;
      const zra = z[2 * a], zia = z[2 * a + 1], zrb = z[2 * b], zib = z[2 * b + 1];
      // E = (Z[k] + conj(Z[h-k])) / 2, O = (Z[k] - conj(Z[h-k])) / (2i), X = E + w^k O
      const er = 0.5 * (zra + zrb);
      const ei = 0.5 * (zia - zib);
      const or = 0.5 * (zia + zib);
      const oi = -0.5 * (zra - zrb);
      spectrum[2 * k] = er + or * tr[k] - oi * ti[k];
      spectrum[2 * k + 1] = ei + or * ti[k] + oi * tr[k];
    }
  }

  inverse(spectrum: Float64Array, output: Float64Array): void {
    const h = this.size / 2;
    const z = this.z;
    const tr = this.twiddleRe;
    const ti = this.twiddleIm;
    for (let k = 0; k < h; k++) {
      const j = h - k;
      // Same twist as EvenRealFft.inverse; DC and Nyquist imaginary parts ignored like numpy.
      const rk = spectrum[2 * k];
      const rj = spectrum[2 * j];
      const imk = k === 0 ? 0 : spectrum[2 * k + 1];
      const imj = j === h ? 0 : spectrum[2 * j + 1];
      const er = 0.5 * (rk + rj);
      const ei = 0.5 * (imk - imj);
      const dr = 0.5 * (rk - rj);
      const di = 0.5 * (imk + imj);
      const or = dr * tr[k] + di * ti[k];
      const oi = di * tr[k] - dr * ti[k];
      z[2 * k] = er - oi;
      z[2 * k + 1] = ei + or;
    }
    // Interleaved Z = x[0], x[1], x[2], ...: the output needs no reordering.
    this.half.inverseTransform(output, z);
  }
}

const interleavedPlans = new Map<number, InterleavedRealFft>();

/** A cached interleaved real FFT plan (size: a power of two >= 8). */
export function planInterleavedRealFft(size: number): InterleavedRealFft {
  if (!isPowerOfTwo(size) || size < 8) throw new CajalError('INVALID_ARGUMENT', `interleaved real FFT size must be a power of two >= 8, got ${size}`, { field: 'size' });
  let plan = interleavedPlans.get(size);
  if (!plan) {
    plan = new LibraryRealFft(size);
    if (interleavedPlans.size > 64) interleavedPlans.clear();
    interleavedPlans.set(size, plan);
  }
  return plan;
}

const realPlans = new Map<number, RealFft>();

/**
 * A cached real FFT plan for any length >= 1. Output has floor(size/2)+1 bins, like numpy.fft.rfft.
 *
 * @example
 *   const { re, im } = rfft(Float64Array.from([1, 2, 3, 4, 5]));
 */
export function planRealFft(size: number): RealFft {
  let plan = realPlans.get(size);
  if (!plan) {
    plan = size % 2 === 0 && size >= 2 ? new EvenRealFft(size) : new OddRealFft(size);
    if (realPlans.size > 64) realPlans.clear();
    realPlans.set(size, plan);
  }
  return plan;
}

/** numpy.fft.rfft: the one-sided spectrum of real `input`, zero-padded or cut to `size`. */
export function rfft(input: ArrayLike<number>, size = input.length): { re: Float64Array; im: Float64Array } {
  const plan = planRealFft(size);
  const padded = new Float64Array(size);
  for (let k = 0; k < Math.min(size, input.length); k++) padded[k] = input[k];
  const bins = Math.floor(size / 2) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  plan.forward(padded, re, im);
  return { re, im };
}

/** numpy.fft.irfft: real signal of length `size` from its one-sided spectrum. */
export function irfft(re: Float64Array, im: Float64Array, size = 2 * (re.length - 1)): Float64Array {
  const plan = planRealFft(size);
  const output = new Float64Array(size);
  plan.inverse(re, im, output);
  return output;
}

/** numpy.fft.fft / ifft on split arrays; returns new arrays. */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>, inverse = false): { re: Float64Array; im: Float64Array } {
  const outRe = Float64Array.from(re);
  const outIm = im ? Float64Array.from(im) : new Float64Array(outRe.length);
  planComplexFft(outRe.length).transform(outRe, outIm, inverse);
  return { re: outRe, im: outIm };
}

const libraryPlans = new Map<number, FFT>();

let warmedUp = false;

/**
 * Run fft.js's kernel on small sizes (both leaf radices) before the first large plan: V8 then
 * optimises `_transform4` from complete type feedback instead of on-stack-replacing it in the
 * middle of one large transform, whose code stays slower afterwards. A few milliseconds, once.
 */
export function warmUpFft(): void {
  if (warmedUp) return;
  warmedUp = true;
  const small = [new FFT(64), new FFT(128)];
  const a = new Float64Array(256);
  const b = new Float64Array(256);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i);
  for (let r = 0; r < 40; r++) for (const f of small) f.transform(b, a);
}

/** The cached fft.js complex plan of a power-of-two size (warmed up on first use). */
export function libraryFftPlan(size: number): FFT {
  let library = libraryPlans.get(size);
  if (!library) {
    warmUpFft();
    library = new FFT(size);
    libraryPlans.set(size, library);
  }
  return library;
}
