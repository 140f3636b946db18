/**
 * The emitted bytes of the WebAssembly SIMD FFT module (wasm-fft.ts wraps it in kernels and plans):
 * the radix-4 / radix-2 stages (DIF and DIT), the real gain, the power sums, the bit-reversal
 * scatter, conjugate-and-scale and the float32 packing helpers, each one exported function on the
 * module's single memory. Instructions come from `@cajal/core`'s wasm-bytes vocabulary.
 */
import { BLOCK, br, brIf, END, I32_LOAD, i32Const, localGet as get, localSet as set, localTee as tee, LOOP, op, scalarMemory, section, shuffleBytes, simd, simdMemory, simdOp, unsignedLeb, v128Const, wasmModule, wasmName as name } from '@cajal/core';

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
