import { gemm, gemmNT, gemmTN } from './kernels.ts';
import { Tensor, check, result, shapeSize, stridesOf } from './tensor.ts';

/**
 * Matrix products and shape operations with gradients.
 *
 * @example
 *   const y = linear(x, w, b);               // x [N, in], w [in, out], b [out] -> [N, out]
 *   const scores = matmul(q, k, false, true); // [B, T, d] · [B, S, d]ᵀ -> [B, T, S]
 */

/**
 * Matrix product of 2-D tensors or batched 3-D tensors (same batch), with optional transposes:
 * `transposeA` treats a's last two dims as swapped, likewise `transposeB`.
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  check(a.shape.length === b.shape.length && (a.shape.length === 2 || a.shape.length === 3), 'matmul', `needs two 2-D or two 3-D tensors, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  const batched = a.shape.length === 3;
  const batch = batched ? (a.shape[0] as number) : 1;
  if (batched) check(b.shape[0] === batch, 'matmul', `batch sizes differ: ${a.shape[0]} and ${b.shape[0]}`);
  const ar = a.shape[a.shape.length - 2] as number;
  const ac = a.shape[a.shape.length - 1] as number;
  const br = b.shape[b.shape.length - 2] as number;
  const bc = b.shape[b.shape.length - 1] as number;
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const kb = transposeB ? bc : br;
  const n = transposeB ? br : bc;
  check(k === kb, 'matmul', `inner dimensions differ: [${a.shape.join(', ')}]${transposeA ? 'ᵀ' : ''} · [${b.shape.join(', ')}]${transposeB ? 'ᵀ' : ''}`);
  const out = new Float32Array(batch * m * n);
  const aSize = ar * ac;
  const bSize = br * bc;
  const product = (x: Float32Array, xo: number, tx: boolean, y: Float32Array, yo: number, ty: boolean, z: Float32Array, zo: number, rows: number, inner: number, cols: number): void => {
    if (!tx && !ty) gemm(x, xo, y, yo, z, zo, rows, inner, cols, true);
    else if (tx && !ty) gemmTN(x, xo, y, yo, z, zo, rows, inner, cols, true);
    else if (!tx && ty) gemmNT(x, xo, y, yo, z, zo, rows, inner, cols, true);
    else {
      // Aᵀ·Bᵀ = (B·A)ᵀ: compute B·A into a temporary and transpose.
      const tmp = new Float32Array(rows * cols);
      gemm(y, yo, x, xo, tmp, 0, cols, inner, rows, false);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) z[zo + i * cols + j] += tmp[j * rows + i] as number;
    }
  };
  for (let s = 0; s < batch; s++) product(a.data, s * aSize, transposeA, b.data, s * bSize, transposeB, out, s * m * n, m, k, n);
  const shape = batched ? [batch, m, n] : [m, n];
  return result(out, shape, [a, b], (g) => {
    for (let s = 0; s < batch; s++) {
      const go = s * m * n;
      if (a.requiresGrad) {
        const ga = a.ensureGrad();
        // dA = dC·Bᵀ (no transposes); with transposeA, dA = (dC·B')ᵀ, computed as B'·dCᵀ forms.
        if (!transposeA) product(g, go, false, b.data, s * bSize, !transposeB, ga, s * aSize, m, n, k);
        else product(b.data, s * bSize, transposeB, g, go, true, ga, s * aSize, k, n, m);
      }
      if (b.requiresGrad) {
        const gb = b.ensureGrad();
        if (!transposeB) product(a.data, s * aSize, !transposeA, g, go, false, gb, s * bSize, k, m, n);
        else product(g, go, true, a.data, s * aSize, transposeA, gb, s * bSize, n, m, k);
      }
    }
  });
}

/** Fused dense layer y = x·w + b: x [N, in], w [in, out], b [out] (optional). */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  check(x.shape.length === 2 && w.shape.length === 2 && x.shape[1] === w.shape[0], 'linear', `x [${x.shape.join(', ')}] does not fit weight [${w.shape.join(', ')}]`);
  const rows = x.shape[0] as number;
  const inputs = w.shape[0] as number;
  const outputs = w.shape[1] as number;
  if (b) check(b.size === outputs, 'linear', `bias has ${b.size} values, expected ${outputs}`);
  const out = new Float32Array(rows * outputs);
  if (b) for (let r = 0; r < rows; r++) out.set(b.data, r * outputs);
  gemm(x.data, 0, w.data, 0, out, 0, rows, inputs, outputs, true);
  const parents = b ? [x, w, b] : [x, w];
  return result(out, [rows, outputs], parents, (g) => {
    // A gradient not yet allocated is written, not added to (saves copying zeros into the kernel).
    if (x.requiresGrad) {
      const accumulate = x.grad !== null;
      gemmNT(g, 0, w.data, 0, x.ensureGrad(), 0, rows, outputs, inputs, accumulate);
    }
    if (w.requiresGrad) {
      const accumulate = w.grad !== null;
      gemmTN(x.data, 0, g, 0, w.ensureGrad(), 0, inputs, rows, outputs, accumulate);
    }
    if (b && b.requiresGrad) {
      const gb = b.ensureGrad();
      for (let r = 0; r < rows; r++) {
        const base = r * outputs;
        for (let j = 0; j < outputs; j++) gb[j] += g[base + j] as number;
      }
    }
  });
}

