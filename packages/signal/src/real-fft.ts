/**
 * Real FFTs: even lengths as a half-length complex transform plus the twist (hand-written;
 * numpy's conventions for the DC/Nyquist bins), with the WebAssembly SIMD kernel (or fft.js
 * without it) underneath for powers of two;
 * odd lengths through the full complex transform. Also the interleaved real FFT the FIR filter
 * uses. Plans are cached per length.
 *
 * @example
 *   const plan = planRealFft(512);
 *   const re = new Float64Array(257), im = new Float64Array(257);
 *   plan.forward(samples, re, im); // samples: Float64Array(512)
 */
import { CajalError } from '@cajal/core';
import { planCache } from './plan-cache.ts';
import { interleavedComplexFft, isPowerOfTwo, planComplexFft, type ComplexFft } from './fft.ts';
import type { InterleavedComplexFft } from './wasm-fft.ts';

export interface RealFft {
  readonly size: number;
  /** Forward transform of `input` (length `size`) into bins 0..size/2 (length floor(size/2)+1). */
  forward(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void;
  /** Inverse of `forward`: half spectrum (length floor(size/2)+1) to `size` real samples (scaled 1/size). */
  inverse(re: Float64Array, im: Float64Array, output: Float64Array): void;
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
  /** The interleaved plan (powers of two >= 8) for the forward direction. */
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
    const interleaves = size >= 8 && isPowerOfTwo(size);
    this.interleaved = interleaves ? planInterleavedRealFft(size) : null;
    this.realInput = new Float64Array(interleaves ? size : 0);
    this.spectrum = new Float64Array(interleaves ? size + 2 : 0);
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
 * two >= 8: both directions are one half-length complex transform (WebAssembly or fft.js) plus the usual twist,
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
  private readonly half: InterleavedComplexFft;
  private readonly z: Float64Array;
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;

  constructor(size: number) {
    this.size = size;
    const h = size / 2;
    this.half = interleavedComplexFft(h);
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

const interleavedPlans = planCache<InterleavedRealFft>(64);

/** A cached interleaved real FFT plan (size: a power of two >= 8). */
export function planInterleavedRealFft(size: number): InterleavedRealFft {
  if (!isPowerOfTwo(size) || size < 8) throw new CajalError('INVALID_ARGUMENT', `interleaved real FFT size must be a power of two >= 8, got ${size}`, { field: 'size' });
  return interleavedPlans(size, () => new LibraryRealFft(size));
}

const realPlans = planCache<RealFft>(64);

/**
 * A cached real FFT plan for any length >= 1. Output has floor(size/2)+1 bins, like numpy.fft.rfft.
 *
 * @example
 *   const { re, im } = rfft(Float64Array.from([1, 2, 3, 4, 5]));
 */
export function planRealFft(size: number): RealFft {
  return realPlans(size, () => (size % 2 === 0 && size >= 2 ? new EvenRealFft(size) : new OddRealFft(size)));
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
