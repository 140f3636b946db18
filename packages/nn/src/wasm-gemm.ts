import { type GemmBackend, setGemmBackend } from './kernels.ts';
import { addPoolBackward, addPoolForward } from './wasm-pool.ts';
import { type WasmFunctionBuilder, type WasmLocal, WasmModuleBuilder, br, brIf, f32x4, i32, localGet as get, localSet as set, v128 } from '@cajal/core';
import { floatMemory, instantiateOrNull, shuffle32 as shuffle } from './wasm-module.ts';

/**
 * A WebAssembly SIMD matrix-multiply kernel, emitted as binary bytes through `@cajal/core`'s
 * WebAssembly builder (no toolchain, no .wasm file to ship). The exported `gemmx` adds A·B into C for byte
 * pointers into its memory with general strides (below), m a multiple of 4 and n of 8: a
 * 4 x 8 register tile (eight f32x4 accumulators) so each step loads two B vectors and four A
 * scalars for 64 flops. Strides let it read operands where they lie: Aᵀ (stored k x m) with a
 * step of m values, B with any row stride, and B rows given by a two-level index (used by the
 * direct convolution in `wasm-conv.ts`, where patch rows are shifted input channels). The
 * backend wrapper copies operands into the module's memory with block copies (Bᵀ is then
 * transposed there by a 4 x 4 SIMD block transpose, `transpose`), pads m to 4 and n to 8, and copies C back.
 * It calls the kernel on KC x NC panels of B (cache blocking; 256 x 1024 x 1024 products went
 * from 5.7 to 15.5 GMAC/s) with leading dimensions padded off multiples of 256 values. Where the engine
 * has relaxed SIMD the multiply-adds are `f32x4.relaxed_madd` (one fused instruction on FMA
 * hardware: about 20% faster here; results differ from the mul + add form in the last bits).
 * The module also carries the ReLU + max-pool-4 kernels of `wasm-pool.ts`, for the fused
 * convolution. `loadWasmGemm()` installs it as the gemm backend when the engine has SIMD.
 *
 * @example
 *   await loadWasmGemm(); // later gemm() calls above minimumWork run in wasm
 */

const load32Splat = (offset: number): readonly number[] => v128.load32Splat(offset, 2);
const vLoad = (offset: number, align: number): readonly number[] => v128.load(offset, align);
const vStore = (offset: number, align: number): readonly number[] => v128.store(offset, align);
const { add: fAdd, mul: fMul } = f32x4;
/** f32x4.relaxed_madd (a·b + c, fused where the hardware has FMA). */
const fMadd = f32x4.relaxedMadd;
const { add: ADD, sub: SUB, mul: MUL, geU: GE_U, eqz: EQZ } = i32;

/**
 * The module bytes: `gemmx(a, lda, aStep, b, bInner, ki, bOuter, ko, c, ldc, m, n)` adds
 * A·B into C (all strides in bytes): A[i, p] at a + i·lda + p·aStep, B[p, j] at
 * b + (p div ki)·bOuter + (p mod ki)·bInner + 4j, C[i, j] at c + i·ldc + 4j, p < ki·ko;
 * m a multiple of 4, n of 8.
 */
