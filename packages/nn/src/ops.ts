import { Tensor, check, result, shapeSize, stridesOf } from './tensor.ts';

/**
 * Elementwise operations (with NumPy broadcasting) and reductions, each with its gradient.
 * Shapes broadcast from the right: [4, 3] with [3] or [4, 1] or [1] works.
 *
 * @example
 *   const y = add(mul(x, w), b);     // x [N, 3], w [3], b [1]
 *   const total = sum(y);            // scalar
 */

/** The broadcast shape of two shapes, or an error naming the operation. */
export function broadcastShape(a: readonly number[], b: readonly number[], operation: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    check(da === db || da === 1 || db === 1, operation, `shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** For each output element, the index into an input of `shape` broadcast to `outShape`. */
function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array | null {
  const size = shapeSize(outShape);
  if (shapeSize(shape) === size) return null; // same layout
  const rank = outShape.length;
  const inStrides = stridesOf(shape);
  const strides = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const axis = rank - shape.length + i;
    strides[axis] = (shape[i] as number) === 1 ? 0 : (inStrides[i] as number);
  }
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
  return index;
}

/** Suffix broadcast (b's shape equals the trailing dims of the output): index = e % b.size. */
function isSuffix(shape: readonly number[], outShape: readonly number[]): boolean {
  if (shape.length > outShape.length) return false;
  const skip = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== outShape[skip + i]) return false;
  return true;
}

type Binary = (x: number, y: number) => number;

function binary(a: Tensor, b: Tensor, operation: string, f: Binary, dfa: Binary | null, dfb: Binary | null): Tensor {
  const outShape = broadcastShape(a.shape, b.shape, operation);
  const size = shapeSize(outShape);
  const out = new Float32Array(size);
  const ad = a.data;
  const bd = b.data;
  const aSame = a.size === size;
  const bSame = b.size === size;
  const aSuffix = !aSame && isSuffix(a.shape, outShape);
  const bSuffix = !bSame && isSuffix(b.shape, outShape);
  const ai = aSame || aSuffix ? null : broadcastIndex(a.shape, outShape);
  const bi = bSame || bSuffix ? null : broadcastIndex(b.shape, outShape);
  const aAt = (e: number): number => (aSame ? e : aSuffix ? e % a.size : (ai as Int32Array)[e] as number);
  const bAt = (e: number): number => (bSame ? e : bSuffix ? e % b.size : (bi as Int32Array)[e] as number);
  if (aSame && bSame) {
    for (let e = 0; e < size; e++) out[e] = f(ad[e] as number, bd[e] as number);
  } else {
    for (let e = 0; e < size; e++) out[e] = f(ad[aAt(e)] as number, bd[bAt(e)] as number);
  }
  return result(out, outShape, [a, b], (g) => {
    if (a.requiresGrad && dfa) {
      const ga = a.ensureGrad();
      for (let e = 0; e < size; e++) {
        const ia = aAt(e);
        ga[ia] += (g[e] as number) * dfa(ad[ia] as number, bd[bAt(e)] as number);
      }
    }
    if (b.requiresGrad && dfb) {
      const gb = b.ensureGrad();
      for (let e = 0; e < size; e++) {
        const ib = bAt(e);
        gb[ib] += (g[e] as number) * dfb(ad[aAt(e)] as number, bd[ib] as number);
      }
    }
  });
}

/** a + b (broadcasting). */
export function add(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'add', (x, y) => x + y, () => 1, () => 1);
}

/** a − b (broadcasting). */
export function sub(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'sub', (x, y) => x - y, () => 1, () => -1);
}

/** a · b elementwise (broadcasting). */
export function mul(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'mul', (x, y) => x * y, (_x, y) => y, (x) => x);
}

/** a / b elementwise (broadcasting). */
export function div(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'div', (x, y) => x / y, (_x, y) => 1 / y, (x, y) => -x / (y * y));
}

/** max(a, b) elementwise (gradient goes to the larger; to `a` on ties). */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'maximum', (x, y) => (x >= y ? x : y), (x, y) => (x >= y ? 1 : 0), (x, y) => (x >= y ? 0 : 1));
}

function unary(a: Tensor, f: (x: number) => number, df: (x: number, y: number) => number): Tensor {
  const n = a.size;
  const out = new Float32Array(n);
  const ad = a.data;
  for (let i = 0; i < n; i++) out[i] = f(ad[i] as number);
  return result(out, a.shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let i = 0; i < n; i++) ga[i] += (g[i] as number) * df(ad[i] as number, out[i] as number);
  });
}

/** −a. */
export function neg(a: Tensor): Tensor {
  return unary(a, (x) => -x, () => -1);
}

/** a · s for a number s. */
export function scale(a: Tensor, s: number): Tensor {
  return unary(a, (x) => x * s, () => s);
}

/** a + s for a number s. */
export function addScalar(a: Tensor, s: number): Tensor {
  return unary(a, (x) => x + s, () => 1);
}

/** eᵃ. */
export function exp(a: Tensor): Tensor {
  return unary(a, Math.exp, (_x, y) => y);
}

/** ln a. */
export function log(a: Tensor): Tensor {
  return unary(a, Math.log, (x) => 1 / x);
}

/** √a. */
export function sqrt(a: Tensor): Tensor {
  return unary(a, Math.sqrt, (_x, y) => 0.5 / y);
}

/** a². */
export function square(a: Tensor): Tensor {
  return unary(a, (x) => x * x, (x) => 2 * x);
}

/** |a| (gradient sign(a), 0 at 0). */
export function abs(a: Tensor): Tensor {
  return unary(a, Math.abs, (x) => Math.sign(x));
}

/** max(0, a). */
export function relu(a: Tensor): Tensor {
  // Written out (not through unary) because it runs on every activation of every network.
  // Branch-free (multiplying by the 0/1 of the comparison): on activations whose signs are
  // close to random a branch mispredicts about every other value (≈ 4 ns against ≈ 1 ns a
  // value here). "+ 0" turns the −0 of negative·0 into +0.
  const n = a.size;
  const ad = a.data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = ad[i] as number;
    out[i] = v * +(v > 0) + 0;
  }
  return result(out, a.shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let i = 0; i < n; i++) ga[i] += (g[i] as number) * +((ad[i] as number) > 0);
  });
}

/** Leaky ReLU with slope `alpha` (default 0.01) below zero. */
export function leakyRelu(a: Tensor, alpha = 0.01): Tensor {
  return unary(a, (x) => (x > 0 ? x : alpha * x), (x) => (x > 0 ? 1 : alpha));
}

/** Logistic sigmoid 1 / (1 + e⁻ᵃ). */
export function sigmoid(a: Tensor): Tensor {
  return unary(a, sigmoidValue, (_x, y) => y * (1 - y));
}

/** Hyperbolic tangent. */
export function tanh(a: Tensor): Tensor {
  return unary(a, Math.tanh, (_x, y) => 1 - y * y);
}

/** Numerically safe logistic function on a number. */
export function sigmoidValue(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Normalise a possibly negative axis. */
export function normalizeAxis(axis: number, rank: number, operation: string): number {
  const a = axis < 0 ? axis + rank : axis;
  check(Number.isInteger(a) && a >= 0 && a < rank, operation, `axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** Sum of all elements (no axis) or along `axis` (removed unless keepDims). */
export function sum(a: Tensor, axis?: number, keepDims = false): Tensor {
  if (axis === undefined) {
    let total = 0;
    const ad = a.data;
    for (let i = 0; i < ad.length; i++) total += ad[i] as number;
    return result(Float32Array.of(total), [], [a], (g) => {
      const ga = a.ensureGrad();
      const gv = g[0] as number;
      for (let i = 0; i < ga.length; i++) ga[i] += gv;
    });
  }
  const ax = normalizeAxis(axis, a.shape.length, 'sum');
  const outer = shapeSize(a.shape.slice(0, ax));
  const length = a.shape[ax] as number;
  const inner = shapeSize(a.shape.slice(ax + 1));
  const out = new Float32Array(outer * inner);
  const ad = a.data;
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < length; l++) {
      const base = (o * length + l) * inner;
      for (let i = 0; i < inner; i++) out[o * inner + i] += ad[base + i] as number;
    }
  }
  const shape = keepDims ? a.shape.map((d, i) => (i === ax ? 1 : d)) : a.shape.filter((_d, i) => i !== ax);
  return result(out, shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let o = 0; o < outer; o++) {
      for (let l = 0; l < length; l++) {
        const base = (o * length + l) * inner;
        for (let i = 0; i < inner; i++) ga[base + i] += g[o * inner + i] as number;
      }
    }
  });
}

