import { gemm, gemmBackend, gemmNT, gemmTN } from './kernels.ts';
import { type Conv1dShape, type ConvKernel, createConvKernel } from './wasm-conv.ts';
import { reluMaxPool1d } from './pool.ts';
import { Tensor, check, result } from './tensor.ts';

/**
 * Convolutions, channels-first (PyTorch / ONNX layout): conv1d input [N, C, L],
 * weight [F, C, K]; conv2d input [N, C, H, W], weight [F, C, KH, KW]. Implemented as im2col
 * (the input patches laid out as a [C·KH·KW, outH·outW] matrix per sample) followed by the
 * blocked matrix product, so the hot loop is `gemm`. The 1-D forms run the 2-D code with H = 1;
 * stride-1 conv1d runs the direct WebAssembly kernel (`wasm-conv.ts`) while an accelerated gemm
 * is installed. Pooling is in `pool.ts`.
 *
 * @example
 *   const y = conv1d(x, w, b, { stride: 1, padding: 3 }); // x [8, 1, 256], w [16, 1, 7]
 *   const p = maxPool1d(relu(y), 4);                    // [8, 16, 64]
 */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Zeros added at both ends (default 0). */
  padding?: number;
}

export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
}

interface Geometry {
  batch: number;
  channels: number;
  height: number;
  width: number;
  filters: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight: number;
  strideWidth: number;
  padHeight: number;
  padWidth: number;
  outHeight: number;
  outWidth: number;
}

/** Patches of one sample into rows of `cols` (row r starts at colsOffset + r·rowStride). */
function im2col(x: Float32Array, offset: number, g: Geometry, cols: Float32Array, colsOffset: number, rowStride: number): void {
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    const plane = offset + c * g.height * g.width;
    for (let kh = 0; kh < g.kernelHeight; kh++) {
      for (let kw = 0; kw < g.kernelWidth; kw++) {
        const base = colsOffset + row * rowStride;
        for (let oh = 0; oh < g.outHeight; oh++) {
          const ih = oh * g.strideHeight + kh - g.padHeight;
          const dst = base + oh * g.outWidth;
          if (ih < 0 || ih >= g.height) {
            cols.fill(0, dst, dst + g.outWidth);
            continue;
          }
          const src = plane + ih * g.width;
          if (g.strideWidth === 1) {
            // Contiguous run: zeros where the window hangs over the padding, a copy in between.
            const first = Math.min(g.outWidth, Math.max(0, g.padWidth - kw));
            const last = Math.max(first, Math.min(g.outWidth, g.width + g.padWidth - kw));
            if (first > 0) cols.fill(0, dst, dst + first);
            cols.set(x.subarray(src + first + kw - g.padWidth, src + last + kw - g.padWidth), dst + first);
            if (last < g.outWidth) cols.fill(0, dst + last, dst + g.outWidth);
            continue;
          }
          for (let ow = 0; ow < g.outWidth; ow++) {
            const iw = ow * g.strideWidth + kw - g.padWidth;
            cols[dst + ow] = iw >= 0 && iw < g.width ? (x[src + iw] as number) : 0;
          }
        }
        row++;
      }
    }
  }
}

function col2im(cols: Float32Array, colsOffset: number, rowStride: number, g: Geometry, gx: Float32Array, offset: number): void {
  let row = 0;
  for (let c = 0; c < g.channels; c++) {
    const plane = offset + c * g.height * g.width;
    for (let kh = 0; kh < g.kernelHeight; kh++) {
      for (let kw = 0; kw < g.kernelWidth; kw++) {
        const base = colsOffset + row * rowStride;
        for (let oh = 0; oh < g.outHeight; oh++) {
          const ih = oh * g.strideHeight + kh - g.padHeight;
          if (ih < 0 || ih >= g.height) continue;
          const src = base + oh * g.outWidth;
          const dst = plane + ih * g.width;
          if (g.strideWidth === 1) {
            const first = Math.min(g.outWidth, Math.max(0, g.padWidth - kw));
            const last = Math.max(first, Math.min(g.outWidth, g.width + g.padWidth - kw));
            const shift = dst + kw - g.padWidth;
            for (let ow = first; ow < last; ow++) gx[shift + ow] += cols[src + ow] as number;
            continue;
          }
          for (let ow = 0; ow < g.outWidth; ow++) {
            const iw = ow * g.strideWidth + kw - g.padWidth;
            if (iw >= 0 && iw < g.width) gx[dst + iw] += cols[src + ow] as number;
          }
        }
        row++;
      }
    }
  }
}

/**
 * Recycled patch matrices. A fresh multi-megabyte Float32Array costs far more in page faults
 * than its use (about 5 ms per 8 MB here), and the patches are pure scratch: im2col overwrites
 * every value, and they die with the backward pass (or at once when nothing records gradients).
 * A few are kept, matched by exact length; contents never leak into results.
 */
const patchPool: Float32Array[] = [];
const PATCH_POOL_SIZE = 8;

function takePatches(size: number): Float32Array {
  for (let i = patchPool.length - 1; i >= 0; i--) {
    if ((patchPool[i] as Float32Array).length === size) return patchPool.splice(i, 1)[0] as Float32Array;
  }
  return new Float32Array(size);
}

