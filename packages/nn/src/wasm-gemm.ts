import { type GemmBackend, setGemmBackend } from './kernels.ts';
import { poolBackwardBody, poolForwardBody } from './wasm-pool.ts';
import { BLOCK, END, LOOP, br, brIf, localGet as get, localSet as set, op, section, simd, simdMemory, simdOp, wasmModule, wasmName as name, i32Const as i32 } from '@cajal/core';
import { emitter, f32x4, floatMemory, functionBody, instantiateOrNull, vLoad, vStore, shuffle32 as shuffle } from './wasm-module.ts';

/**
 * A WebAssembly SIMD matrix-multiply kernel, emitted as binary bytes by the small generator
 * below (no toolchain, no .wasm file to ship). The exported `gemmx` adds A·B into C for byte
 * pointers into its memory with general strides (below), m a multiple of 4 and n of 8: a
 * 4 x 8 register tile (eight f32x4 accumulators) so each step loads two B vectors and four A
 * scalars for 64 flops. Strides let it read operands where they lie: Aᵀ (stored k x m) with a
 * step of m values, B with any row stride, and B rows given by a two-level index (used by the
 * direct convolution in `wasm_conv.ts`, where patch rows are shifted input channels). The
 * backend wrapper copies operands into the module's memory with block copies (Bᵀ is then
 * transposed there by a 4 x 4 SIMD block transpose, `transpose`), pads m to 4 and n to 8, and copies C back.
 * It calls the kernel on KC x NC panels of B (cache blocking; 256 x 1024 x 1024 products went
 * from 5.7 to 15.5 GMAC/s) with leading dimensions padded off multiples of 256 values. Where the engine
 * has relaxed SIMD the multiply-adds are `f32x4.relaxed_madd` (one fused instruction on FMA
 * hardware: about 20% faster here; results differ from the mul + add form in the last bits).
 * The module also carries the ReLU + max-pool-4 kernels of `wasm_pool.ts`, for the fused
 * convolution. `loadWasmGemm()` installs it as the gemm backend when the engine has SIMD.
 *
 * @example
 *   await loadWasmGemm(); // later gemm() calls above minimumWork run in wasm
 */

const load32Splat = (offset: number): number[] => simdMemory(simdOp.v128Load32Splat, 2, offset);
const { add: fAdd, mul: fMul } = f32x4;
/** f32x4.relaxed_madd (a·b + c, fused where the hardware has FMA). */
const fMadd = simd(simdOp.f32x4RelaxedMadd);
const { i32Add: ADD, i32Sub: SUB, i32Mul: MUL, i32GeU: GE_U, i32Eqz: EQZ } = op;

/**
 * The module bytes: `gemmx(a, lda, aStep, b, bInner, ki, bOuter, ko, c, ldc, m, n)` adds
 * A·B into C (all strides in bytes): A[i, p] at a + i·lda + p·aStep, B[p, j] at
 * b + (p div ki)·bOuter + (p mod ki)·bInner + 4j, C[i, j] at c + i·ldc + 4j, p < ki·ko;
 * m a multiple of 4, n of 8.
 */
