import { type WasmFunctionBuilder, WasmModuleBuilder, br, brIf, f32x4, i32, i32x4, localGet as get, localSet as set, v128 } from '@cajal/core';
import { floatMemory, instantiateOrNull, shuffle32 as shuffle } from './wasm-module.ts';
const { gt: fGt, max: fMax } = f32x4;

/**
 * Max pooling over windows of 4 values in WebAssembly SIMD (the window size of the EEG CNN and
 * the benchmark), emitted as bytes at run time like the gemm. In JavaScript the data-dependent
 * branch of a running maximum mispredicts about every other window on real activations (≈ 16 ns
 * a window here); the SIMD form is branch-free: four windows (16 values) at a time, two rounds
 * of pairwise `f32x4.gt` + `v128.bitselect` on shuffled lanes, carrying the index alongside the
 * value. A later value wins only when strictly greater, so the index is the window's first
 * maximum (as in the JavaScript loop). With `rectify` (ReLU → max pool fused), windows whose
 * maximum is not positive give 0 and index 4 (no gradient). Emitted through `@cajal/core`'s
 * WebAssembly builder.
 *
 * `forward(x, out, where, windows)` and `backward(g, where, gx, windows)` work on byte
 * pointers into the module's memory, `windows` a multiple of 4; `backward` writes (does not
 * add) the dense input gradient.
 *
 * @example
 *   const pool = createPoolKernel(); // null without WebAssembly SIMD
 */

const { eq: iEq } = i32x4;
const { and: vAnd, bitselect, load: vLoad, store: vStore } = v128;
const constant = (values: number[]): readonly number[] => v128.const(Int32Array.from(values));
const EVEN = [0, 2, 4, 6];
const ODD = [1, 3, 5, 7];
const POOL_PARAMS = ['i32', 'i32', 'i32', 'i32'] as const;

/** Add `forward(x, out, where, windows)` to `m` (also part of the gemm module, for the fused convolution). */
export function addPoolForward(m: WasmModuleBuilder, rectify: boolean): WasmFunctionBuilder {
  const f = m.function({ params: POOL_PARAMS });
  const [X, OUT, WHERE, COUNT] = f.params;
  const [V0, V1, MA, IA, MB, IB, U0, U1, GT, M] = f.locals('v128', 10);
  f.block((done) => f.loop((next) => {
    f.emit(get(COUNT), i32.eqz, brIf(done));
    // Windows 0, 1 (pair maxima mA, indices iA) and 2, 3 (mB, iB).
    for (const [offset, max, ix] of [[0, MA, IA], [32, MB, IB]] as const) {
      f.emit(get(X), vLoad(offset), set(V0), get(X), vLoad(offset + 16), set(V1));
      f.emit(get(V0), get(V1), shuffle(ODD), set(U1), get(V0), get(V1), shuffle(EVEN), set(U0));
      f.emit(get(U1), get(U0), fGt, set(GT));
      f.emit(get(U1), get(U0), get(GT), bitselect, set(max));
      f.emit(constant([1, 3, 1, 3]), constant([0, 2, 0, 2]), get(GT), bitselect, set(ix));
    }
    f.emit(get(MA), get(MB), shuffle(ODD), set(U1), get(MA), get(MB), shuffle(EVEN), set(U0));
    f.emit(get(U1), get(U0), fGt, set(GT));
    f.emit(get(U1), get(U0), get(GT), bitselect, set(M));
    // Indices: the same shuffles on iA, iB, then the same selection.
    f.emit(get(IA), get(IB), shuffle(ODD), get(IA), get(IB), shuffle(EVEN), get(GT), bitselect, set(V0));
    if (rectify) {
      f.emit(get(M), constant([0, 0, 0, 0]), fGt, set(GT));
      f.emit(get(OUT), get(M), constant([0, 0, 0, 0]), fMax, vStore(0));
      f.emit(get(WHERE), get(V0), constant([4, 4, 4, 4]), get(GT), bitselect, vStore(0));
    } else {
      f.emit(get(OUT), get(M), vStore(0), get(WHERE), get(V0), vStore(0));
    }
    f.emit(get(X), i32.const(64), i32.add, set(X), get(OUT), i32.const(16), i32.add, set(OUT), get(WHERE), i32.const(16), i32.add, set(WHERE));
    f.emit(get(COUNT), i32.const(4), i32.sub, set(COUNT), br(next));
  }));
  return f;
}

