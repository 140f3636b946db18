import { instantiateGemm } from './wasm-gemm.ts';
import { floatMemory } from './wasm-module.ts';

/**
 * Direct (implicit-im2col) 1-D convolution, stride 1, in WebAssembly SIMD (the generalised
 * product `gemmx` of `wasm-gemm.ts`, on its own instance and memory). No patch matrix is built:
 * `gemmx` reads row p of its B operand at `b + (p div ki)·bOuter + (p mod ki)·bInner`, so row
 * (c, k) of the patch matrix is just the zero-padded input channel c shifted by k values.
 *
 * - forward, per sample: Y [F, T] (pre-filled with the bias) += W [F, C·K] · patches(xpad),
 *   ki = K, bInner = 4 bytes, ko = C, bOuter = one padded channel;
 * - dX, per sample: dXpad [C, Lp] = W' [C, F·K] · patches(dYpad), W'[c, f, k] = W[f, c, K−1−k]
 *   and dY zero-padded by K−1 on both sides (a "full" correlation), then the interior goes
 *   into dx;
 * - dW, per sample and channel: dW_c [F, K] += dY · H_cᵀ, H_cᵀ[t, k] = xpad[c, t + k] (a Hankel
 *   matrix: row t of B is the padded input from t on, read in place), accumulated over the
 *   batch in wasm memory; db from the same product against a channel of ones.
 * - fused with ReLU + max pool 4 (`forwardReluPool` / `backwardReluPool`): Y is pooled in place
 *   by the module's `reluMax4`, and the pooled gradient is scattered back into dY by
 *   `max4Backward`, so the full-size output and its gradient never leave wasm memory.
 *
 * The kernel is a 4 x 8 register tile (eight f32x4 accumulators), m a multiple of 4, n of 8;
 * padding rows and columns only reach padding entries of the output, which are never read back.
 * Only the operands' own size is copied in and out (no K-fold patch matrix).
 *
 * @example
 *   const kernel = createConvKernel(); // null without WebAssembly SIMD
 *   kernel?.forward(x, w, bias, out, { batch, channels, length, filters, kernel: 7, padding: 3 });
 */

type GemmxExport = (a: number, lda: number, aStep: number, b: number, bInner: number, ki: number, bOuter: number, ko: number, c: number, ldc: number, m: number, n: number) => void;

/** Geometry of one stride-1 1-D convolution: x [batch, channels, length], w [filters, channels, kernel]. */
export interface Conv1dShape {
  batch: number;
  channels: number;
  length: number;
  filters: number;
  kernel: number;
  padding: number;
}

export interface ConvKernel {
  /** out [N, F, T] = conv1d(x, w) + bias (out is overwritten). */
  forward(x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, s: Conv1dShape): void;
  /**
   * Adds the gradients for dY = grad [N, F, T] into gx, gw and gb (each when given); with
   * `freshGx` (gx known to be all zeros) gx is written instead of added to.
   */
  backward(x: Float32Array, w: Float32Array, grad: Float32Array, gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null, s: Conv1dShape, freshGx?: boolean): void;
  /**
   * maxPool1d(relu(conv1d(x, w) + bias), 4) without the convolution's output leaving wasm
   * memory: out [N, F, ⌊T/4⌋], `where` gets each window's first maximum (0–3, or 4 where the
   * window is not positive), as `reluMaxPool1d` does.
   */
  forwardReluPool(x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, where: Uint8Array, s: Conv1dShape): void;
  /** The backward of `forwardReluPool` for the pooled gradient g [N, F, ⌊T/4⌋]. */
  backwardReluPool(x: Float32Array, w: Float32Array, g: Float32Array, where: Uint8Array, gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null, s: Conv1dShape, freshGx?: boolean): void;
}

const up = (value: number, multiple: number): number => Math.ceil(value / multiple) * multiple;
/** Slack after every buffer: padding rows and columns read up to a few values past its end. */
const SLACK = 16;

