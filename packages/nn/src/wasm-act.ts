/**
 * Sigmoid and tanh over float32 blocks as a WebAssembly SIMD loop (four lanes per step), emitted
 * as bytes at run time like the gemm and Adam modules; used for the recurrent gate activations.
 * exp is the Cephes expf scheme in float32: y = k·ln2 + r with k = nearest(y·log2 e), ln2 split
 * in two, a degree-5 polynomial for expm1(r) on |r| ≤ ln2/2, and 2^k built in the exponent bits.
 * sigmoid(x) = 1 / (1 + e^−x); tanh(x) = m / (m + 2) with m = expm1(2x) = 2^k·expm1(r) + (2^k − 1),
 * so small |x| keeps its relative accuracy (no 1 − 2/(e^{2x}+1) cancellation). Inputs are clamped
 * to |y| ≤ 87 (beyond which both functions are saturated in float32). Accuracy: within a few
 * float32 ulps of the correctly rounded values (tested: 5e-7 relative). Deterministic per engine;
 * without SIMD the float64 JavaScript loops in `fastmath.ts` run instead.
 *
 * @example
 *   const act = createActivationKernel(); // null without WebAssembly SIMD
 *   act?.sigmoid(z, 0, 128);
 */
import { sigmoidInPlace, tanhInto } from './fastmath.ts';
import { BLOCK, END, LOOP, br, brIf, localGet as get, localSet as set, op, section, simd, simdOp, v128Const, wasmModule, wasmName as name, i32Const as i32 } from '@cajal/core';
import { emitter, f32x4, floatMemory, functionBody, instantiateOrNull, vLoad, vStore } from './wasm-module.ts';
const { nearest: fNearest, neg: fNeg, add: fAdd, sub: fSub, mul: fMul, div: fDiv, min: fMin, max: fMax } = f32x4;

const truncSat = simd(simdOp.i32x4TruncSatF32x4S);
const iAdd = simd(simdOp.i32x4Add);
const iShl = simd(simdOp.i32x4Shl);
const fConst = (value: number): number[] => v128Const(Float32Array.of(value, value, value, value));
const iConst = (value: number): number[] => v128Const(Int32Array.of(value, value, value, value));

/** One function body `(p, end)`: in place over byte pointers p..end in 16-byte steps. */
function body(tanh: boolean): number[] {
  const [P, E, Y, K, R, Q, S] = [0, 1, 2, 3, 4, 5, 6];
  const [code, emit] = emitter();
  emit(BLOCK, LOOP, get(P), get(E), op.i32GeU, brIf(1));
  // y = −x (sigmoid) or 2x (tanh), clamped to [−87, 87]
  if (tanh) emit(get(P), vLoad(), set(Y), get(Y), get(Y), fAdd);
  else emit(get(P), vLoad(), fNeg);
  emit(fConst(87), fMin, fConst(-87), fMax, set(Y));
  emit(get(Y), fConst(Math.LOG2E), fMul, fNearest, set(K));
  emit(get(Y), get(K), fConst(0.693359375), fMul, fSub, get(K), fConst(-2.12194440e-4), fMul, fSub, set(R));
  // q = expm1(r) = P(r)·r² + r
  emit(fConst(1.9875691500e-4), get(R), fMul, fConst(1.3981999507e-3), fAdd, get(R), fMul, fConst(8.3334519073e-3), fAdd, get(R), fMul);
  emit(fConst(4.1665795894e-2), fAdd, get(R), fMul, fConst(1.6666665459e-1), fAdd, get(R), fMul, fConst(5.0000001201e-1), fAdd);
  emit(get(R), fMul, get(R), fMul, get(R), fAdd, set(Q));
  // s = 2^k from the exponent bits
  emit(get(K), truncSat, iConst(127), iAdd, i32(23), iShl, set(S));
  emit(get(P));
  if (tanh) {
    // m = s·q + (s − 1); tanh = m / (m + 2)
    emit(get(S), get(Q), fMul, get(S), fConst(1), fSub, fAdd, set(Y));
    emit(get(Y), get(Y), fConst(2), fAdd, fDiv);
  } else {
    emit(fConst(1), fConst(1), get(S), get(Q), fMul, get(S), fAdd, fAdd, fDiv);
  }
  emit(vStore());
  emit(get(P), i32(16), op.i32Add, set(P));
  emit(br(0), END, END, END);
  return functionBody([[5, 0x7b]], code);
}

/** The module bytes: exports `sigmoid(p, end)`, `tanh(p, end)` and `memory`. */
export function activationModuleBytes(): Uint8Array<ArrayBuffer> {
  return wasmModule([
    section(1, [1, 0x60, 2, 0x7f, 0x7f, 0]),
    section(3, [2, 0, 0]),
    section(5, [1, 0, 1]),
    section(7, [3, ...name('sigmoid'), 0x00, 0, ...name('tanh'), 0x00, 1, ...name('memory'), 0x02, 0]),
    section(10, [2, ...body(false), ...body(true)]),
  ]);
}

type Export = (p: number, end: number) => void;

export interface ActivationKernel {
  /** a[start..end) ← sigmoid(a[start..end)). */
  sigmoid(a: Float32Array, start: number, end: number): void;
  /** dst[dstStart..+n) ← tanh(src[srcStart..+n)). */
  tanh(src: Float32Array, srcStart: number, dst: Float32Array, dstStart: number, n: number): void;
  /** The module's memory as floats (valid until `reserve` grows it). */
  view(): Float32Array;
  /** Make the memory hold at least `floats` values. */
  reserve(floats: number): void;
  /** In place on the module's own memory, float offsets [start, end). */
  sigmoidAt(start: number, end: number): void;
  tanhAt(start: number, end: number): void;
}

/** A kernel; null when the engine lacks WebAssembly SIMD. */
export function createActivationKernel(): ActivationKernel | null {
  const instance = instantiateOrNull(activationModuleBytes());
  if (!instance) return null;
  const memory = floatMemory(instance);
  const sig = instance.exports['sigmoid'] as Export;
  const th = instance.exports['tanh'] as Export;
  // Whole vectors in wasm, the last n mod 4 values with the JavaScript loop.
  const sigmoidAt = (start: number, end: number): void => {
    const vecEnd = start + ((end - start) & ~3);
    sig(start * 4, vecEnd * 4);
    if (vecEnd < end) sigmoidInPlace(memory.view, vecEnd, end);
  };
  const tanhAt = (start: number, end: number): void => {
    const vecEnd = start + ((end - start) & ~3);
    th(start * 4, vecEnd * 4);
    if (vecEnd < end) tanhInto(memory.view, vecEnd, memory.view, vecEnd, end - vecEnd);
  };
  return {
    sigmoid(a, start, end) {
      const view = memory.reserve(end - start);
      view.set(a.subarray(start, end), 0);
      sigmoidAt(0, end - start);
      a.set(view.subarray(0, end - start), start);
    },
    tanh(src, srcStart, dst, dstStart, n) {
      const view = memory.reserve(n);
      view.set(src.subarray(srcStart, srcStart + n), 0);
      tanhAt(0, n);
      dst.set(view.subarray(0, n), dstStart);
    },
    view: () => memory.view,
    reserve: (floats) => {
      memory.reserve(floats);
    },
    sigmoidAt,
    tanhAt,
  };
}
