/**
 * Matrix-multiply kernels on Float32Array (row-major), hand-written because they are the hot
 * loop of every layer. `gemm` computes C (m x n) = A (m x k) · B (k x n), optionally adding to
 * C. It is blocked for the cache (panels of B of `K_BLOCK` x `N_BLOCK`) and register-blocked
 * four rows of A at a time, so each loaded B value feeds four multiply-adds. The transposed
 * variants copy the transposed operand into a scratch buffer (O(size) work next to the
 * O(m·k·n) product) and reuse the same kernel. When the WebAssembly SIMD kernel is loaded
 * (see `wasm-gemm.ts`), large products go there instead.
 *
 * @example
 *   const c = new Float32Array(2 * 2);
 *   gemm(Float32Array.of(1, 2, 3, 4), 0, Float32Array.of(1, 0, 0, 1), 0, c, 0, 2, 2, 2, false);
 */
const K_BLOCK = 256;
const N_BLOCK = 512;

/** Optional faster implementation plugged in at run time (WebAssembly SIMD). */
export interface GemmBackend {
  /** Minimum m·k·n for which the backend is used. */
  minimumWork: number;
  gemm(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void;
  /** C = Aᵀ·B with A stored k x m (optional: otherwise A is transposed in JS first). */
  gemmTN?(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void;
  /** C = A·Bᵀ with B stored n x k (optional). */
  gemmNT?(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void;
}

let backend: GemmBackend | null = null;

/** Install (or remove, with null) an accelerated gemm; returns the previous one. */
export function setGemmBackend(next: GemmBackend | null): GemmBackend | null {
  const previous = backend;
  backend = next;
  return previous;
}

/** The accelerated gemm in use, if any. */
export function gemmBackend(): GemmBackend | null {
  return backend;
}

/** C = A·B (+ C when `accumulate`). Offsets are element offsets into each array. */
export function gemm(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void {
  if (backend && m * k * n >= backend.minimumWork) {
    backend.gemm(a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate);
    return;
  }
  gemmJs(a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate);
}

/** The plain JavaScript kernel (always available; the reference for the wasm one). */
export function gemmJs(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void {
  if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  for (let j0 = 0; j0 < n; j0 += N_BLOCK) {
    const j1 = Math.min(n, j0 + N_BLOCK);
    for (let p0 = 0; p0 < k; p0 += K_BLOCK) {
      const p1 = Math.min(k, p0 + K_BLOCK);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = cOffset + i * n;
        const c1 = c0 + n;
        const c2 = c1 + n;
        const c3 = c2 + n;
        const a0Row = aOffset + i * k;
        for (let p = p0; p < p1; p++) {
          const a0 = a[a0Row + p] as number;
          const a1 = a[a0Row + k + p] as number;
          const a2 = a[a0Row + 2 * k + p] as number;
          const a3 = a[a0Row + 3 * k + p] as number;
          const bRow = bOffset + p * n;
          for (let j = j0; j < j1; j++) {
            const bv = b[bRow + j] as number;
            c[c0 + j] += a0 * bv;
            c[c1 + j] += a1 * bv;
            c[c2 + j] += a2 * bv;
            c[c3 + j] += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
        const c0 = cOffset + i * n;
        const aRow = aOffset + i * k;
        for (let p = p0; p < p1; p++) {
          const a0 = a[aRow + p] as number;
          if (a0 === 0) continue;
          const bRow = bOffset + p * n;
          for (let j = j0; j < j1; j++) c[c0 + j] += a0 * (b[bRow + j] as number);
        }
      }
    }
  }
}

let scratch = new Float32Array(1024);

function scratchOf(size: number): Float32Array {
  if (scratch.length < size) scratch = new Float32Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * Copy the rows x cols matrix at `offset` into `out` transposed (cols x rows, starting at
 * `outOffset`, rows of `outStride` ≥ rows values).
 */
export function transposeInto(source: Float32Array, offset: number, rows: number, cols: number, out: Float32Array, outOffset = 0, outStride = rows): void {
  const BLOCK = 32;
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(rows, i0 + BLOCK);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(cols, j0 + BLOCK);
      for (let i = i0; i < i1; i++) {
        const row = offset + i * cols;
        for (let j = j0; j < j1; j++) out[outOffset + j * outStride + i] = source[row + j] as number;
      }
    }
  }
}

/** C (m x n) = Aᵀ·B where A is stored k x m and B is k x n. */
export function gemmTN(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void {
  if (backend?.gemmTN && m * k * n >= backend.minimumWork) {
    backend.gemmTN(a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate);
    return;
  }
  const t = scratchOf(m * k);
  transposeInto(a, aOffset, k, m, t);
  // The scratch buffer may be replaced by a nested call; keep our own reference.
  gemm(t, 0, b, bOffset, c, cOffset, m, k, n, accumulate);
}

/** C (m x n) = A·Bᵀ where A is m x k and B is stored n x k. */
export function gemmNT(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number, m: number, k: number, n: number, accumulate: boolean): void {
  if (backend?.gemmNT && m * k * n >= backend.minimumWork) {
    backend.gemmNT(a, aOffset, b, bOffset, c, cOffset, m, k, n, accumulate);
    return;
  }
  const t = scratchOf(k * n);
  transposeInto(b, bOffset, n, k, t);
  gemm(a, aOffset, t, 0, c, cOffset, m, k, n, accumulate);
}