function givePatches(buffer: Float32Array): void {
  if (patchPool.length >= PATCH_POOL_SIZE) patchPool.shift();
  patchPool.push(buffer);
}

/**
 * One product per sample on its own patch matrix, cols [N][patch][outSize], so every operand
 * is already in the layout the next step wants: the forward gemm W [F, patch] · cols_n writes
 * the sample's output [F, outSize] in place (on top of the bias), and the backward products
 * read dY_n straight from the output gradient [N, F, outSize] (no gathering or re-layout):
 * dW += dY_n·cols_nᵀ (or dWᵀ += cols_n·dY_nᵀ when F < patch, so the smaller operand is the
 * transposed one), dcols_n = Wᵀ·dY_n, then col2im.
 */
function convolve(x: Tensor, weight: Tensor, bias: Tensor | undefined, g: Geometry, outShape: number[]): Tensor {
  const patch = g.channels * g.kernelHeight * g.kernelWidth;
  const outSize = g.outHeight * g.outWidth;
  const inSize = g.channels * g.height * g.width;
  check(g.outHeight > 0 && g.outWidth > 0, 'conv', `kernel larger than padded input (output ${g.outHeight} x ${g.outWidth})`);
  const colsSize = patch * outSize;
  const outStride = g.filters * outSize;
  const cols = takePatches(g.batch * colsSize);
  const out = new Float32Array(g.batch * outStride);
  const w = weight.data;
  for (let n = 0; n < g.batch; n++) {
    im2col(x.data, n * inSize, g, cols, n * colsSize, outSize);
    if (bias) for (let f = 0; f < g.filters; f++) out.fill(bias.data[f] as number, n * outStride + f * outSize, n * outStride + (f + 1) * outSize);
    gemm(w, 0, cols, n * colsSize, out, n * outStride, g.filters, patch, outSize, bias !== undefined);
  }
  const parents = bias ? [x, weight, bias] : [x, weight];
  const y = result(out, outShape, parents, (grad) => {
    const gb = bias && bias.requiresGrad ? bias.ensureGrad() : null;
    if (gb) {
      for (let f = 0; f < g.filters; f++) {
        let s = 0;
        for (let n = 0; n < g.batch; n++) {
          const start = n * outStride + f * outSize;
          for (let i = start; i < start + outSize; i++) s += grad[i] as number;
        }
        gb[f] += s;
      }
    }
    if (weight.requiresGrad) {
      const gw = weight.ensureGrad();
      if (g.filters < patch) {
        const gwT = new Float32Array(patch * g.filters);
        for (let n = 0; n < g.batch; n++) gemmNT(cols, n * colsSize, grad, n * outStride, gwT, 0, patch, outSize, g.filters, true);
        for (let f = 0; f < g.filters; f++) for (let q = 0; q < patch; q++) gw[f * patch + q] += gwT[q * g.filters + f] as number;
      } else for (let n = 0; n < g.batch; n++) gemmNT(grad, n * outStride, cols, n * colsSize, gw, 0, g.filters, outSize, patch, true);
    }
    if (x.requiresGrad) {
      const gx = x.ensureGrad();
      const dcols = cols; // the patches are no longer needed
      for (let n = 0; n < g.batch; n++) {
        gemmTN(w, 0, grad, n * outStride, dcols, n * colsSize, patch, g.filters, outSize, false);
        col2im(dcols, n * colsSize, outSize, g, gx, n * inSize);
      }
    }
    givePatches(cols);
  });
  if (!y.requiresGrad) givePatches(cols);
  return y;
}

let convKernel: ConvKernel | null | undefined;
/** The direct WebAssembly SIMD convolution (created on first use; null without SIMD). */
function directKernel(): ConvKernel | null {
  if (convKernel === undefined) convKernel = createConvKernel();
  return convKernel;
}

/** The direct kernel's geometry for x [N, C, L] and weight [F, C, K]. */
function directShape(x: Tensor, weight: Tensor, padding: number): Conv1dShape {
  const [batch, channels, length] = x.shape as [number, number, number];
  const [filters, , kernel] = weight.shape as [number, number, number];
  return { batch, channels, length, filters, kernel, padding };
}

/**
 * The direct kernel's gradient targets (null where none is wanted); `fresh`: x's gradient did
 * not exist yet (all zeros, so the kernel writes it instead of adding).
 */
function directGradients(x: Tensor, weight: Tensor, bias: Tensor | undefined): { gx: Float32Array | null; gw: Float32Array | null; gb: Float32Array | null; fresh: boolean } {
  const fresh = x.grad === null;
  const gx = x.requiresGrad ? x.ensureGrad() : null;
  const gw = weight.requiresGrad ? weight.ensureGrad() : null;
  const gb = bias && bias.requiresGrad ? bias.ensureGrad() : null;
  return { gx, gw, gb, fresh };
}

/**
 * Stride-1 conv1d without a patch matrix (`wasm-conv.ts`): used while an accelerated gemm is
 * installed (the wasm one by default; `setGemmBackend(null)` gives the im2col + JS path).
 */
