import { shuffleBytes, simd, simdMemory, simdOp, unsignedLeb } from '@cajal/core';

/**
 * Pieces the hand-emitted nn kernels (`wasm_gemm`, `wasm_pool`, `wasm_act`, `wasm_adam`,
 * `wasm_conv`) share on top of the instruction vocabulary of `@cajal/core` (`wasm-bytes.ts`):
 * an emitter for function code, a function body with its locals, the 32-bit-lane shuffle, and
 * the f32x4 operations and v128 loads and stores they all spell the same way.
 *
 * @example
 *   const [code, emit] = emitter();
 *   emit(localGet(0), simdMemory(simdOp.v128Load, 4), END);
 *   const fn = functionBody([[1, 0x7b]], code); // one v128 local
 */

/** Appends opcodes and instruction byte arrays to the code being built. */
export type Emit = (...parts: Array<number | number[]>) => void;

/** An empty code array and the function that appends to it. */
export function emitter(): [number[], Emit] {
  const code: number[] = [];
  return [code, (...parts) => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  }];
}

/** A code-section entry: byte size, then the local declarations (runs of [count, type]) and `code`. */
export function functionBody(locals: Array<[number, number]>, code: number[]): number[] {
  const fn = [locals.length, ...locals.flatMap(([count, type]) => [...unsignedLeb(count), type]), ...code];
  return [...unsignedLeb(fn.length), ...fn];
}

/** The f32x4 instructions the kernels use, by short name. */
export const f32x4 = {
  add: simd(simdOp.f32x4Add),
  sub: simd(simdOp.f32x4Sub),
  mul: simd(simdOp.f32x4Mul),
  div: simd(simdOp.f32x4Div),
  min: simd(simdOp.f32x4Min),
  max: simd(simdOp.f32x4Max),
  sqrt: simd(simdOp.f32x4Sqrt),
  neg: simd(simdOp.f32x4Neg),
  nearest: simd(simdOp.f32x4Nearest),
  gt: simd(simdOp.f32x4Gt),
  splat: simd(simdOp.f32x4Splat),
};

/** v128.load / v128.store at a constant byte offset; `align` is log2 of the alignment (16 bytes by default). */
export const vLoad = (offset = 0, align = 4): number[] => simdMemory(simdOp.v128Load, align, offset);
export const vStore = (offset = 0, align = 4): number[] => simdMemory(simdOp.v128Store, align, offset);

/** i8x16.shuffle picking the 32-bit lanes `lanes` (0–3 first operand, 4–7 second). */
export const shuffle32 = (lanes: number[]): number[] => shuffleBytes(lanes.flatMap((l) => [l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3]));

/** An instance of `bytes` (no imports); null where the engine rejects it (no WebAssembly SIMD). */
export function instantiateOrNull(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Instance | null {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  } catch {
    return null;
  }
}

/** An instance's exported `memory` seen as floats. */
export interface FloatMemory {
  /** The current view (replaced, and old views detached, when `reserve` grows the memory). */
  readonly view: Float32Array<ArrayBuffer>;
  /** Grow the memory to hold at least `floats` values; returns the (possibly new) view. */
  reserve(floats: number): Float32Array<ArrayBuffer>;
}

export function floatMemory(instance: WebAssembly.Instance): FloatMemory {
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  let view = new Float32Array(memory.buffer);
  return {
    get view() {
      return view;
    },
    reserve(floats) {
      if (view.length < floats) {
        memory.grow(Math.ceil((floats * 4 - memory.buffer.byteLength) / 65536));
        view = new Float32Array(memory.buffer);
      }
      return view;
    },
  };
}
