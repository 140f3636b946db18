/**
 * A power-of-two complex FFT in WebAssembly SIMD (one float64 complex number per v128 lane pair),
 * emitted as bytes at run time like the other hand-written kernels (`@cajal/core` wasm-bytes), so
 * no toolchain or binary ships. Radix-4 stages (plus one radix-2 stage for odd powers of two):
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
import { BLOCK, br, brIf, CajalError, END, I32_LOAD, i32Const, localGet as get, localSet as set, localTee as tee, LOOP, op, scalarMemory, section, shuffleBytes, simd, simdMemory, simdOp, unsignedLeb, v128Const, wasmModule, wasmName as name } from '@cajal/core';

const load = (offset = 0): number[] => simdMemory(simdOp.v128Load, 4, offset);
const store = (offset = 0): number[] => simdMemory(simdOp.v128Store, 4, offset);
/** (x, x) from the float64 at the address plus offset. */
const load64Splat = (offset = 0): number[] => simdMemory(simdOp.v128Load64Splat, 3, offset);
/** (a, b) -> (b, a): i8x16.shuffle of the two 8-byte halves. */
const swapLanes = shuffleBytes([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
const xor = simd(simdOp.v128Xor);
const fAdd = simd(simdOp.f64x2Add);
const fSub = simd(simdOp.f64x2Sub);
const fMul = simd(simdOp.f64x2Mul);
/** (+0, -0): xor flips the sign of the imaginary lane. */
const signMask = v128Const(Float64Array.of(0, -0));

type Part = number | number[];

class Code {
  readonly bytes: number[] = [];
  emit(...parts: Part[]): this {
    for (const p of parts) {
      if (typeof p === 'number') this.bytes.push(p);
      else this.bytes.push(...p);
    }
    return this;
  }
}

/** A function body: locals (i32 count, v128 count) and code, length-prefixed. */
function body(i32Locals: number, v128Locals: number, code: Code): number[] {
  const groups: number[] = [];
  let count = 0;
  if (i32Locals > 0) {
    groups.push(...unsignedLeb(i32Locals), 0x7f);
    count++;
  }
  if (v128Locals > 0) {
    groups.push(...unsignedLeb(v128Locals), 0x7b);
    count++;
  }
  const bytes = [count, ...groups, ...code.bytes, END];
  return [...unsignedLeb(bytes.length), ...bytes];
}

/**
 * `for (ptr = from; ptr < to; ptr += step) inner`: `ptr`, `to` locals, `step` an i32 constant or
 * a local (as code).
 */
function forLoop(c: Code, ptr: number, to: number, step: Part[], inner: () => void): void {
  c.emit(BLOCK, LOOP, get(ptr), get(to), op.i32GeU, brIf(1));
  inner();
  c.emit(get(ptr), ...step, op.i32Add, set(ptr), br(0), END, END);
}

/** x * w for complex x in local `v` and the twiddle at t + offset: (wr, wr) then (-wi, wi). */
function complexMultiply(c: Code, v: number, t: number, offset: number): void {
  c.emit(get(v), get(t), load(offset), fMul, get(v), get(v), swapLanes, get(t), load(offset + 16), fMul, fAdd);
}

/** -i * (value of local v) = (im, -re), left on the stack. */
function timesMinusI(c: Code, v: number, mask: number): void {
  c.emit(get(v), get(v), swapLanes, get(mask), xor);
}

/**
 * Radix-4 stage with twiddles, params (p, end, q16, tw): groups of 4q complex numbers from byte p
 * to end, q16 = 16 q bytes; twiddles w^j, w^2j, w^3j (w = e^{-2πi/4q}) at tw + 96 j.
 */
function radix4Stage(dif: boolean): number[] {
  const [P, E, Q, TW] = [0, 1, 2, 3];
  const [G, A, STOP, T, P1, P2, P3] = [4, 5, 6, 7, 8, 9, 10];
  const [MASK, X0, X1, X2, X3, B0, B1, B2, B3, Y] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const c = new Code();
  c.emit(signMask, set(MASK), get(P), set(G));
  forLoop(c, G, E, [get(Q), i32Const(2), op.i32Shl], () => {
    c.emit(get(G), set(A), get(G), get(Q), op.i32Add, set(STOP), get(TW), set(T));
    forLoop(c, A, STOP, [i32Const(16)], () => {
      c.emit(get(A), get(Q), op.i32Add, tee(P1), get(Q), op.i32Add, tee(P2), get(Q), op.i32Add, set(P3));
      c.emit(get(A), load(), set(X0));
      if (dif) {
        c.emit(get(P1), load(), set(X1), get(P2), load(), set(X2), get(P3), load(), set(X3));
        c.emit(get(X0), get(X2), fAdd, set(B0), get(X0), get(X2), fSub, set(B1));
        c.emit(get(X1), get(X3), fAdd, set(B2), get(X1), get(X3), fSub, set(Y));
        timesMinusI(c, Y, MASK);
        c.emit(set(B3));
        c.emit(get(A), get(B0), get(B2), fAdd, store());
        c.emit(get(B0), get(B2), fSub, set(Y), get(P1));
        complexMultiply(c, Y, T, 32);
        c.emit(store(), get(B1), get(B3), fAdd, set(Y), get(P2));
        complexMultiply(c, Y, T, 0);
        c.emit(store(), get(B1), get(B3), fSub, set(Y), get(P3));
        complexMultiply(c, Y, T, 64);
        c.emit(store());
      } else {
        c.emit(get(P1), load(), set(Y));
        complexMultiply(c, Y, T, 32);
        c.emit(set(X1), get(P2), load(), set(Y));
        complexMultiply(c, Y, T, 0);
        c.emit(set(X2), get(P3), load(), set(Y));
        complexMultiply(c, Y, T, 64);
        c.emit(set(X3));
        c.emit(get(X0), get(X1), fAdd, set(B0), get(X0), get(X1), fSub, set(B1));
        c.emit(get(X2), get(X3), fAdd, set(B2), get(X2), get(X3), fSub, set(Y));
        timesMinusI(c, Y, MASK);
        c.emit(set(B3));
        c.emit(get(A), get(B0), get(B2), fAdd, store(), get(P2), get(B0), get(B2), fSub, store());
        c.emit(get(P1), get(B1), get(B3), fAdd, store(), get(P3), get(B1), get(B3), fSub, store());
      }
      c.emit(get(T), i32Const(96), op.i32Add, set(T));
    });
  });
  return body(7, 10, c);
}

/** Radix-4 stage of span 4 (all twiddles 1), params (p, end). */
function radix4Span4(dif: boolean): number[] {
  const [P, E] = [0, 1];
  const [MASK, X0, X1, X2, X3, B0, B1, B2, B3, Y] = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const c = new Code();
  c.emit(signMask, set(MASK));
  forLoop(c, P, E, [i32Const(64)], () => {
    c.emit(get(P), load(0), set(X0), get(P), load(16), set(X1), get(P), load(32), set(X2), get(P), load(48), set(X3));
    // DIF pairs (0, 2) and (1, 3) first, outputs 0, 2, 1, 3; DIT pairs (0, 1) and (2, 3), outputs 0, 1, 2, 3.
    const [u, v, s, r] = dif ? [X1, X2, X3, 16] : [X2, X1, X3, 32];
    c.emit(get(X0), get(v), fAdd, set(B0), get(X0), get(v), fSub, set(B1));
    c.emit(get(u), get(s), fAdd, set(B2), get(u), get(s), fSub, set(Y));
    timesMinusI(c, Y, MASK);
    c.emit(set(B3));
    c.emit(get(P), get(B0), get(B2), fAdd, store(0), get(P), get(B0), get(B2), fSub, store(r));
    c.emit(get(P), get(B1), get(B3), fAdd, store(48 - r), get(P), get(B1), get(B3), fSub, store(48));
  });
  return body(0, 10, c);
}

/** Radix-2 stage of span 2, params (p, end). */
function radix2Span2(): number[] {
  const [P, E, X0, X1] = [0, 1, 2, 3];
  const c = new Code();
  forLoop(c, P, E, [i32Const(32)], () => {
    c.emit(get(P), load(0), set(X0), get(P), load(16), set(X1));
    c.emit(get(P), get(X0), get(X1), fAdd, store(0), get(P), get(X0), get(X1), fSub, store(16));
  });
  return body(0, 2, c);
}

/** data[k] *= gain[k] (real float64), params (p, end, g). */
function realGain(): number[] {
  const [P, E, G] = [0, 1, 2];
  const c = new Code();
  forLoop(c, P, E, [i32Const(16)], () => {
    c.emit(get(P), get(P), load(), get(G), load64Splat(), fMul, store());
    c.emit(get(G), i32Const(8), op.i32Add, set(G));
  });
  return body(0, 0, c);
}

/** acc[k] += (re^2, im^2) of data[k], params (p, end, acc). */
function powerSum(): number[] {
  const [P, E, ACC, V] = [0, 1, 2, 3];
  const c = new Code();
  forLoop(c, P, E, [i32Const(16)], () => {
    c.emit(get(P), load(), set(V), get(ACC), get(ACC), load(), get(V), get(V), fMul, fAdd, store());
    c.emit(get(ACC), i32Const(16), op.i32Add, set(ACC));
  });
  return body(0, 1, c);
}

/**
 * Bit-reversal copy, params (src, end, rev): the v128 at each src position goes to the byte
 * address read from `rev` (u32 per element); `conjugate` negates the imaginary lane on the way.
 */
function scatter(conjugate: boolean): number[] {
  const [P, E, R, MASK] = [0, 1, 2, 3];
  const c = new Code();
  if (conjugate) c.emit(signMask, set(MASK));
  forLoop(c, P, E, [i32Const(16)], () => {
    c.emit(get(R), scalarMemory(I32_LOAD, 2), get(P), load());
    if (conjugate) c.emit(get(MASK), xor);
    c.emit(store(), get(R), i32Const(4), op.i32Add, set(R));
  });
  return body(0, conjugate ? 1 : 0, c);
}

/** data[k] = conj(data[k]) * s, params (p, end, s: f64). */
function conjugateScale(): number[] {
  const [P, E, S, MASK, SCALE] = [0, 1, 2, 3, 4];
  const c = new Code();
  c.emit(signMask, set(MASK), get(S), simd(simdOp.f64x2Splat), set(SCALE));
  forLoop(c, P, E, [i32Const(16)], () => {
    c.emit(get(P), get(P), load(), get(SCALE), fMul, get(MASK), xor, store());
  });
  return body(0, 2, c);
}

const promoteLow = simd(simdOp.f64x2PromoteLowF32x4);
const demoteZero = simd(simdOp.f32x4DemoteF64x2Zero);
const store64Lane = (lane: number): number[] => simdMemory(simdOp.v128Store64Lane, 3, 0, lane);

/**
 * Two float32 channels into interleaved float64 complex data, params (a, b, dst, end): four samples
 * of each per step (dst advances 64 bytes), so up to three complex values past the count are written.
 */
function packPair32(): number[] {
  const [A, B, D, E, VA, VB] = [0, 1, 2, 3, 4, 5];
  const c = new Code();
  forLoop(c, D, E, [i32Const(64)], () => {
    c.emit(get(A), load(), set(VA), get(B), load(), set(VB));
    for (let k = 0; k < 4; k++) {
      const lanes = [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3, 16 + 4 * k, 17 + 4 * k, 18 + 4 * k, 19 + 4 * k, 0, 1, 2, 3, 4, 5, 6, 7];
      c.emit(get(D), get(VA), get(VB), shuffleBytes(lanes), promoteLow, store(16 * k));
    }
    c.emit(get(A), i32Const(16), op.i32Add, set(A), get(B), i32Const(16), op.i32Add, set(B));
  });
  return body(0, 2, c);
}

/**
 * The reverse: complex values at src, src - 16, ... to two float32 channels (real parts to a, imaginary
 * parts to b), two per step, params (src, a, b, end of a).
 */
function unpackPair32(): number[] {
  const [S, A, B, E] = [0, 1, 2, 3];
  const c = new Code();
  forLoop(c, A, E, [i32Const(8)], () => {
    c.emit(get(A), get(S), load(), demoteZero, get(S), i32Const(16), op.i32Sub, load(), demoteZero);
    c.emit(shuffleBytes([0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]), set(4));
    c.emit(get(4), store64Lane(0), get(B), get(4), store64Lane(1));
    c.emit(get(S), i32Const(32), op.i32Sub, set(S), get(B), i32Const(8), op.i32Add, set(B));
  });
  return body(0, 1, c);
}

/**
 * Two windowed, demeaned float32 segments into interleaved complex data, params (s0, s1, win, dst,
 * end, m0, m1): data = ((x0 - m0) w, (x1 - m1) w), four samples per step (dst advances 64 bytes).
 */
function packSegments32(): number[] {
  const [S0, S1, W, D, E, M0, M1] = [0, 1, 2, 3, 4, 5, 6];
  const [MEAN, V0, V1] = [7, 8, 9];
  const c = new Code();
  c.emit(get(M0), simd(simdOp.f64x2Splat), get(M1), simd(simdOp.f64x2ReplaceLane), 1, set(MEAN));
  forLoop(c, D, E, [i32Const(64)], () => {
    c.emit(get(S0), load(), set(V0), get(S1), load(), set(V1));
    for (let k = 0; k < 4; k++) {
      const lanes = [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3, 16 + 4 * k, 17 + 4 * k, 18 + 4 * k, 19 + 4 * k, 0, 1, 2, 3, 4, 5, 6, 7];
      c.emit(get(D), get(V0), get(V1), shuffleBytes(lanes), promoteLow, get(MEAN), fSub, get(W), load64Splat(8 * k), fMul, store(16 * k));
    }
    c.emit(get(S0), i32Const(16), op.i32Add, set(S0), get(S1), i32Const(16), op.i32Add, set(S1), get(W), i32Const(32), op.i32Add, set(W));
  });
  return body(0, 3, c);
}

const exportNames = ['dif4', 'dit4', 'dif4s', 'dit4s', 'r2', 'gain', 'power', 'scatter', 'scatterConj', 'conjScale', 'pack32', 'unpack32', 'packSegments32'] as const;

/** The module bytes (one memory, exported, and the stage kernels above). */
export function fftModuleBytes(): Uint8Array<ArrayBuffer> {
  const i32 = 0x7f;
  const f64 = 0x7c;
  const types = [0x60, 4, i32, i32, i32, i32, 0, 0x60, 2, i32, i32, 0, 0x60, 3, i32, i32, i32, 0, 0x60, 3, i32, i32, f64, 0, 0x60, 7, i32, i32, i32, i32, i32, f64, f64, 0];
  const functionTypes = [0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 0, 0, 4];
  const bodies = [radix4Stage(true), radix4Stage(false), radix4Span4(true), radix4Span4(false), radix2Span2(), realGain(), powerSum(), scatter(false), scatter(true), conjugateScale(), packPair32(), unpackPair32(), packSegments32()];
  const exports: number[] = [exportNames.length + 1, ...name('memory'), 0x02, 0];
  exportNames.forEach((n, i) => exports.push(...name(n), 0x00, i));
  return wasmModule([
    section(1, [5, ...types]),
    section(3, [functionTypes.length, ...functionTypes]),
    section(5, [1, 0, 1]),
    section(7, exports),
    section(10, [bodies.length, ...bodies.flat()]),
  ]);
}

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