function conv1dDirect(kernel: ConvKernel, x: Tensor, weight: Tensor, bias: Tensor | undefined, padding: number, outWidth: number): Tensor {
  const shape = directShape(x, weight, padding);
  const { batch, filters } = shape;
  const out = new Float32Array(batch * filters * outWidth);
  kernel.forward(x.data, weight.data, bias ? bias.data : null, out, shape);
  return result(out, [batch, filters, outWidth], bias ? [x, weight, bias] : [x, weight], (grad) => {
    const { gx, gw, gb, fresh } = directGradients(x, weight, bias);
    kernel.backward(x.data, weight.data, grad, gx, gw, gb, shape, fresh);
  });
}

/**
 * maxPool1d(relu(conv1d(x, weight, bias, { padding })), 4) as one operation: with the direct
 * SIMD kernel the convolution's output never leaves wasm memory (no full-size output, no
 * full-size gradient, no copies of either); same values and gradients as the three operations
 * (which run instead without the kernel, or for other strides and windows). `Sequential` uses
 * it for Conv1d (stride 1) → ReLU → MaxPool(4).
 */
export function conv1dReluMaxPool(x: Tensor, weight: Tensor, bias: Tensor | undefined, options: Conv1dOptions = {}, size = 4): Tensor {
  const stride = options.stride ?? 1;
  const padding = options.padding ?? 0;
  const kernel = stride === 1 && size === 4 && gemmBackend() && x.shape.length === 3 && weight.shape.length === 3 && x.shape[1] === weight.shape[1] ? directKernel() : null;
  const outWidth = x.shape.length === 3 && weight.shape.length === 3 ? (x.shape[2] as number) + 2 * padding - (weight.shape[2] as number) + 1 : 0;
  if (!kernel || outWidth < 4) return reluMaxPool1d(conv1d(x, weight, bias, options), size);
  const shape = directShape(x, weight, padding);
  const { batch, filters } = shape;
  const pooled = outWidth >> 2;
  const out = new Float32Array(batch * filters * pooled);
  const where = new Uint8Array(out.length);
  kernel.forwardReluPool(x.data, weight.data, bias ? bias.data : null, out, where, shape);
  return result(out, [batch, filters, pooled], bias ? [x, weight, bias] : [x, weight], (g) => {
    const { gx, gw, gb, fresh } = directGradients(x, weight, bias);
    kernel.backwardReluPool(x.data, weight.data, g, where, gx, gw, gb, shape, fresh);
  });
}

/** 1-D convolution: x [N, C, L], weight [F, C, K], bias [F] → [N, F, ⌊(L + 2p − K)/s⌋ + 1]. */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor, options: Conv1dOptions = {}): Tensor {
  check(x.shape.length === 3 && weight.shape.length === 3 && x.shape[1] === weight.shape[1], 'conv1d', `input [${x.shape.join(', ')}] does not fit weight [${weight.shape.join(', ')}] (want [N, C, L] and [F, C, K])`);
  const stride = options.stride ?? 1;
  const padding = options.padding ?? 0;
  const [batch, channels, length] = x.shape as [number, number, number];
  const [filters, , kernel] = weight.shape as [number, number, number];
  const outWidth = Math.floor((length + 2 * padding - kernel) / stride) + 1;
  check(outWidth > 0, 'conv', `kernel larger than padded input (output 1 x ${outWidth})`);
  const direct = stride === 1 && gemmBackend() ? directKernel() : null;
  if (direct) return conv1dDirect(direct, x, weight, bias, padding, outWidth);
  const g: Geometry = { batch, channels, height: 1, width: length, filters, kernelHeight: 1, kernelWidth: kernel, strideHeight: 1, strideWidth: stride, padHeight: 0, padWidth: padding, outHeight: 1, outWidth };
  return convolve(x, weight, bias, g, [batch, filters, outWidth]);
}

function pair(value: number | [number, number] | undefined, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : value;
}

/** 2-D convolution: x [N, C, H, W], weight [F, C, KH, KW], bias [F]. */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor, options: Conv2dOptions = {}): Tensor {
  check(x.shape.length === 4 && weight.shape.length === 4 && x.shape[1] === weight.shape[1], 'conv2d', `input [${x.shape.join(', ')}] does not fit weight [${weight.shape.join(', ')}] (want [N, C, H, W] and [F, C, KH, KW])`);
  const [sh, sw] = pair(options.stride, 1);
  const [ph, pw] = pair(options.padding, 0);
  const [batch, channels, height, width] = x.shape as [number, number, number, number];
  const [filters, , kh, kw] = weight.shape as [number, number, number, number];
  const outHeight = Math.floor((height + 2 * ph - kh) / sh) + 1;
  const outWidth = Math.floor((width + 2 * pw - kw) / sw) + 1;
  const g: Geometry = { batch, channels, height, width, filters, kernelHeight: kh, kernelWidth: kw, strideHeight: sh, strideWidth: sw, padHeight: ph, padWidth: pw, outHeight, outWidth };
  return convolve(x, weight, bias, g, [batch, filters, outHeight, outWidth]);
}