/** Same values, new shape (one dimension may be −1). Shares the input's storage (operations never write into their inputs). */
export function reshape(a: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1);
  const knownSize = shapeSize(known);
  const resolved = shape.map((d) => (d === -1 ? a.size / knownSize : d));
  check(shapeSize(resolved) === a.size, 'reshape', `cannot reshape [${a.shape.join(', ')}] to [${shape.join(', ')}]`);
  return result(a.data, resolved, [a], (g) => {
    const ga = a.ensureGrad();
    for (let i = 0; i < ga.length; i++) ga[i] += g[i] as number;
  });
}

/** Permute dimensions: `order[i]` is the input axis that becomes output axis i. */
export function transpose(a: Tensor, order?: readonly number[]): Tensor {
  const rank = a.shape.length;
  const perm = order ?? a.shape.map((_d, i) => rank - 1 - i);
  check(perm.length === rank && new Set(perm).size === rank && perm.every((p) => p >= 0 && p < rank), 'transpose', `bad permutation [${perm.join(', ')}] for rank ${rank}`);
  const outShape = perm.map((p) => a.shape[p] as number);
  const inStrides = stridesOf(a.shape);
  const strides = perm.map((p) => inStrides[p] as number);
  const size = a.size;
  const index = new Int32Array(size);
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let e = 0; e < size; e++) {
    index[e] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis] = (counter[axis] as number) + 1;
      offset += strides[axis] as number;
      if ((counter[axis] as number) < (outShape[axis] as number)) break;
      offset -= (strides[axis] as number) * (outShape[axis] as number);
      counter[axis] = 0;
    }
  }
  const out = new Float32Array(size);
  const ad = a.data;
  for (let e = 0; e < size; e++) out[e] = ad[index[e] as number] as number;
  return result(out, outShape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let e = 0; e < size; e++) ga[index[e] as number] += g[e] as number;
  });
}

/** Join tensors along `axis` (other dims must agree). */
export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  check(tensors.length > 0, 'concat', 'needs at least one tensor');
  const first = tensors[0] as Tensor;
  const rank = first.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  for (const t of tensors) {
    check(t.shape.length === rank && t.shape.every((d, i) => i === ax || d === first.shape[i]), 'concat', `shape [${t.shape.join(', ')}] does not match [${first.shape.join(', ')}] off axis ${ax}`);
  }
  const outer = shapeSize(first.shape.slice(0, ax));
  const inner = shapeSize(first.shape.slice(ax + 1));
  const lengths = tensors.map((t) => (t.shape[ax] as number) * inner);
  const total = lengths.reduce((p, q) => p + q, 0);
  const out = new Float32Array(outer * total);
  let start = 0;
  tensors.forEach((t, index) => {
    const len = lengths[index] as number;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * len, (o + 1) * len), o * total + start);
    start += len;
  });
  const shape = first.shape.slice();
  shape[ax] = total / inner;
  return result(out, shape, tensors.slice(), (g) => {
    let begin = 0;
    tensors.forEach((t, index) => {
      const len = lengths[index] as number;
      if (t.requiresGrad) {
        const gt = t.ensureGrad();
        for (let o = 0; o < outer; o++) {
          const src = o * total + begin;
          for (let i = 0; i < len; i++) gt[o * len + i] += g[src + i] as number;
        }
      }
      begin += len;
    });
  });
}

/** Elements [start, end) along `axis`. */
export function slice(a: Tensor, axis: number, start: number, end: number): Tensor {
  const rank = a.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  const length = a.shape[ax] as number;
  check(start >= 0 && end <= length && start <= end, 'slice', `range [${start}, ${end}) outside axis of length ${length}`);
  const outer = shapeSize(a.shape.slice(0, ax));
  const inner = shapeSize(a.shape.slice(ax + 1));
  const width = (end - start) * inner;
  const out = new Float32Array(outer * width);
  for (let o = 0; o < outer; o++) out.set(a.data.subarray((o * length + start) * inner, (o * length + start) * inner + width), o * width);
  const shape = a.shape.slice();
  shape[ax] = end - start;
  return result(out, shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let o = 0; o < outer; o++) {
      const base = (o * length + start) * inner;
      for (let i = 0; i < width; i++) ga[base + i] += g[o * width + i] as number;
    }
  });
}
