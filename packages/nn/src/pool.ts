import { gemmBackend } from './kernels.ts';
import { type PoolKernel, createPoolKernel } from './wasm-pool.ts';
import { type Tensor, check, result, shapeSize } from './tensor.ts';

/**
 * Pooling, channels-first (PyTorch / ONNX layout): non-overlapping windows over the last axis of
 * [N, C, L] or the last two of [N, C, H, W], global means over every axis after the first two,
 * and the ReLU-fused forms `Sequential` uses (same values and gradients as ReLU then the pool).
 *
 * @example
 *   const p = maxPool1d(relu(y), 4); // y [8, 16, 256] → [8, 16, 64]
 */

function pool(x: Tensor, planes: number, height: number, width: number, ph: number, pw: number, kind: 'max' | 'average', outShape: number[]): Tensor {
  const outHeight = Math.floor(height / ph);
  const outWidth = Math.floor(width / pw);
  check(outHeight > 0 && outWidth > 0, 'pool', `window ${ph} x ${pw} larger than input ${height} x ${width}`);
  const out = new Float32Array(planes * outHeight * outWidth);
  const where = kind === 'max' ? new Int32Array(out.length) : null;
  const xd = x.data;
  const area = ph * pw;
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        let best = -Infinity;
        let bestIndex = 0;
        let total = 0;
        for (let i = 0; i < ph; i++) {
          const row = (p * height + oh * ph + i) * width + ow * pw;
          for (let j = 0; j < pw; j++) {
            const v = xd[row + j] as number;
            total += v;
            if (v > best) {
              best = v;
              bestIndex = row + j;
            }
          }
        }
        const o = (p * outHeight + oh) * outWidth + ow;
        if (where) {
          out[o] = best;
          where[o] = bestIndex;
        } else out[o] = total / area;
      }
    }
  }
  return result(out, outShape, [x], (g) => {
    const gx = x.ensureGrad();
    if (where) {
      for (let o = 0; o < where.length; o++) gx[where[o] as number] += g[o] as number;
      return;
    }
    for (let p = 0; p < planes; p++) for (let oh = 0; oh < outHeight; oh++) for (let ow = 0; ow < outWidth; ow++) {
      const share = (g[(p * outHeight + oh) * outWidth + ow] as number) / area;
      for (let i = 0; i < ph; i++) {
        const row = (p * height + oh * ph + i) * width + ow * pw;
        for (let j = 0; j < pw; j++) gx[row + j] += share;
      }
    }
  });
}

/** Max pooling over non-overlapping windows of `size` along the last axis of [N, C, L]. */
export function maxPool1d(x: Tensor, size: number): Tensor {
  return windowMax1d(x, size, 'maxPool1d', false);
}

/**
 * maxPool1d(relu(x), size) in one pass, without the full-size rectified tensor: max(0, window
 * max), and the gradient goes to the window's first maximum when that maximum is positive
 * (exactly what the two separate operations give). `Sequential` uses it for ReLU → MaxPool.
 */
export function reluMaxPool1d(x: Tensor, size: number): Tensor {
  return windowMax1d(x, size, 'reluMaxPool1d', true);
}

let poolKernel: PoolKernel | null | undefined;

/**
 * The window maxima of [N, C, L] (floored at 0 when `rectify`); the gradient goes to each
 * window's first maximum. Windows of 4 run in WebAssembly SIMD while an accelerated gemm is
 * installed (`wasm-pool.ts`; same values, indices and gradients as the loop below).
 */
