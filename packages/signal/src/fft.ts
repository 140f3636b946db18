import FFT from 'fft.js';
import { CajalError } from '@cajal/core';
import { planCache } from './plan-cache.ts';
import { createWasmFft, createWasmInterleavedFft, type InterleavedComplexFft, type WasmFft } from './wasm-fft.ts';

/**
 * FFT on split real/imaginary Float64Arrays. Powers of two run on the hand-emitted WebAssembly
 * SIMD radix-4 kernel (wasm-fft.ts; 4x fft.js at 512 and 16384 points), or on fft.js (radix-4,
 * interleaved) where WebAssembly SIMD is missing (bench/fft-bench.ts measured fft.js 3-4x faster
 * than our hand-written radix-2, which is kept as `createRadix2Fft` for the benchmark and tests);
 * every other length runs Bluestein's chirp-z algorithm (hand-written) on top of it. Real transforms are in real-fft.ts. Plans cache their
 * twiddle tables and scratch buffers, so create one per length and reuse it.
 *
 * @example
 *   const plan = planComplexFft(1000);
 *   plan.transform(re, im); // re, im: Float64Array(1000), in place
 */
export interface ComplexFft {
  readonly size: number;
  /** In-place transform of (re, im), both of length `size`. `inverse` scales by 1/size. */
  transform(re: Float64Array, im: Float64Array, inverse?: boolean): void;
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
  private readonly library: InterleavedComplexFft;
  private readonly input: Float64Array;
  private readonly output: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.library = interleavedComplexFft(size);
    this.input = new Float64Array(2 * size);
    this.output = new Float64Array(2 * size);
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const a = this.input;
    const out = this.output;
    interleaveInto(a, re, im, n);
    if (inverse) this.library.inverseTransform(out, a);
    else this.library.transform(out, a);
    deinterleaveFrom(out, re, im, n, 1);
  }
}

/**
 * The WebAssembly kernel on split arrays: interleaved into its staging area, scattered to
 * bit-reversed order in wasm, one DIT, read back. The inverse swaps real and imaginary parts on the
 * way in and out (IDFT(x) = swap(DFT(swap(x))) / n).
 */
class WasmSplitFft implements ComplexFft {
  readonly size: number;
  private readonly kernel: WasmFft;

  constructor(kernel: WasmFft) {
    this.size = kernel.size;
    this.kernel = kernel;
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const kernel = this.kernel;
    const staging = kernel.staging;
    const [a, b] = inverse ? [im, re] : [re, im];
    interleaveInto(staging, a, b, n);
    kernel.loadReversed(false);
    kernel.dit();
    deinterleaveFrom(kernel.data, a, b, n, inverse ? 1 / n : 1);
  }
}

/** out[2k] = a[k], out[2k + 1] = b[k], k < n. */
function interleaveInto(out: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
  for (let k = 0, j = 0; k < n; k++, j += 2) {
    out[j] = a[k] as number;
    out[j + 1] = b[k] as number;
  }
}

/** a[k] = data[2k] scale, b[k] = data[2k + 1] scale, k < n. */
function deinterleaveFrom(data: Float64Array, a: Float64Array, b: Float64Array, n: number, scale: number): void {
  for (let k = 0, j = 0; k < n; k++, j += 2) {
    a[k] = (data[j] as number) * scale;
    b[k] = (data[j + 1] as number) * scale;
  }
}

/** A power-of-two complex plan: the WebAssembly kernel when available, else fft.js (LibraryFft). */
function powerOfTwoFft(size: number): ComplexFft {
  const kernel = createWasmFft(size, { staging: true });
  return kernel ? new WasmSplitFft(kernel) : new LibraryFft(size);
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
    this.inner = powerOfTwoFft(m);
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

const complexPlans = planCache<ComplexFft>(64);

/**
 * A cached complex FFT plan for any length >= 1 (radix-2 for powers of two, Bluestein otherwise).
 * Plans hold scratch buffers: do not share one plan between concurrent callers (JS is single
 * threaded, so this only matters across workers, which have their own caches).
 */
export function planComplexFft(size: number): ComplexFft {
  if (!Number.isInteger(size) || size < 1) {
    throw new CajalError('INVALID_ARGUMENT', `FFT size must be a positive integer, got ${size}`, { field: 'size' });
  }
  return complexPlans(size, () => (size === 1 ? new DirectSmallFft() : size === 2 ? new Radix2Fft(size) : isPowerOfTwo(size) ? powerOfTwoFft(size) : new BluesteinFft(size)));
}

/** numpy.fft.fft / ifft on split arrays; returns new arrays. */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>, inverse = false): { re: Float64Array; im: Float64Array } {
  const outRe = Float64Array.from(re);
  const outIm = im ? Float64Array.from(im) : new Float64Array(outRe.length);
  planComplexFft(outRe.length).transform(outRe, outIm, inverse);
  return { re: outRe, im: outIm };
}

const libraryPlans = planCache<InterleavedComplexFft>(64);

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

/**
 * A new interleaved complex FFT of a power-of-two size >= 2 with fft.js's interface: the
 * WebAssembly SIMD kernel when available, else fft.js (warmed up first).
 */
export function interleavedComplexFft(size: number): InterleavedComplexFft {
  const kernel = createWasmInterleavedFft(size);
  if (kernel) return kernel;
  warmUpFft();
  return new FFT(size) as InterleavedComplexFft;
}

/** The cached interleaved complex plan of a power-of-two size (`interleavedComplexFft`). */
export function libraryFftPlan(size: number): InterleavedComplexFft {
  return libraryPlans(size, () => interleavedComplexFft(size));
}
