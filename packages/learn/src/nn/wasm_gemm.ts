import { type GemmBackend, setGemmBackend, transposeInto } from './kernels.ts';
import { localGet as get, localSet as set, section, unsignedLeb, wasmName as name, i32Const as i32 } from '@cajal/core';

/**
 * A WebAssembly SIMD matrix-multiply kernel, emitted as binary bytes by the small generator
 * below (no toolchain, no .wasm file to ship). The exported `gemm(a, b, c, m, k, n)` adds A·B
 * into C for byte pointers into its memory, with m a multiple of 4 and n a multiple of 8: a
 * 4 x 8 register tile (eight f32x4 accumulators) so each step loads two B vectors and four A
 * scalars for 64 flops; B is read in place, row-major with row stride n. The wrapper copies
 * operands into the module's memory with block copies (transposed operands are transposed
 * straight into it), padding m to 4 and n to 8, and copies C back. `loadWasmGemm()` installs it as the gemm backend when the engine has SIMD.
 *
 * @example
 *   await loadWasmGemm(); // later gemm() calls above minimumWork run in wasm
 */


// Opcodes.
const ADD = 0x6a;
const SUB = 0x6b;
const MUL = 0x6c;
const GE_U = 0x4f;
const EQZ = 0x45;
const END = 0x0b;
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const br = (depth: number): number[] => [0x0c, depth];
const brIf = (depth: number): number[] => [0x0d, depth];
const vLoad = (offset: number): number[] => [0xfd, 0x00, 2, ...unsignedLeb(offset)];
const vStore = (offset: number): number[] => [0xfd, 0x0b, 2, ...unsignedLeb(offset)];
const load32Splat = (offset: number): number[] => [0xfd, 0x09, 2, ...unsignedLeb(offset)];
const fAdd = [0xfd, 0xe4, 0x01];
const fMul = [0xfd, 0xe6, 0x01];

