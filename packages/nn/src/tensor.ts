import { CajalError } from '@cajal/core';

/**
 * Tensors for the hand-written learning core: row-major `Float32Array` data with a shape, plus
 * the bookkeeping for reverse-mode automatic differentiation. Every operation that takes a
 * tensor needing gradients records its parents and a closure that, given the output's gradient,
 * adds into the parents' gradients; `backward(loss)` walks that graph in reverse topological
 * order (a tape built implicitly, as in micrograd / PyTorch).
 *
 * @example
 *   const w = Tensor.from([1, 2, 3], [3], { requiresGrad: true });
 *   const loss = sum(mul(w, w));
 *   backward(loss);
 *   w.grad; // Float32Array [2, 4, 6]
 */
export class Tensor {
  /** Row-major values. */
  data: Float32Array;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Gradient of the last `backward` target with respect to this tensor (same layout as data). */
  grad: Float32Array | null = null;
  /** True for leaves we want gradients for (parameters) and for every tensor computed from one. */
  requiresGrad: boolean;
  /** Inputs this tensor was computed from (only kept when gradients are recorded). */
  parents: Tensor[] = [];
  /** Adds this tensor's gradient into its parents' gradients. */
  backwardStep: (() => void) | null = null;
  /** Optional name (parameters: "dense0.weight"). */
  name: string | undefined;

  constructor(data: Float32Array, shape: readonly number[], options: { requiresGrad?: boolean; name?: string } = {}) {
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new CajalError('INVALID_ARGUMENT', `tensor data has ${data.length} values but shape [${shape.join(', ')}] needs ${size}`, { field: 'shape' });
    }
    this.data = data;
    this.shape = shape.slice();
    this.requiresGrad = options.requiresGrad ?? false;
    this.name = options.name;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** A tensor from plain numbers (copied into a Float32Array). */
  static from(values: ArrayLike<number>, shape: readonly number[] = [values.length], options: { requiresGrad?: boolean; name?: string } = {}): Tensor {
    return new Tensor(Float32Array.from(values), shape, options);
  }

  /** A zero-filled tensor. */
  static zeros(shape: readonly number[], options: { requiresGrad?: boolean; name?: string } = {}): Tensor {
    return new Tensor(new Float32Array(shapeSize(shape)), shape, options);
  }

  /** The array the last `zeroGrad` dropped, zeroed and reused by the next `ensureGrad`. */
  private spareGrad: Float32Array | null = null;

  /** The gradient, allocated (zeroed) on first use. */
  ensureGrad(): Float32Array {
    if (!this.grad) {
      const spare = this.spareGrad;
      this.spareGrad = null;
      this.grad = spare && spare.length === this.data.length ? spare.fill(0) : new Float32Array(this.data.length);
    }
    return this.grad;
  }

  /**
   * Drop the gradient (parameters before each step): `grad` becomes null. The dropped array is
   * recycled by the next `ensureGrad` (zero-filled: cheaper than a fresh allocation, which for
   * large weights costs page faults and garbage collection every step), so a reference to an
   * old gradient kept across `zeroGrad` sees the next one: copy (`slice()`) what you keep.
   */
  zeroGrad(): void {
    if (this.grad) this.spareGrad = this.grad;
    this.grad = null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new CajalError('INVALID_ARGUMENT', `item() needs a one-element tensor, got shape [${this.shape.join(', ')}]`, { field: 'shape' });
    return this.data[0] as number;
  }

  /** A copy that is cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }
}

/** Product of the dimensions. */
export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new CajalError('INVALID_ARGUMENT', `invalid dimension ${d} in shape [${shape.join(', ')}]`, { field: 'shape' });
    size *= d;
  }
  return size;
}

let recording = true;

/** True while operations record the graph for `backward`. */
export function isGradEnabled(): boolean {
  return recording;
}

/**
 * Run `body` without recording gradients (inference, evaluation, optimiser updates).
 *
 * @example
 *   const logits = noGrad(() => model.forward(x, false));
 */
export function noGrad<T>(body: () => T): T {
  const previous = recording;
  recording = false;
  try {
    return body();
  } finally {
    recording = previous;
  }
}

/**
 * Make the result tensor of an operation and, when any input needs gradients, attach the
 * backward closure. `step(outGrad)` must add into `parent.ensureGrad()` for parents that
 * require gradients.
 */
export function result(data: Float32Array, shape: readonly number[], parents: Tensor[], step: (outGrad: Float32Array) => void): Tensor {
  const out = new Tensor(data, shape);
  if (recording && parents.some((p) => p.requiresGrad)) {
    out.requiresGrad = true;
    out.parents = parents;
    out.backwardStep = () => {
      if (out.grad) step(out.grad);
    };
  }
  return out;
}

/**
 * Reverse-mode sweep: sets d(target)/d(target) = 1 (or `seed`) and accumulates gradients into
 * every tensor that requires them. Intermediate gradients are released afterwards; leaf
 * gradients (parameters, inputs) are kept and accumulate across calls until `zeroGrad`.
 */
export function backward(target: Tensor, seed?: Float32Array): void {
  if (!target.requiresGrad) throw new CajalError('INVALID_ARGUMENT', 'backward() target does not depend on any tensor that requires gradients', { field: 'target' });
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative depth-first post-order (graphs of long sequences are deep).
  const stack: Array<[Tensor, number]> = [[target, 0]];
  visited.add(target);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as [Tensor, number];
    const [node, index] = top;
    if (index < node.parents.length) {
      top[1] = index + 1;
      const parent = node.parents[index] as Tensor;
      if (parent.requiresGrad && !visited.has(parent)) {
        visited.add(parent);
        stack.push([parent, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  const grad = target.ensureGrad();
  if (seed) grad.set(seed);
  else grad.fill(1);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as Tensor;
    if (node.backwardStep) {
      node.backwardStep();
      // Free interior gradients and the graph edges so memory does not pile up.
      node.grad = null;
      node.backwardStep = null;
      node.parents = [];
    }
  }
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** Throw INVALID_ARGUMENT naming the operation when `condition` fails. */
export function check(condition: boolean, operation: string, message: string): asserts condition {
  if (!condition) throw new CajalError('INVALID_ARGUMENT', `${operation}: ${message}`, { field: operation });
}