export function gemmModuleBytes(fused = false): Uint8Array<ArrayBuffer> {
  const [A, LDA, ASTEP, B, BINNER, KI, BOUTER, KO, C, LDC, M, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [I, J, AP, BP, BPO, CP, Q, O, LDA2, LDA3, LDC2, LDC3] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const acc = (row: number, half: number): number => 24 + row * 2 + half;
  const [BV0, BV1, AV] = [32, 33, 34];
  const [code, emit] = emitter();
  emit(get(LDA), i32(2), MUL, set(LDA2), get(LDA), i32(3), MUL, set(LDA3));
  emit(get(LDC), i32(2), MUL, set(LDC2), get(LDC), i32(3), MUL, set(LDC3));
  emit(i32(0), set(I), BLOCK, LOOP, get(I), get(M), GE_U, brIf(1));
  emit(i32(0), set(J), BLOCK, LOOP, get(J), get(N), GE_U, brIf(1));
  // cPtr = c + i·ldc + 4j
  emit(get(C), get(I), get(LDC), MUL, ADD, get(J), i32(4), MUL, ADD, set(CP));
  const cRow = [null, LDC, LDC2, LDC3];
  const aRow = [null, LDA, LDA2, LDA3];
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      emit(get(CP));
      const off = cRow[r];
      if (off !== null && off !== undefined) emit(get(off), ADD);
      emit(vLoad(h * 16, 2), set(acc(r, h)));
    }
  }
  emit(get(A), get(I), get(LDA), MUL, ADD, set(AP));
  emit(get(B), get(J), i32(4), MUL, ADD, set(BPO));
  emit(get(KO), set(O), BLOCK, LOOP, get(O), EQZ, brIf(1));
  emit(get(BPO), set(BP));
  emit(get(KI), set(Q), BLOCK, LOOP, get(Q), EQZ, brIf(1));
  emit(get(BP), vLoad(0, 2), set(BV0), get(BP), vLoad(16, 2), set(BV1));
  for (let r = 0; r < 4; r++) {
    emit(get(AP));
    const off = aRow[r];
    if (off !== null && off !== undefined) emit(get(off), ADD);
    emit(load32Splat(0), set(AV));
    if (fused) {
      emit(get(AV), get(BV0), get(acc(r, 0)), fMadd, set(acc(r, 0)));
      emit(get(AV), get(BV1), get(acc(r, 1)), fMadd, set(acc(r, 1)));
    } else {
      emit(get(acc(r, 0)), get(AV), get(BV0), fMul, fAdd, set(acc(r, 0)));
      emit(get(acc(r, 1)), get(AV), get(BV1), fMul, fAdd, set(acc(r, 1)));
    }
  }
  emit(get(AP), get(ASTEP), ADD, set(AP), get(BP), get(BINNER), ADD, set(BP), get(Q), i32(1), SUB, set(Q), br(0), END, END);
  emit(get(BPO), get(BOUTER), ADD, set(BPO), get(O), i32(1), SUB, set(O), br(0), END, END);
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      emit(get(CP));
      const off = cRow[r];
      if (off !== null && off !== undefined) emit(get(off), ADD);
      emit(get(acc(r, h)), vStore(h * 16, 2));
    }
  }
  emit(get(J), i32(8), ADD, set(J), br(0), END, END);
  emit(get(I), i32(4), ADD, set(I), br(0), END, END);
  emit(END);
  return wasmModule([
    section(1, [3, 0x60, 12, ...new Array<number>(12).fill(0x7f), 0, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    section(3, [4, 0, 1, 2, 2]),
    section(5, [1, 0, 1]),
    section(7, [5, ...name('gemmx'), 0x00, 0, ...name('transpose'), 0x00, 1, ...name('reluMax4'), 0x00, 2, ...name('max4Backward'), 0x00, 3, ...name('memory'), 0x02, 0]),
    section(10, [4, ...functionBody([[12, 0x7f], [11, 0x7b]], code), ...transposeBody(), ...poolForwardBody(true), ...poolBackwardBody()]),
  ]);
}

/**
 * `transpose(src, rows, cols, dst, dstStride)`: dst[j·dstStride + i] = src[i·cols + j] in
 * 4 x 4 blocks (four loads, eight shuffles, four stores a block; strides in values). Rows and
 * columns are covered up to the next multiple of 4: the extra ones read past the matrix and
 * write past it in dst, which the caller leaves room for.
 */
function transposeBody(): number[] {
  const [SRC, ROWS, COLS, DST, DSTRIDE] = [0, 1, 2, 3, 4];
  const [I, J, S, D, ROWB, DSTB] = [5, 6, 7, 8, 9, 10];
  const [R0, R1, R2, R3, T0, T1, T2, T3] = [11, 12, 13, 14, 15, 16, 17, 18];
  const [code, emit] = emitter();
  emit(get(COLS), i32(4), MUL, set(ROWB), get(DSTRIDE), i32(4), MUL, set(DSTB));
  emit(i32(0), set(I), BLOCK, LOOP, get(I), get(ROWS), GE_U, brIf(1));
  emit(i32(0), set(J), BLOCK, LOOP, get(J), get(COLS), GE_U, brIf(1));
  // s = src + (i·cols + j)·4, d = dst + (j·dstStride + i)·4
  emit(get(SRC), get(I), get(COLS), MUL, get(J), ADD, i32(4), MUL, ADD, set(S));
  emit(get(DST), get(J), get(DSTRIDE), MUL, get(I), ADD, i32(4), MUL, ADD, set(D));
  const rows = [R0, R1, R2, R3];
  for (let q = 0; q < 4; q++) {
    emit(get(S));
    if (q > 0) emit(get(ROWB), i32(q), MUL, ADD);
    emit(vLoad(0, 2), set(rows[q] as number));
  }
  emit(get(R0), get(R1), shuffle([0, 4, 1, 5]), set(T0), get(R0), get(R1), shuffle([2, 6, 3, 7]), set(T1));
  emit(get(R2), get(R3), shuffle([0, 4, 1, 5]), set(T2), get(R2), get(R3), shuffle([2, 6, 3, 7]), set(T3));
  const outs: Array<[number, number, number[]]> = [[T0, T2, [0, 1, 4, 5]], [T0, T2, [2, 3, 6, 7]], [T1, T3, [0, 1, 4, 5]], [T1, T3, [2, 3, 6, 7]]];
  outs.forEach(([x, y, lanes], q) => {
    emit(get(D));
    if (q > 0) emit(get(DSTB), i32(q), MUL, ADD);
    emit(get(x), get(y), shuffle(lanes), vStore(0, 2));
  });
  emit(get(J), i32(4), ADD, set(J), br(0), END, END);
  emit(get(I), i32(4), ADD, set(I), br(0), END, END);
  emit(END);
  return functionBody([[6, 0x7f], [8, 0x7b]], code);
}

type GemmxExport = (a: number, lda: number, aStep: number, b: number, bInner: number, ki: number, bOuter: number, ko: number, c: number, ldc: number, m: number, n: number) => void;

/** Cache blocking of the wasm product: panels of B of KC x NC values (128 KB) per kernel call. */
export const KC = 256;
export const NC = 128;

/** A leading dimension (values) with 8 values of padding when it is a multiple of 256 (see `call`). */
const padded = (cols: number): number => (cols % 256 === 0 ? cols + 8 : cols);

/** Values of slack after each operand: padding rows and columns read a few values past its end. */
const SLACK = 16;

/** Whether the engine compiles relaxed SIMD (f32x4.relaxed_madd): Chrome ≥ 114, Node ≥ 22 (Node 20 behind --experimental-wasm-relaxed-simd). */
let fusedSupport: boolean | undefined;

/**
 * A new instance of the gemm module (its own memory): the fused multiply-add form where the
 * engine has relaxed SIMD, else the mul + add form; null without WebAssembly SIMD.
 */
export function instantiateGemm(): WebAssembly.Instance | null {
  return instantiateOrNull(gemmModuleBytes(gemmIsFused()));
}

/** Whether the gemm kernels use fused multiply-adds (relaxed SIMD) in this engine. */
export function gemmIsFused(): boolean {
  if (fusedSupport === undefined) fusedSupport = WebAssembly.validate(gemmModuleBytes(true));
  return fusedSupport;
}

/** Build the wasm gemm backend synchronously; null when the engine lacks WebAssembly SIMD. */
export function createWasmGemm(minimumWork = 32 * 32 * 32): GemmBackend | null {
  const instance = instantiateGemm();
  if (!instance) return null;
  const kernel = instance.exports['gemmx'] as GemmxExport;
  const transpose = instance.exports['transpose'] as (src: number, rows: number, cols: number, dst: number, dstStride: number) => void;
  const memory = floatMemory(instance);
  /**
   * Lay out the operands in wasm memory and run: A m x k (as stored, or k x m transposed by
   * the SIMD block transpose), B k x n (as stored, or n x k
   * transposed into k x n by the SIMD block transpose), C mp x np; then copy C out. Padding
   * rows of A and padding columns of B read neighbouring values (or the slack) and only reach
   * padding entries of C, which are never copied out. Leading dimensions that are a multiple
   * of 256 values get 8 values of padding (`padded`), so that walking down a column does not
   * map every cache line onto the same cache set (a 4 KB stride did, for 1024-wide operands).
   * The product is blocked (`blocked`) over k and n: the kernel runs on a KC x NC panel of B
   * at a time, which stays in L1/L2 while all m rows of A stream past it.
   */
  const call = (transA: boolean, transB: boolean, a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void => {
    const mp = (m + 3) & ~3;
    const np = (n + 7) & ~7;
    const k4 = (k + 3) & ~3;
    // Aᵀ (stored k x m) is transposed in wasm into m x lda, lda ≥ k rounded up to 4.
    const lda = padded(transA ? k4 : k);
    const ldb = padded(np);
    const aStart = 0;
    const bStart = (mp * lda + SLACK + 3) & ~3;
    const cStart = (bStart + k * ldb + SLACK + 3) & ~3;
    // Aᵀ or Bᵀ only: the operand as stored, after C, block-transposed from there (see below).
    const rawStart = (cStart + mp * np + 3) & ~3;
    const rawSize = Math.max(transB ? ((n + 3) & ~3) * k : 0, transA ? k4 * m : 0);
    const memoryView = memory.reserve(rawSize > 0 ? rawStart + rawSize + SLACK : cStart + mp * np);
    if (transA) {
      // Aᵀ goes in as stored after C and is block-transposed into A's region (4 x 4 blocks
      // rounded up: the extra columns land in each row's padding, the extra rows before B).
      memoryView.set(a.subarray(aOffset, aOffset + k * m), rawStart);
      transpose(rawStart * 4, k, m, aStart * 4, lda);
    } else if (lda === k) memoryView.set(a.subarray(aOffset, aOffset + m * k), aStart);
    else for (let r = 0; r < m; r++) memoryView.set(a.subarray(aOffset + r * k, aOffset + (r + 1) * k), aStart + r * lda);
    if (transB) {
      // B (n x k) goes in as stored, then a SIMD 4 x 4 block transpose into k x ldb; rows and
      // columns rounded up to 4 read neighbouring values or slack and only write padding.
      // Rows k..k4−1 of the transpose land in C's region, which is written afterwards.
      memoryView.set(b.subarray(bOffset, bOffset + n * k), rawStart);
      transpose(rawStart * 4, n, k, bStart * 4, ldb);
    } else if (ldb === n) memoryView.set(b.subarray(bOffset, bOffset + k * n), bStart);
    else for (let p = 0; p < k; p++) memoryView.set(b.subarray(bOffset + p * n, bOffset + (p + 1) * n), bStart + p * ldb);
    if (!accumulate) memoryView.fill(0, cStart, cStart + mp * np);
    else if (np === n) memoryView.set(c.subarray(cOffset, cOffset + m * n), cStart);
    else for (let i = 0; i < m; i++) memoryView.set(c.subarray(cOffset + i * n, cOffset + (i + 1) * n), cStart + i * np);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      for (let j0 = 0; j0 < np; j0 += NC) {
        const nc = Math.min(NC, np - j0);
        kernel((aStart + p0) * 4, lda * 4, 4, (bStart + p0 * ldb + j0) * 4, ldb * 4, kc, 0, 1, (cStart + j0) * 4, np * 4, mp, nc);
      }
    }
    if (np === n) c.set(memoryView.subarray(cStart, cStart + m * n), cOffset);
    else for (let i = 0; i < m; i++) c.set(memoryView.subarray(cStart + i * np, cStart + i * np + n), cOffset + i * n);
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
