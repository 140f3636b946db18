/**
 * A power-of-two complex FFT in WebAssembly SIMD (one float64 complex number per v128 lane pair),
 * emitted as bytes at run time like the other hand-written kernels (`@cajal/core` wasm-builder), so
 * no toolchain or binary ships (the emitted module is wasm-fft-module.ts; this file holds the kernel
 * objects, their memory layout and twiddles, and plans). Radix-4 stages (plus one radix-2 stage for
 * odd powers of two):
 *
 * - `dif()`: decimation in frequency, natural order in, bit-reversed order out;
 * - `dit()`: decimation in time, bit-reversed order in, natural order out;
 *
 * both forward (e^{-2πi jk/n}) and unscaled, on interleaved (re, im) data in the kernel's own
 * memory (`data`). Neither needs a permutation: a filter runs dif, a real gain stored in
 * bit-reversed order, and dit (a second forward transform: it leaves n y[-p mod n] at p); a
 * power spectrum sums |Z|^2 in bit-reversed order and maps the bins once at the end.
 *
 * Each kernel is its own instance with its own memory, sized once (views never detach).
 * `createWasmFft(n)` returns null where the engine lacks WebAssembly SIMD (callers then use
 * fft.js); `setWasmFftEnabled(false)` forces that path (tests, benchmarks).
 *
 * @example
 *   const kernel = createWasmFft(1024);            // null without WebAssembly SIMD
 *   kernel.data.set(interleaved);                  // 2n float64
 *   kernel.dif(); kernel.dit();                    // two forward transforms: n x[-p mod n] at p
 */
import { CajalError } from '@cajal/core';
import { fftModuleBytes } from './wasm-fft-module.ts';

export { fftModuleBytes };

type Stage4 = (p: number, end: number, q16: number, tw: number) => void;
type Stage2 = (p: number, end: number) => void;
type Stage3 = (p: number, end: number, other: number) => void;

/** A WebAssembly FFT of one power-of-two size with its own memory (see the module comment). */
export interface WasmFft {
  readonly size: number;
  /** Interleaved complex data (2 size float64), the transforms' input and output. */
  readonly data: Float64Array;
  /** Forward transform, natural order in, bit-reversed order out (unscaled). */
  dif(): void;
  /** Forward transform, bit-reversed order in, natural order out (unscaled). */
  dit(): void;
  /** Real gain per bin, in the order of `data` when it is multiplied (length size). Needs the `gain` option. */
  readonly gain: Float64Array;
  /** data[k] *= gain[k]. */
  applyGain(): void;
  /** Per-position sums of re^2 and im^2 (length 2 size; zero them yourself). Needs the `power` option. */
  readonly power: Float64Array;
  /** power[2k] += data[2k]^2, power[2k + 1] += data[2k + 1]^2. */
  addPower(): void;
  /** dif, gain, dit in one call (a circular filter by a real, bit-reversed gain; n y[-p] at p). */
  filter(): void;
  /** Staging area (2 size float64) for `loadReversed`. Needs the `staging` option. */
  readonly staging: Float64Array;
  /** data = staging in bit-reversed order (conjugated when `conjugate`), ready for `dit`. */
  loadReversed(conjugate: boolean): void;
  /** data = conj(data) * scale. */
  conjugateScale(scale: number): void;
  /** Float32 staging for two channels in and out (size + 4 each). Needs the `pair32` option. */
  readonly pairIn: [Float32Array, Float32Array];
  readonly pairOut: [Float32Array, Float32Array];
  /**
   * data[from + k] = (pairIn[0][k], pairIn[1][k]) for k < count, in steps of 4: up to three
   * complex values after from + count are overwritten too (from + count + 3 <= size).
   */
  packPair32(from: number, count: number): void;
  /** pairOut[0][t], pairOut[1][t] = re, im of data[first - t] for t < count (first - count + 1 >= 0). */
  unpackPair32(first: number, count: number): void;
  /** Float32 staging for a run of samples (2 size + 8) and a window (size + 4 float64). Needs the `segments32` option. */
  readonly segmentSamples: Float32Array;
  readonly segmentWindow: Float64Array;
  /**
   * data[i] = ((s[i] - m0) w[i], (s[step + i] - m1) w[i]) for i < count (a multiple of 4, <= size),
   * s = segmentSamples, w = segmentWindow.
   */
  packSegments32(step: number, count: number, m0: number, m1: number): void;
}

/** A call outside what the kernel was created for (a programming error in the caller). */
const misuse = (what: string): CajalError => new CajalError('INVALID_ARGUMENT', `WebAssembly FFT kernel: ${what}`, { field: 'kernel' });

let compiled: WebAssembly.Module | null | undefined;
let enabled = true;

