/**
 * Adam's update as a WebAssembly SIMD loop (four float32 lanes per step), emitted as bytes at
 * run time through `@cajal/core`'s WebAssembly builder, like the gemm module. The moment estimates m and v live in the module's memory for
 * the optimiser's whole life (the JavaScript `Float32Array`s are views into it), so one step
 * copies only the parameters and gradients in and the parameters out. Arithmetic is float32
 * (correctly rounded, no fused multiply-add), so results are deterministic but differ in the
 * last bits from the float64 JavaScript loop that runs when SIMD is unavailable.
 *
 * @example
 *   const kernel = createAdamKernel([p1.size, p2.size]); // null without WebAssembly SIMD
 */
import { type WasmLocal, WasmModuleBuilder, br, brIf, f32x4, i32, localGet as get, localSet as set, v128 } from '@cajal/core';
import { floatMemory, instantiateOrNull } from './wasm-module.ts';
const { splat, sqrt: fSqrt, add: fAdd, sub: fSub, mul: fMul, div: fDiv } = f32x4;
const { load: vLoad, store: vStore } = v128;

/**
 * The module bytes: `adam(d, g, m, v, end, beta1, keep1, beta2, keep2, l2, shrink, step, c2, eps)`
 * over byte pointers d..end (16-byte steps), the same formula as the JavaScript loop:
 * g' = g + l2·d; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'·g'; d = d·shrink − step·m / (√v / c2 + ε).
 */
export function adamModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new WasmModuleBuilder();
  const f = m.function({ params: ['i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32'] });
  const [D, G, M, V, E, ...scalars] = f.params;
  // the splat of each scalar param (beta1 ... eps)
  const splats = f.locals('v128', scalars.length);
  const [B1, K1, B2, K2, L2, SHRINK, STEP, C2, EPS] = splats;
  const [DI, GI, MI, VI] = f.locals('v128', 4);
  scalars.forEach((scalar, i) => f.emit(get(scalar), splat, set(splats[i] as WasmLocal)));
  f.block((done) => f.loop((next) => {
    f.emit(get(D), get(E), i32.geU, brIf(done));
    f.emit(get(D), vLoad(), set(DI));
    f.emit(get(G), vLoad(), get(L2), get(DI), fMul, fAdd, set(GI));
    f.emit(get(B1), get(M), vLoad(), fMul, get(K1), get(GI), fMul, fAdd, set(MI));
    f.emit(get(B2), get(V), vLoad(), fMul, get(K2), get(GI), fMul, get(GI), fMul, fAdd, set(VI));
    f.emit(get(M), get(MI), vStore(), get(V), get(VI), vStore());
    f.emit(get(D), get(DI), get(SHRINK), fMul, get(STEP), get(MI), fMul, get(VI), fSqrt, get(C2), fDiv, get(EPS), fAdd, fDiv, fSub, vStore());
    for (const pointer of [D, G, M, V]) f.emit(get(pointer), i32.const(16), i32.add, set(pointer));
    f.emit(br(next));
  }));
  m.memory({ initial: 1 });
  return m.exportFunction('adam', f).exportMemory('memory').bytes();
}

type AdamExport = (d: number, g: number, m: number, v: number, end: number, beta1: number, keep1: number, beta2: number, keep2: number, l2: number, shrink: number, step: number, c2: number, eps: number) => void;

export interface AdamKernel {
  /** First-moment arrays, one per parameter (views into wasm memory, zeros at start). */
  first: Float32Array[];
  /** Second-moment arrays. */
  second: Float32Array[];
  /**
   * A view into wasm memory holding a copy of `data` for parameter `index`: a parameter whose
   * data is this view is updated in place there (no copies in and out per step).
   */
  adopt(index: number, data: Float32Array): Float32Array;
  /** Update parameter `index` in place from its gradient. */
  update(index: number, data: Float32Array, grad: Float32Array, beta1: number, beta2: number, l2: number, shrink: number, stepSize: number, correction2Root: number, epsilon: number): void;
}

/** A kernel for parameters of the given sizes; null when the engine lacks WebAssembly SIMD. */
export function createAdamKernel(sizes: number[]): AdamKernel | null {
  const instance = instantiateOrNull(adamModuleBytes());
  if (!instance) return null;
  const kernel = instance.exports['adam'] as AdamExport;
  const padded = sizes.map((s) => (s + 3) & ~3);
  const largest = Math.max(0, ...padded);
  const total = 3 * padded.reduce((a, b) => a + b, 0) + 2 * largest;
  // Never grown again, so the views below stay valid.
  const view = floatMemory(instance).reserve(total);
  const dStart = 0;
  const gStart = largest;
  const first: Float32Array[] = [];
  const second: Float32Array[] = [];
  const offsets: number[] = [];
  let at = 2 * largest;
  // Per parameter: m, v, then room for the parameter's own values (see adopt).
  for (let i = 0; i < sizes.length; i++) {
    offsets.push(at);
    first.push(view.subarray(at, at + (sizes[i] as number)));
    second.push(view.subarray(at + (padded[i] as number), at + (padded[i] as number) + (sizes[i] as number)));
    at += 3 * (padded[i] as number);
  }
  /** Where parameter `index`'s own values live (after its m and v). */
  const ownStart = (index: number): number => (offsets[index] as number) + 2 * (padded[index] as number);
  return {
    first,
    second,
    adopt(index, data) {
      const own = view.subarray(ownStart(index), ownStart(index) + data.length);
      own.set(data);
      return own;
    },
    update(index, data, grad, beta1, beta2, l2, shrink, stepSize, correction2Root, epsilon) {
      const m = offsets[index] as number;
      const size = padded[index] as number;
      // An adopted parameter is updated where it lies; any other goes through dStart.
      const resident = data.buffer === view.buffer && data.byteOffset === ownStart(index) * 4;
      const d = resident ? ownStart(index) : dStart;
      view.set(grad, gStart);
      if (!resident) view.set(data, dStart);
      kernel(d * 4, gStart * 4, m * 4, (m + size) * 4, (d + size) * 4, beta1, 1 - beta1, beta2, 1 - beta2, l2, shrink, stepSize, correction2Root, epsilon);
      if (!resident) data.set(view.subarray(dStart, dStart + data.length));
    },
  };
}