/** Mean of all elements or along `axis`. */
export function mean(a: Tensor, axis?: number, keepDims = false): Tensor {
  const count = axis === undefined ? a.size : (a.shape[normalizeAxis(axis, a.shape.length, 'mean')] as number);
  return scale(sum(a, axis, keepDims), 1 / count);
}

/** Maximum along `axis` (removed unless keepDims); gradient goes to the first maximum. */
export function max(a: Tensor, axis: number, keepDims = false): Tensor {
  const ax = normalizeAxis(axis, a.shape.length, 'max');
  const outer = shapeSize(a.shape.slice(0, ax));
  const length = a.shape[ax] as number;
  const inner = shapeSize(a.shape.slice(ax + 1));
  check(length > 0, 'max', 'empty axis');
  const out = new Float32Array(outer * inner);
  const where = new Int32Array(outer * inner);
  const ad = a.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = -Infinity;
      let bestIndex = 0;
      for (let l = 0; l < length; l++) {
        const index = (o * length + l) * inner + i;
        const v = ad[index] as number;
        if (v > best) {
          best = v;
          bestIndex = index;
        }
      }
      out[o * inner + i] = best;
      where[o * inner + i] = bestIndex;
    }
  }
  const shape = keepDims ? a.shape.map((d, i) => (i === ax ? 1 : d)) : a.shape.filter((_d, i) => i !== ax);
  return result(out, shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let e = 0; e < where.length; e++) ga[where[e] as number] += g[e] as number;
  });
}