/** Turn the WebAssembly FFT off (true: back on) for kernels created afterwards; returns the previous setting. */
export function setWasmFftEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/** True when kernels created now are WebAssembly ones (SIMD available and not switched off). */
export function wasmFftAvailable(): boolean {
  return enabled && compiledModule() !== null;
}

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = fftModuleBytes();
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Bit reversal of 0..n-1 (n a power of two). */
export function bitReversal(n: number): Uint32Array {
  const out = new Uint32Array(n);
  let bits = 0;
  while (1 << bits < n) bits++;
  for (let i = 1; i < n; i++) out[i] = ((out[i >> 1] as number) >> 1) | ((i & 1) << (bits - 1));
  return out;
}

const twiddleTables = new Map<number, { spans: number[]; offsets: number[]; values: Float64Array }>();

/** The radix-4 stages' twiddles for size n: per span L >= 8 of the DIF sequence, w^j, w^2j, w^3j. */
function twiddles(n: number): { spans: number[]; offsets: number[]; values: Float64Array } {
  let table = twiddleTables.get(n);
  if (table) return table;
  const spans: number[] = [];
  for (let span = n; span >= 8; span /= 4) spans.push(span);
  const offsets: number[] = [];
  let total = 0;
  for (const span of spans) {
    offsets.push(total);
    total += (span / 4) * 12;
  }
  const values = new Float64Array(total);
  spans.forEach((span, s) => {
    const q = span / 4;
    let at = offsets[s] as number;
    for (let j = 0; j < q; j++) {
      for (let m = 1; m <= 3; m++) {
        const angle = (-2 * Math.PI * ((j * m) % span)) / span;
        const wr = Math.cos(angle);
        const wi = Math.sin(angle);
        values[at] = wr;
        values[at + 1] = wr;
        values[at + 2] = -wi;
        values[at + 3] = wi;
        at += 4;
      }
    }
  });
  table = { spans, offsets, values };
  if (twiddleTables.size > 16) twiddleTables.clear();
  twiddleTables.set(n, table);
  return table;
}

/**
 * A WebAssembly SIMD FFT kernel of size n (a power of two >= 2), or null without WebAssembly SIMD
 * (or when switched off). Options reserve the optional areas: `gain`, `power`, `staging` (fft.js's
 * interface), `pair32` (float32 channel pairs) and `segments32` (float32 Welch segments).
 */