function windowMax1d(x: Tensor, size: number, name: string, rectify: boolean): Tensor {
  check(x.shape.length === 3, name, `input must be [N, C, L], got [${x.shape.join(', ')}]`);
  const [n, c, l] = x.shape as [number, number, number];
  const outLength = Math.floor(l / size);
  check(outLength > 0, 'pool', `window ${size} larger than input ${l}`);
  const planes = n * c;
  if (size === 4 && gemmBackend()) {
    if (poolKernel === undefined) poolKernel = createPoolKernel();
    const kernel = poolKernel;
    if (kernel) {
      const out = new Float32Array(planes * outLength);
      const where = new Uint8Array(out.length);
      kernel.forward(x.data, planes, l, out, where, rectify);
      return result(out, [n, c, outLength], [x], (g) => {
        const fresh = x.grad === null;
        kernel.backward(g, where, x.ensureGrad(), planes, l, fresh);
      });
    }
  }
  const out = new Float32Array(planes * outLength);
  // Index of each window's maximum in x, or -1 where rectification zeroed the window.
  const where = new Int32Array(out.length);
  const xd = x.data;
  for (let p = 0; p < planes; p++) {
    for (let o = 0; o < outLength; o++) {
      const start = p * l + o * size;
      let best = xd[start] as number;
      let bestIndex = start;
      for (let j = start + 1; j < start + size; j++) {
        const v = xd[j] as number;
        if (v > best) {
          best = v;
          bestIndex = j;
        }
      }
      const k = p * outLength + o;
      if (rectify && !(best > 0)) where[k] = -1;
      else {
        out[k] = best;
        where[k] = bestIndex;
      }
    }
  }
  return result(out, [n, c, outLength], [x], (g) => {
    const gx = x.ensureGrad();
    for (let o = 0; o < where.length; o++) {
      const i = where[o] as number;
      if (i >= 0) gx[i] += g[o] as number;
    }
  });
}

/** Average pooling over non-overlapping windows of `size` along the last axis of [N, C, L]. */
export function avgPool1d(x: Tensor, size: number): Tensor {
  const [n, c, l] = x.shape as [number, number, number];
  return pool(x, n * c, 1, l, 1, size, 'average', [n, c, Math.floor(l / size)]);
}

/** Max pooling over non-overlapping size x size windows of [N, C, H, W]. */
export function maxPool2d(x: Tensor, size: number): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return pool(x, n * c, h, w, size, size, 'max', [n, c, Math.floor(h / size), Math.floor(w / size)]);
}

/** Average pooling over non-overlapping size x size windows of [N, C, H, W]. */
export function avgPool2d(x: Tensor, size: number): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return pool(x, n * c, h, w, size, size, 'average', [n, c, Math.floor(h / size), Math.floor(w / size)]);
}

/**
 * globalAvgPool(relu(x)) in one pass, without the full-size rectified tensor or its gradient:
 * the mean of max(0, x), and the gradient share goes to the positive inputs (exactly what the
 * two separate operations give). `Sequential` uses it for ReLU → GlobalAvgPool.
 */
export function reluGlobalAvgPool(x: Tensor): Tensor {
  return globalMean(x, 'reluGlobalAvgPool', true);
}

/** Mean over every axis after the first two: [N, C, ...] → [N, C]. */
export function globalAvgPool(x: Tensor): Tensor {
  return globalMean(x, 'globalAvgPool', false);
}

/** The mean over every axis after the first two (of max(0, x) when `rectify`). */
function globalMean(x: Tensor, name: string, rectify: boolean): Tensor {
  check(x.shape.length >= 3, name, `input must be [N, C, ...], got [${x.shape.join(', ')}]`);
  const n = x.shape[0] as number;
  const c = x.shape[1] as number;
  const inner = shapeSize(x.shape.slice(2));
  const out = new Float32Array(n * c);
  const xd = x.data;
  for (let p = 0; p < n * c; p++) {
    let s = 0;
    if (rectify) {
      for (let i = p * inner; i < (p + 1) * inner; i++) {
        const v = xd[i] as number;
        s += v * +(v > 0);
      }
    } else for (let i = p * inner; i < (p + 1) * inner; i++) s += xd[i] as number;
    out[p] = s / inner;
  }
  return result(out, [n, c], [x], (g) => {
    const gx = x.ensureGrad();
    for (let p = 0; p < n * c; p++) {
      const share = (g[p] as number) / inner;
      if (rectify) for (let i = p * inner; i < (p + 1) * inner; i++) gx[i] += share * +((xd[i] as number) > 0);
      else for (let i = p * inner; i < (p + 1) * inner; i++) gx[i] += share;
    }
  });
}
