import { i8x16 } from '@cajal/core';

/**
 * Pieces the nn kernels (`wasm-gemm`, `wasm-pool`, `wasm-act`, `wasm-adam`, `wasm-conv`) share on
 * top of `@cajal/core`'s WebAssembly builder (`wasm-builder.ts`, through which they all emit): the
 * 32-bit-lane shuffle, instantiation without SIMD support, and the module memory seen as floats.
 *
 * @example
 *   const instance = instantiateOrNull(poolModuleBytes()); // null without WebAssembly SIMD
 *   const memory = instance && floatMemory(instance);
 */

/** i8x16.shuffle picking the 32-bit lanes `lanes` (0–3 first operand, 4–7 second). */
export const shuffle32 = (lanes: number[]): readonly number[] => i8x16.shuffle(lanes.flatMap((l) => [l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3]));

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
