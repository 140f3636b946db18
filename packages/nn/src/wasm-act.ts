/**
 * Sigmoid and tanh over float32 blocks as a WebAssembly SIMD loop (four lanes per step), emitted
 * as bytes at run time through `@cajal/core`'s WebAssembly builder like the gemm and Adam modules; used for the recurrent gate activations.
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
import { type WasmFunctionBuilder, WasmModuleBuilder, br, brIf, f32x4, i32, i32x4, localGet as get, localSet as set, v128 } from '@cajal/core';
import { floatMemory, instantiateOrNull } from './wasm-module.ts';
const { nearest: fNearest, neg: fNeg, add: fAdd, sub: fSub, mul: fMul, div: fDiv, min: fMin, max: fMax } = f32x4;

const { truncSatF32x4S: truncSat, add: iAdd, shl: iShl } = i32x4;
const { load: vLoad, store: vStore } = v128;
const fConst = (value: number): readonly number[] => v128.const(Float32Array.of(value, value, value, value));
const iConst = (value: number): readonly number[] => v128.const(Int32Array.of(value, value, value, value));

/** Add one function `(p, end)` to `m`: in place over byte pointers p..end in 16-byte steps. */
function addActivation(m: WasmModuleBuilder, tanh: boolean): WasmFunctionBuilder {
  const f = m.function({ params: ['i32', 'i32'] });
  const [P, E] = f.params;
  const [Y, K, R, Q, S] = f.locals('v128', 5);
  f.block((done) => f.loop((next) => {
    f.emit(get(P), get(E), i32.geU, brIf(done));
    // y = −x (sigmoid) or 2x (tanh), clamped to [−87, 87]
    if (tanh) f.emit(get(P), vLoad(), set(Y), get(Y), get(Y), fAdd);
    else f.emit(get(P), vLoad(), fNeg);
    f.emit(fConst(87), fMin, fConst(-87), fMax, set(Y));
    f.emit(get(Y), fConst(Math.LOG2E), fMul, fNearest, set(K));
    f.emit(get(Y), get(K), fConst(0.693359375), fMul, fSub, get(K), fConst(-2.12194440e-4), fMul, fSub, set(R));
    // q = expm1(r) = P(r)·r² + r
    f.emit(fConst(1.9875691500e-4), get(R), fMul, fConst(1.3981999507e-3), fAdd, get(R), fMul, fConst(8.3334519073e-3), fAdd, get(R), fMul);
    f.emit(fConst(4.1665795894e-2), fAdd, get(R), fMul, fConst(1.6666665459e-1), fAdd, get(R), fMul, fConst(5.0000001201e-1), fAdd);
    f.emit(get(R), fMul, get(R), fMul, get(R), fAdd, set(Q));
    // s = 2^k from the exponent bits
    f.emit(get(K), truncSat, iConst(127), iAdd, i32.const(23), iShl, set(S));
    f.emit(get(P));
    if (tanh) {
      // m = s·q + (s − 1); tanh = m / (m + 2)
      f.emit(get(S), get(Q), fMul, get(S), fConst(1), fSub, fAdd, set(Y));
      f.emit(get(Y), get(Y), fConst(2), fAdd, fDiv);
    } else {
      f.emit(fConst(1), fConst(1), get(S), get(Q), fMul, get(S), fAdd, fAdd, fDiv);
    }
    f.emit(vStore());
    f.emit(get(P), i32.const(16), i32.add, set(P), br(next));
  }));
  return f;
}

/** The module bytes: exports `sigmoid(p, end)`, `tanh(p, end)` and `memory`. */
export function activationModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new WasmModuleBuilder();
  const sigmoid = addActivation(m, false);
  const tanh = addActivation(m, true);
  m.memory({ initial: 1 });
  return m.exportFunction('sigmoid', sigmoid).exportFunction('tanh', tanh).exportMemory('memory').bytes();
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