/** Add `backward(g, where, gx, windows)` to `m`: gx[4w + j] = where[w] == j ? g[w] : 0. */
export function addPoolBackward(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: POOL_PARAMS });
  const [G, WHERE, GX, COUNT] = f.params;
  const [GV, IV] = f.locals('v128', 2);
  f.block((done) => f.loop((next) => {
    f.emit(get(COUNT), i32.eqz, brIf(done));
    f.emit(get(G), vLoad(0), set(GV), get(WHERE), vLoad(0), set(IV));
    for (let w = 0; w < 4; w++) {
      f.emit(get(GX), get(GV), get(GV), shuffle([w, w, w, w]));
      f.emit(get(IV), get(IV), shuffle([w, w, w, w]), constant([0, 1, 2, 3]), iEq, vAnd, vStore(w * 16));
    }
    f.emit(get(G), i32.const(16), i32.add, set(G), get(WHERE), i32.const(16), i32.add, set(WHERE), get(GX), i32.const(64), i32.add, set(GX));
    f.emit(get(COUNT), i32.const(4), i32.sub, set(COUNT), br(next));
  }));
  return f;
}

/** The module bytes: exports `max4`, `reluMax4`, `max4Backward` and `memory`. */
export function poolModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new WasmModuleBuilder();
  const max4 = addPoolForward(m, false);
  const reluMax4 = addPoolForward(m, true);
  const max4Backward = addPoolBackward(m);
  m.memory({ initial: 1 });
  return m.exportFunction('max4', max4).exportFunction('reluMax4', reluMax4).exportFunction('max4Backward', max4Backward).exportMemory('memory').bytes();
}

type Export = (a: number, b: number, c: number, count: number) => void;

export interface PoolKernel {
  /**
   * Max pooling of x [planes, length] over windows of 4 into out [planes, outLength]
   * (outLength = ⌊length / 4⌋; floored at 0 when `rectify`); `where` gets each window's index
   * (0–3) of its first maximum, or 4 where rectification zeroed it.
   */
  forward(x: Float32Array, planes: number, length: number, out: Float32Array, where: Uint8Array, rectify: boolean): void;
  /** gx [planes, length] gets g [planes, outLength] at the recorded maxima (set when `fresh`, else added). */
  backward(g: Float32Array, where: Uint8Array, gx: Float32Array, planes: number, length: number, fresh: boolean): void;
}

/** The kernel; null when the engine lacks WebAssembly SIMD. */
export function createPoolKernel(): PoolKernel | null {
  const instance = instantiateOrNull(poolModuleBytes());
  if (!instance) return null;
  const memory = floatMemory(instance);
  const max4 = instance.exports['max4'] as Export;
  const reluMax4 = instance.exports['reluMax4'] as Export;
  const max4Backward = instance.exports['max4Backward'] as Export;
  const reserve = (bytes: number): ArrayBuffer => memory.reserve(bytes / 4).buffer;
  // Windows are packed back to back in wasm memory (the values past the last window of each
  // plane left out) and padded to a multiple of 4 windows; padding results are never read.
  return {
    forward(x, planes, length, out, where, rectify) {
      const outLength = length >> 2;
      const windows = planes * outLength;
      const vec = (windows + 3) & ~3;
      // Layout (bytes): x [16·vec] | out [4·vec] | where [4·vec] (i32)
      const outAt = vec * 16;
      const whereAt = outAt + vec * 4;
      const buffer = reserve(whereAt + vec * 4);
      const xv = new Float32Array(buffer, 0, vec * 4);
      if (length === 4 * outLength) xv.set(x.subarray(0, windows * 4));
      else for (let p = 0; p < planes; p++) xv.set(x.subarray(p * length, p * length + 4 * outLength), p * 4 * outLength);
      (rectify ? reluMax4 : max4)(0, outAt, whereAt, vec);
      out.set(new Float32Array(buffer, outAt, windows));
      where.set(new Int32Array(buffer, whereAt, windows));
    },
    backward(g, where, gx, planes, length, fresh) {
      const outLength = length >> 2;
      const windows = planes * outLength;
      const vec = (windows + 3) & ~3;
      // Layout (bytes): g [4·vec] | where [4·vec] (i32) | gx [16·vec]
      const whereAt = vec * 4;
      const gxAt = whereAt + vec * 4;
      const buffer = reserve(gxAt + vec * 16);
      new Float32Array(buffer, 0, windows).set(g.subarray(0, windows));
      new Int32Array(buffer, whereAt, windows).set(where.subarray(0, windows));
      max4Backward(0, whereAt, gxAt, vec);
      const dense = new Float32Array(buffer, gxAt, windows * 4);
      const run = 4 * outLength;
      if (fresh && run === length) gx.set(dense);
      else if (fresh) for (let p = 0; p < planes; p++) gx.set(dense.subarray(p * run, (p + 1) * run), p * length);
      else {
        for (let p = 0; p < planes; p++) {
          const src = p * run;
          const dst = p * length;
          for (let i = 0; i < run; i++) gx[dst + i] += dense[src + i] as number;
        }
      }
    },
  };
}