export function createWasmFft(n: number, options: { gain?: boolean; power?: boolean; staging?: boolean; pair32?: boolean; segments32?: boolean } = {}): WasmFft | null {
  if (!enabled || n < 2 || (n & (n - 1)) !== 0) return null;
  const module = compiledModule();
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, {});
  const exports = instance.exports as Record<string, unknown>;
  const memory = exports['memory'] as WebAssembly.Memory;
  const table = twiddles(n);
  const dataBytes = 16 * n;
  const twiddleAt = dataBytes;
  const gainAt = twiddleAt + 8 * table.values.length;
  const gainBytes = options.gain ? 8 * n : 0;
  const powerAt = gainAt + gainBytes;
  const powerBytes = options.power ? 16 * n : 0;
  const stagingAt = powerAt + powerBytes;
  const stagingBytes = options.staging ? 16 * n : 0;
  const reversalAt = stagingAt + stagingBytes;
  const pairAt = reversalAt + (options.staging ? 4 * n : 0);
  const pairFloats = options.pair32 ? n + 4 : 0;
  const segmentAt = pairAt + 16 * pairFloats;
  const segmentFloats = options.segments32 ? 2 * n + 8 : 0;
  const windowAt = segmentAt + 4 * segmentFloats;
  const windowFloats = options.segments32 ? n + 4 : 0;
  const total = windowAt + 8 * windowFloats;
  if (memory.buffer.byteLength < total) memory.grow(Math.ceil((total - memory.buffer.byteLength) / 65536));
  const buffer = memory.buffer;
  const data = new Float64Array(buffer, 0, 2 * n);
  new Float64Array(buffer, twiddleAt, table.values.length).set(table.values);
  const gain = new Float64Array(buffer, gainAt, gainBytes / 8);
  const power = new Float64Array(buffer, powerAt, powerBytes / 8);
  const staging = new Float64Array(buffer, stagingAt, stagingBytes / 8);
  if (options.staging) {
    const reversal = new Uint32Array(buffer, reversalAt, n);
    const order = bitReversal(n);
    for (let k = 0; k < n; k++) reversal[k] = 16 * (order[k] as number);
  }
  const dif4 = exports['dif4'] as Stage4;
  const dit4 = exports['dit4'] as Stage4;
  const dif4s = exports['dif4s'] as Stage2;
  const dit4s = exports['dit4s'] as Stage2;
  const r2 = exports['r2'] as Stage2;
  const gainKernel = exports['gain'] as Stage3;
  const powerKernel = exports['power'] as Stage3;
  const pairViews = [0, 1, 2, 3].map((i) => new Float32Array(buffer, pairAt + 4 * pairFloats * i, pairFloats));
  const pack32 = exports['pack32'] as Stage4;
  const segmentKernel = exports['packSegments32'] as (s0: number, s1: number, w: number, d: number, e: number, m0: number, m1: number) => void;
  const unpack32 = exports['unpack32'] as Stage4;
  const scatterKernel = exports['scatter'] as Stage3;
  const scatterConjKernel = exports['scatterConj'] as Stage3;
  const conjScaleKernel = exports['conjScale'] as Stage3;
  const spans = table.spans;
  const stageTwiddles = table.offsets.map((o) => twiddleAt + 8 * o);
  // After the radix-4 stages of span >= 8, one span-4 radix-4 (even log2 n) or span-2 radix-2 stage.
  const lastSpan = spans.length > 0 ? (spans[spans.length - 1] as number) / 4 : n;
  const dif = (): void => {
    for (let s = 0; s < spans.length; s++) dif4(0, dataBytes, 4 * (spans[s] as number), stageTwiddles[s] as number);
    if (lastSpan === 4) dif4s(0, dataBytes);
    else r2(0, dataBytes);
  };
  const dit = (): void => {
    if (lastSpan === 4) dit4s(0, dataBytes);
    else r2(0, dataBytes);
    for (let s = spans.length - 1; s >= 0; s--) dit4(0, dataBytes, 4 * (spans[s] as number), stageTwiddles[s] as number);
  };
  return {
    size: n,
    data,
    gain,
    power,
    dif,
    dit,
    applyGain: () => {
      if (gainBytes === 0) throw misuse('no gain slots');
      gainKernel(0, dataBytes, gainAt);
    },
    addPower: () => {
      if (powerBytes === 0) throw misuse('no power slots');
      powerKernel(0, dataBytes, powerAt);
    },
    filter: () => {
      dif();
      gainKernel(0, dataBytes, gainAt);
      dit();
    },
    staging,
    loadReversed: (conjugate) => {
      if (stagingBytes === 0) throw misuse('no staging slots');
      (conjugate ? scatterConjKernel : scatterKernel)(stagingAt, stagingAt + stagingBytes, reversalAt);
    },
    conjugateScale: (scale) => conjScaleKernel(0, dataBytes, scale),
    pairIn: [pairViews[0] as Float32Array, pairViews[1] as Float32Array],
    pairOut: [pairViews[2] as Float32Array, pairViews[3] as Float32Array],
    packPair32: (from, count) => {
      if (pairFloats === 0 || from + count + 3 > n) throw misuse('packPair32 out of range');
      pack32(pairAt, pairAt + 4 * pairFloats, 16 * from, 16 * (from + count));
    },
    segmentSamples: new Float32Array(buffer, segmentAt, segmentFloats),
    segmentWindow: new Float64Array(buffer, windowAt, windowFloats),
    packSegments32: (step, count, m0, m1) => {
      if (segmentFloats === 0 || count % 4 !== 0 || count > n || step + count > 2 * n) throw misuse('packSegments32 out of range');
      segmentKernel(segmentAt, segmentAt + 4 * step, windowAt, 0, 16 * count, m0, m1);
    },
    unpackPair32: (first, count) => {
      if (pairFloats === 0 || first - count + 1 < 0 || first >= n || count > n) throw misuse('unpackPair32 out of range');
      const pairs = count >> 1;
      const outA = pairAt + 8 * pairFloats;
      unpack32(16 * first, outA, outA + 4 * pairFloats, outA + 8 * pairs);
      if (count % 2 === 1) {
        const t = count - 1;
        const j = 2 * (first - t);
        (pairViews[2] as Float32Array)[t] = data[j] as number;
        (pairViews[3] as Float32Array)[t] = data[j + 1] as number;
      }
    },
  };
}

/** fft.js's interface (interleaved complex arrays, `out` and `data` of length 2 size). */
export interface InterleavedComplexFft {
  readonly size: number;
  /** out = DFT(data). */
  transform(out: Float64Array, data: Float64Array): void;
  /** out = inverse DFT(data), scaled 1/size. */
  inverseTransform(out: Float64Array, data: Float64Array): void;
}

/**
 * The WebAssembly kernel behind fft.js's interface: copy in (native), bit-reversal scatter, DIT,
 * copy out; the inverse conjugates on the way in and out. `out` may be `data`. Null without
 * WebAssembly SIMD (or switched off) or for sizes that are not powers of two >= 2.
 */
export function createWasmInterleavedFft(n: number): InterleavedComplexFft | null {
  const kernel = createWasmFft(n, { staging: true });
  if (!kernel) return null;
  const { data, staging } = kernel;
  return {
    size: n,
    transform(out, input) {
      staging.set(input.length === 2 * n ? input : input.subarray(0, 2 * n));
      kernel.loadReversed(false);
      kernel.dit();
      out.set(data);
    },
    inverseTransform(out, input) {
      staging.set(input.length === 2 * n ? input : input.subarray(0, 2 * n));
      kernel.loadReversed(true);
      kernel.dit();
      kernel.conjugateScale(1 / n);
      out.set(data);
    },
  };
}