export function gemmModuleBytes(fused = false): Uint8Array<ArrayBuffer> {
  const m = new WasmModuleBuilder();
  const f = m.function({ params: new Array<'i32'>(12).fill('i32') });
  const [A, LDA, ASTEP, B, BINNER, KI, BOUTER, KO, C, LDC, M, N] = f.params;
  const [I, J, AP, BP, BPO, CP, Q, O, LDA2, LDA3, LDC2, LDC3] = f.locals('i32', 12);
  const accumulators = f.locals('v128', 8);
  const acc = (row: number, half: number): WasmLocal => accumulators[row * 2 + half] as WasmLocal;
  const [BV0, BV1, AV] = f.locals('v128', 3);
  f.emit(get(LDA), i32.const(2), MUL, set(LDA2), get(LDA), i32.const(3), MUL, set(LDA3));
  f.emit(get(LDC), i32.const(2), MUL, set(LDC2), get(LDC), i32.const(3), MUL, set(LDC3));
  const cRow = [null, LDC, LDC2, LDC3];
  const aRow = [null, LDA, LDA2, LDA3];
  f.emit(i32.const(0), set(I));
  f.block((rowsDone) => f.loop((nextRows) => {
    f.emit(get(I), get(M), GE_U, brIf(rowsDone), i32.const(0), set(J));
    f.block((columnsDone) => f.loop((nextColumns) => {
      f.emit(get(J), get(N), GE_U, brIf(columnsDone));
      // cPtr = c + i·ldc + 4j
      f.emit(get(C), get(I), get(LDC), MUL, ADD, get(J), i32.const(4), MUL, ADD, set(CP));
      for (let r = 0; r < 4; r++) {
        for (let h = 0; h < 2; h++) {
          f.emit(get(CP));
          const off = cRow[r];
          if (off) f.emit(get(off), ADD);
          f.emit(vLoad(h * 16, 2), set(acc(r, h)));
        }
      }
      f.emit(get(A), get(I), get(LDA), MUL, ADD, set(AP));
      f.emit(get(B), get(J), i32.const(4), MUL, ADD, set(BPO));
      f.emit(get(KO), set(O));
      f.block((outerDone) => f.loop((nextOuter) => {
        f.emit(get(O), EQZ, brIf(outerDone), get(BPO), set(BP), get(KI), set(Q));
        f.block((innerDone) => f.loop((nextInner) => {
          f.emit(get(Q), EQZ, brIf(innerDone));
          f.emit(get(BP), vLoad(0, 2), set(BV0), get(BP), vLoad(16, 2), set(BV1));
          for (let r = 0; r < 4; r++) {
            f.emit(get(AP));
            const off = aRow[r];
            if (off) f.emit(get(off), ADD);
            f.emit(load32Splat(0), set(AV));
            if (fused) {
              f.emit(get(AV), get(BV0), get(acc(r, 0)), fMadd, set(acc(r, 0)));
              f.emit(get(AV), get(BV1), get(acc(r, 1)), fMadd, set(acc(r, 1)));
            } else {
              f.emit(get(acc(r, 0)), get(AV), get(BV0), fMul, fAdd, set(acc(r, 0)));
              f.emit(get(acc(r, 1)), get(AV), get(BV1), fMul, fAdd, set(acc(r, 1)));
            }
          }
          f.emit(get(AP), get(ASTEP), ADD, set(AP), get(BP), get(BINNER), ADD, set(BP), get(Q), i32.const(1), SUB, set(Q), br(nextInner));
        }));
        f.emit(get(BPO), get(BOUTER), ADD, set(BPO), get(O), i32.const(1), SUB, set(O), br(nextOuter));
      }));
      for (let r = 0; r < 4; r++) {
        for (let h = 0; h < 2; h++) {
          f.emit(get(CP));
          const off = cRow[r];
          if (off) f.emit(get(off), ADD);
          f.emit(get(acc(r, h)), vStore(h * 16, 2));
        }
      }
      f.emit(get(J), i32.const(8), ADD, set(J), br(nextColumns));
    }));
    f.emit(get(I), i32.const(4), ADD, set(I), br(nextRows));
  }));
  const transpose = addTranspose(m);
  const reluMax4 = addPoolForward(m, true);
  const max4Backward = addPoolBackward(m);
  m.memory({ initial: 1 });
  return m.exportFunction('gemmx', f).exportFunction('transpose', transpose).exportFunction('reluMax4', reluMax4).exportFunction('max4Backward', max4Backward).exportMemory('memory').bytes();
}

/**
 * Add `transpose(src, rows, cols, dst, dstStride)` to `m`: dst[j·dstStride + i] = src[i·cols + j] in
 * 4 x 4 blocks (four loads, eight shuffles, four stores a block; strides in values). Rows and
 * columns are covered up to the next multiple of 4: the extra ones read past the matrix and
 * write past it in dst, which the caller leaves room for.
 */
function addTranspose(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: ['i32', 'i32', 'i32', 'i32', 'i32'] });
  const [SRC, ROWS, COLS, DST, DSTRIDE] = f.params;
  const [I, J, S, D, ROWB, DSTB] = f.locals('i32', 6);
  const [R0, R1, R2, R3, T0, T1, T2, T3] = f.locals('v128', 8);
  f.emit(get(COLS), i32.const(4), MUL, set(ROWB), get(DSTRIDE), i32.const(4), MUL, set(DSTB));
  f.emit(i32.const(0), set(I));
  f.block((rowsDone) => f.loop((nextRows) => {
    f.emit(get(I), get(ROWS), GE_U, brIf(rowsDone), i32.const(0), set(J));
    f.block((columnsDone) => f.loop((nextColumns) => {
      f.emit(get(J), get(COLS), GE_U, brIf(columnsDone));
      // s = src + (i·cols + j)·4, d = dst + (j·dstStride + i)·4
      f.emit(get(SRC), get(I), get(COLS), MUL, get(J), ADD, i32.const(4), MUL, ADD, set(S));
      f.emit(get(DST), get(J), get(DSTRIDE), MUL, get(I), ADD, i32.const(4), MUL, ADD, set(D));
      [R0, R1, R2, R3].forEach((row, q) => {
        f.emit(get(S));
        if (q > 0) f.emit(get(ROWB), i32.const(q), MUL, ADD);
        f.emit(vLoad(0, 2), set(row));
      });
      f.emit(get(R0), get(R1), shuffle([0, 4, 1, 5]), set(T0), get(R0), get(R1), shuffle([2, 6, 3, 7]), set(T1));
      f.emit(get(R2), get(R3), shuffle([0, 4, 1, 5]), set(T2), get(R2), get(R3), shuffle([2, 6, 3, 7]), set(T3));
      const outs: Array<[WasmLocal, WasmLocal, number[]]> = [[T0, T2, [0, 1, 4, 5]], [T0, T2, [2, 3, 6, 7]], [T1, T3, [0, 1, 4, 5]], [T1, T3, [2, 3, 6, 7]]];
      outs.forEach(([x, y, lanes], q) => {
        f.emit(get(D));
        if (q > 0) f.emit(get(DSTB), i32.const(q), MUL, ADD);
        f.emit(get(x), get(y), shuffle(lanes), vStore(0, 2));
      });
      f.emit(get(J), i32.const(4), ADD, set(J), br(nextColumns));
    }));
    f.emit(get(I), i32.const(4), ADD, set(I), br(nextRows));
  }));
  return f;
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