/** The module bytes. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  // Params: 0 a, 1 b, 2 c, 3 m, 4 k, 5 n. i32 locals 6..17, v128 locals 18..28.
  const [A, B, C, M, K, N] = [0, 1, 2, 3, 4, 5];
  const [I, J, P, AP, BP, CP, KB, NB, KB2, KB3, NB2, NB3] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const acc = (row: number, half: number): number => 18 + row * 2 + half;
  const [BV0, BV1, AV] = [26, 27, 28];
  const code: number[] = [];
  const emit = (...parts: Array<number | number[]>): void => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  };
  emit(get(K), i32(4), MUL, set(KB), get(N), i32(4), MUL, set(NB));
  emit(get(KB), i32(2), MUL, set(KB2), get(KB), i32(3), MUL, set(KB3));
  emit(get(NB), i32(2), MUL, set(NB2), get(NB), i32(3), MUL, set(NB3));
  emit(i32(0), set(I), block, loop, get(I), get(M), GE_U, brIf(1));
  emit(i32(0), set(J), block, loop, get(J), get(N), GE_U, brIf(1));
  // cPtr = c + (i·n + j)·4
  emit(get(C), get(I), get(N), MUL, get(J), ADD, i32(4), MUL, ADD, set(CP));
  const rowOffset = [null, NB, NB2, NB3];
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      emit(get(CP));
      const off = rowOffset[r];
      if (off !== null && off !== undefined) emit(get(off), ADD);
      emit(vLoad(h * 16), set(acc(r, h)));
    }
  }
  emit(get(A), get(I), get(KB), MUL, ADD, set(AP));
  emit(get(B), get(J), i32(4), MUL, ADD, set(BP));
  emit(get(K), set(P), block, loop, get(P), EQZ, brIf(1));
  emit(get(BP), vLoad(0), set(BV0), get(BP), vLoad(16), set(BV1));
  const aOffset = [null, KB, KB2, KB3];
  for (let r = 0; r < 4; r++) {
    emit(get(AP));
    const off = aOffset[r];
    if (off !== null && off !== undefined) emit(get(off), ADD);
    emit(load32Splat(0), set(AV));
    emit(get(acc(r, 0)), get(AV), get(BV0), fMul, fAdd, set(acc(r, 0)));
    emit(get(acc(r, 1)), get(AV), get(BV1), fMul, fAdd, set(acc(r, 1)));
  }
  emit(get(AP), i32(4), ADD, set(AP), get(BP), get(NB), ADD, set(BP), get(P), i32(1), SUB, set(P), br(0), END, END);
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      emit(get(CP));
      const off = rowOffset[r];
      if (off !== null && off !== undefined) emit(get(off), ADD);
      emit(get(acc(r, h)), vStore(h * 16));
    }
  }
  emit(get(J), i32(8), ADD, set(J), br(0), END, END);
  emit(get(I), i32(4), ADD, set(I), br(0), END, END);
  emit(END);
  const locals = [2, ...unsignedLeb(12), 0x7f, ...unsignedLeb(11), 0x7b];
  const body = [...locals, ...code];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('gemm'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...unsignedLeb(body.length), ...body]),
  ];
  return new Uint8Array(bytes);
}

type GemmExport = (a: number, b: number, c: number, m: number, k: number, n: number) => void;

/** Build the wasm gemm backend synchronously; null when the engine lacks WebAssembly SIMD. */
export function createWasmGemm(minimumWork = 32 * 32 * 32): GemmBackend | null {
  let instance: WebAssembly.Instance;
  try {
    const module = new WebAssembly.Module(gemmModuleBytes());
    instance = new WebAssembly.Instance(module, {});
  } catch {
    return null;
  }
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  const kernel = instance.exports['gemm'] as GemmExport;
  let view = new Float32Array(memory.buffer);
  const ensure = (floats: number): Float32Array => {
    const bytes = floats * 4;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
    return view;
  };
  /** Lay out the operands in wasm memory (A m x k padded to mp rows, B k x np, C mp x np), run, copy C out. */
  const run = (fillA: (view: Float32Array, at: number, m: number, k: number) => void, fillB: (view: Float32Array, at: number, k: number, n: number, np: number) => void, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void => {
    const mp = (m + 3) & ~3;
    const np = (n + 7) & ~7;
    const aStart = 0;
    const bStart = mp * k;
    const cStart = bStart + k * np;
    const memoryView = ensure(cStart + mp * np);
    // Padding rows of A and padding columns of B only reach padding entries of C, which are
    // never copied out, so they are left as they are.
    fillA(memoryView, aStart, m, k);
    fillB(memoryView, bStart, k, n, np);
    if (!accumulate) memoryView.fill(0, cStart, cStart + mp * np);
    else if (np === n) memoryView.set(c.subarray(cOffset, cOffset + m * n), cStart);
    else for (let i = 0; i < m; i++) memoryView.set(c.subarray(cOffset + i * n, cOffset + (i + 1) * n), cStart + i * np);
    kernel(aStart * 4, bStart * 4, cStart * 4, mp, k, np);
    if (np === n) c.set(memoryView.subarray(cStart, cStart + m * n), cOffset);
    else for (let i = 0; i < m; i++) c.set(memoryView.subarray(cStart + i * np, cStart + i * np + n), cOffset + i * n);
  };
  let a_: Float32Array = view;
  let aOffset_ = 0;
  let b_: Float32Array = view;
  let bOffset_ = 0;
  const plainA = (memoryView: Float32Array, at: number, m: number, k: number): void => {
    memoryView.set(a_.subarray(aOffset_, aOffset_ + m * k), at);
  };
  // A stored k x m: transpose into m x k.
  const transposedA = (memoryView: Float32Array, at: number, m: number, k: number): void => {
    transposeInto(a_, aOffset_, k, m, memoryView, at, k);
  };
  const plainB = (memoryView: Float32Array, at: number, k: number, n: number, np: number): void => {
    if (np === n) memoryView.set(b_.subarray(bOffset_, bOffset_ + k * n), at);
    else for (let p = 0; p < k; p++) memoryView.set(b_.subarray(bOffset_ + p * n, bOffset_ + (p + 1) * n), at + p * np);
  };
  // B stored n x k: transpose into k x np.
  const transposedB = (memoryView: Float32Array, at: number, k: number, n: number, np: number): void => {
    transposeInto(b_, bOffset_, n, k, memoryView, at, np);
  };
  const call = (transA: boolean, transB: boolean, a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void => {
    a_ = a;
    aOffset_ = aOffset;
    b_ = b;
    bOffset_ = bOffset;
    run(transA ? transposedA : plainA, transB ? transposedB : plainB, c, cOffset, m, k, n, accumulate);
    a_ = b_ = view;
  };
  return {
    minimumWork,
    gemm: (a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate) => call(false, false, a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate),
    gemmTN: (a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate) => call(true, false, a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate),
    gemmNT: (a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate) => call(false, true, a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate),
  };
}

/**
 * Install the wasm SIMD gemm as the backend for products of at least `minimumWork`
 * multiply-adds; returns whether it is active (false when SIMD is unavailable).
 */
export async function loadWasmGemm(minimumWork?: number): Promise<boolean> {
  const backend = createWasmGemm(minimumWork);
  if (backend) setGemmBackend(backend);
  return backend !== null;
}