/** The direct convolution kernel; null when the engine lacks WebAssembly SIMD. */
export function createConvKernel(): ConvKernel | null {
  const instance = instantiateGemm();
  if (!instance) return null;
  const gemmx = instance.exports['gemmx'] as GemmxExport;
  const reluMax4 = instance.exports['reluMax4'] as (x: number, out: number, where: number, windows: number) => void;
  const max4Backward = instance.exports['max4Backward'] as (g: number, where: number, gx: number, windows: number) => void;
  /** Grow to at least `floats` values; returns the (possibly new) view. Old views detach on grow. */
  const { reserve } = floatMemory(instance);

  /**
   * Y_n [Fp, Tp] = conv1d(x_n) + bias in wasm memory for each sample, handed to `use(n, v, yAt)`;
   * `extra` floats are reserved after Y for the caller.
   */
  const convolveSamples = (x: Float32Array, w: Float32Array, bias: Float32Array | null, s: Conv1dShape, extra: number, use: (n: number, v: Float32Array, yAt: number) => void): void => {
    const { batch, channels: C, length: L, filters: F, kernel: K, padding: p } = s;
    const patch = C * K;
    const Lp = L + 2 * p;
    const T = Lp - K + 1;
    const Fp = up(F, 4);
    const Tp = up(T, 8);
    // Layout (floats): W [Fp, patch] | xpad [C, Lp] + slack | Y [Fp, Tp] | extra
    const wAt = 0;
    const xAt = up(Fp * patch, 4);
    const yAt = up(xAt + C * Lp + SLACK, 4);
    const v = reserve(yAt + Fp * Tp + SLACK + extra);
    v.set(w.subarray(0, F * patch), wAt);
    v.fill(0, wAt + F * patch, xAt);
    v.fill(0, xAt, yAt);
    for (let n = 0; n < batch; n++) {
      if (p === 0) v.set(x.subarray(n * C * L, (n + 1) * C * L), xAt);
      else for (let c = 0; c < C; c++) v.set(x.subarray((n * C + c) * L, (n * C + c + 1) * L), xAt + c * Lp + p);
      for (let f = 0; f < Fp; f++) v.fill(bias && f < F ? (bias[f] as number) : 0, yAt + f * Tp, yAt + (f + 1) * Tp);
      gemmx(wAt * 4, patch * 4, 4, xAt * 4, 4, K, Lp * 4, C, yAt * 4, Tp * 4, Fp, Tp);
      use(n, v, yAt);
    }
  };

  const forward = (x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, s: Conv1dShape): void => {
    const { filters: F } = s;
    const T = s.length + 2 * s.padding - s.kernel + 1;
    const Tp = up(T, 8);
    convolveSamples(x, w, bias, s, 0, (n, v, yAt) => {
      const o = n * F * T;
      if (Tp === T) out.set(v.subarray(yAt, yAt + F * T), o);
      else for (let f = 0; f < F; f++) out.set(v.subarray(yAt + f * Tp, yAt + f * Tp + T), o + f * T);
    });
  };

  const forwardReluPool = (x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, where: Uint8Array, s: Conv1dShape): void => {
    const { filters: F } = s;
    const T = s.length + 2 * s.padding - s.kernel + 1;
    const Fp = up(F, 4);
    const Tp = up(T, 8);
    const outL = T >> 2;
    const windows = Fp * (Tp >> 2); // Y seen as windows of 4, Tp / 4 a row (a multiple of 4 in all)
    convolveSamples(x, w, bias, s, 2 * windows + 8, (n, v, yAt) => {
      const pooledAt = yAt + Fp * Tp + SLACK;
      const whereAt = pooledAt + windows;
      reluMax4(yAt * 4, pooledAt * 4, whereAt * 4, windows);
      const indices = new Int32Array(v.buffer, whereAt * 4, windows);
      for (let f = 0; f < F; f++) {
        const src = f * (Tp >> 2);
        const dst = (n * F + f) * outL;
        out.set(v.subarray(pooledAt + src, pooledAt + src + outL), dst);
        where.set(indices.subarray(src, src + outL), dst);
      }
    });
  };

  /** Shared backward; `pooled` gives dY from the pooled gradient and window indices instead of `grad`. */
  const backwardCore = (x: Float32Array, w: Float32Array, grad: Float32Array | null, pooled: { g: Float32Array; where: Uint8Array } | null, gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null, s: Conv1dShape, freshGx: boolean): void => {
    const { batch, channels: C, length: L, filters: F, kernel: K, padding: p } = s;
    const Lp = L + 2 * p;
    const T = Lp - K + 1;
    const Cp = up(C, 4);
    const Fp = up(F, 4);
    const Kp8 = up(K, 8);
    const Lp8 = up(Lp, 8);
    const Tq = T + 2 * (K - 1);
    // Layout (floats): W' [Cp, F·K] | xpad [C, Lp], then a channel of ones + slack | dYpad [Fp, Tq] + slack | dW [C + 1][Fp, Kp8] | dXpad [Cp, Lp8]
    // The ones channel gives the bias gradient from the same product as dW: dY·1.
    const wAt = 0;
    const xAt = up(Cp * F * K, 4);
    const onesAt = xAt + C * Lp;
    const dyAt = up(onesAt + Lp + SLACK, 4);
    const dwAt = up(dyAt + Fp * Tq + SLACK, 4);
    const dxAt = up(dwAt + (C + 1) * Fp * Kp8 + SLACK, 4);
    // Pooled form only: g [Fp, Tp/4] | where [Fp, Tp/4] (i32) | dense dY [Fp, Tp]
    const Tp = up(T, 8);
    const windows = Fp * (Tp >> 2);
    const outL = T >> 2;
    const gAt = up(dxAt + Cp * Lp8 + SLACK, 4);
    const whereAt = gAt + windows;
    const denseAt = whereAt + windows;
    const end = pooled ? denseAt + Fp * Tp + SLACK : dxAt + Cp * Lp8 + SLACK;
    const v = reserve(end);
    v.fill(0, 0, end);
    v.fill(1, onesAt, onesAt + Lp + SLACK);
    if (gx) {
      for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) for (let k = 0; k < K; k++) {
        v[wAt + c * F * K + f * K + (K - 1 - k)] = w[(f * C + c) * K + k] as number;
      }
    }
    for (let n = 0; n < batch; n++) {
      // dY zero-padded by K−1 each side.
      if (grad) {
        const g0 = n * F * T;
        for (let f = 0; f < F; f++) v.set(grad.subarray(g0 + f * T, g0 + (f + 1) * T), dyAt + f * Tq + K - 1);
      } else if (pooled) {
        // Scatter the pooled gradient to each window's maximum (index 4: nowhere), in wasm.
        const indices = new Int32Array(v.buffer, whereAt * 4, windows);
        indices.fill(4);
        for (let f = 0; f < F; f++) {
          const src = (n * F + f) * outL;
          v.set(pooled.g.subarray(src, src + outL), gAt + f * (Tp >> 2));
          indices.set(pooled.where.subarray(src, src + outL), f * (Tp >> 2));
        }
        max4Backward(gAt * 4, whereAt * 4, denseAt * 4, windows);
        for (let f = 0; f < F; f++) v.copyWithin(dyAt + f * Tq + K - 1, denseAt + f * Tp, denseAt + f * Tp + T);
      }
      if (gb) gemmx((dyAt + K - 1) * 4, Tq * 4, 4, onesAt * 4, 4, T, 0, 1, (dwAt + C * Fp * Kp8) * 4, Kp8 * 4, Fp, Kp8);
      if (gw) {
        // dW_c [F, K] += dY [F, T] · H_cᵀ, H_cᵀ[t, k] = xpad[c, t + k]: row t of B is xpad[c, t..], read in place.
        for (let c = 0; c < C; c++) v.set(x.subarray((n * C + c) * L, (n * C + c + 1) * L), xAt + c * Lp + p);
        for (let c = 0; c < C; c++) gemmx((dyAt + K - 1) * 4, Tq * 4, 4, (xAt + c * Lp) * 4, 4, T, 0, 1, (dwAt + c * Fp * Kp8) * 4, Kp8 * 4, Fp, Kp8);
      }
      if (gx) {
        v.fill(0, dxAt, dxAt + Cp * Lp8);
        gemmx(wAt * 4, F * K * 4, 4, dyAt * 4, 4, K, Tq * 4, F, dxAt * 4, Lp8 * 4, Cp, Lp8);
        const o = n * C * L;
        for (let c = 0; c < C; c++) {
          const src = dxAt + c * Lp8 + p;
          const dst = o + c * L;
          if (freshGx) gx.set(v.subarray(src, src + L), dst);
          else for (let i = 0; i < L; i++) gx[dst + i] += v[src + i] as number;
        }
      }
    }
    if (gb) for (let f = 0; f < F; f++) gb[f] += v[dwAt + (C * Fp + f) * Kp8] as number;
    if (gw) {
      for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
        const src = dwAt + (c * Fp + f) * Kp8;
        const dst = (f * C + c) * K;
        for (let k = 0; k < K; k++) gw[dst + k] += v[src + k] as number;
      }
    }
  };

  return {
    forward,
    backward: (x, w, grad, gx, gw, gb, s, freshGx = false) => backwardCore(x, w, grad, null, gx, gw, gb, s, freshGx),
    forwardReluPool,
    backwardReluPool: (x, w, g, where, gx, gw, gb, s, freshGx = false) => backwardCore(x, w, null, { g, where }, gx, gw, gb, s, freshGx),
  };
}
