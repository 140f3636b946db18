import { CajalError } from '@cajal/core';
import { gemmBackend } from './kernels.ts';
import type { Tensor } from './tensor.ts';
import { type AdamKernel, createAdamKernel } from './wasm-adam.ts';

/**
 * Optimisers (SGD with momentum, Adam, AdamW), gradient-norm clipping and learning-rate
 * schedules. An optimiser updates parameter data in place from their `.grad`.
 *
 * @example
 *   const optimizer = new Adam(model.parameters(), { learningRate: 1e-3 });
 *   model.zeroGrad(); backward(loss); clipGradientNorm(model.parameters(), 1); optimizer.step();
 */
export interface Optimizer {
  /** Current learning rate (schedules set it before each step). */
  learningRate: number;
  /** Apply one update from the current gradients. */
  step(): void;
  /** Number of steps taken. */
  readonly steps: number;
}

/** SGD options: learning rate (default 0.01), momentum (default 0), L2 weight decay (default 0), Nesterov. */
export interface SgdOptions {
  learningRate?: number;
  momentum?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/** Stochastic gradient descent with (optionally Nesterov) momentum, PyTorch's formulation. */
export class SGD implements Optimizer {
  learningRate: number;
  steps = 0;
  private readonly velocity: Float32Array[];
  constructor(private readonly parameters: Tensor[], private readonly options: SgdOptions = {}) {
    this.learningRate = options.learningRate ?? 0.01;
    this.velocity = parameters.map((p) => new Float32Array(p.size));
  }
  step(): void {
    const momentum = this.options.momentum ?? 0;
    const decay = this.options.weightDecay ?? 0;
    const lr = this.learningRate;
    this.parameters.forEach((p, index) => {
      const g = p.grad;
      if (!g) return;
      const v = this.velocity[index] as Float32Array;
      const d = p.data;
      for (let i = 0; i < d.length; i++) {
        let gi = (g[i] as number) + decay * (d[i] as number);
        if (momentum !== 0) {
          const vi = momentum * (v[i] as number) + gi;
          v[i] = vi;
          gi = this.options.nesterov ? gi + momentum * vi : vi;
        }
        d[i] = (d[i] as number) - lr * gi;
      }
    });
    this.steps++;
  }
}

/** Adam options (defaults: learning rate 1e-3, betas 0.9 / 0.999, epsilon 1e-8, weight decay 0). */
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay (default 0.01 there). */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias correction, as in PyTorch. When the WebAssembly gemm is
 * installed (`loadWasmGemm`) at construction, the update runs as a float32 SIMD loop with the
 * moments held in wasm memory (`wasm-adam.ts`); otherwise as a float64 JavaScript loop. Both
 * are deterministic; they differ in the last bits.
 */
export class Adam implements Optimizer {
  learningRate: number;
  steps = 0;
  protected readonly first: Float32Array[];
  protected readonly second: Float32Array[];
  protected readonly decoupled: boolean = false;
  /** The WebAssembly SIMD update, used when the wasm gemm is installed at construction. */
  private readonly kernel: AdamKernel | null;
  constructor(protected readonly parameters: Tensor[], protected readonly options: AdamOptions = {}) {
    this.learningRate = options.learningRate ?? 1e-3;
    this.kernel = gemmBackend() ? createAdamKernel(parameters.map((p) => p.size)) : null;
    this.first = this.kernel ? this.kernel.first : parameters.map((p) => new Float32Array(p.size));
    this.second = this.kernel ? this.kernel.second : parameters.map((p) => new Float32Array(p.size));
    // With the SIMD kernel the parameters' values move into its memory (same values, new
    // Float32Array views), so a step updates them in place without copies in and out. A
    // parameter whose data is replaced later is still updated (through copies).
    const kernel = this.kernel;
    if (kernel) parameters.forEach((p, index) => {
      p.data = kernel.adopt(index, p.data);
    });
  }
  step(): void {
    this.steps++;
    const beta1 = this.options.beta1 ?? 0.9;
    const beta2 = this.options.beta2 ?? 0.999;
    const epsilon = this.options.epsilon ?? 1e-8;
    const decay = this.options.weightDecay ?? (this.decoupled ? 0.01 : 0);
    const lr = this.learningRate;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2Root = Math.sqrt(1 - beta2 ** this.steps);
    const stepSize = lr / correction1;
    const shrink = this.decoupled ? 1 - lr * decay : 1;
    const l2 = this.decoupled ? 0 : decay;
    for (let index = 0; index < this.parameters.length; index++) {
      const p = this.parameters[index] as Tensor;
      if (!p.grad) continue;
      if (this.kernel && p.data.length === (this.first[index] as Float32Array).length) this.kernel.update(index, p.data, p.grad, beta1, beta2, l2, shrink, stepSize, correction2Root, epsilon);
      else adamUpdate(p.data, p.grad, this.first[index] as Float32Array, this.second[index] as Float32Array, beta1, beta2, l2, shrink, stepSize, correction2Root, epsilon);
    }
  }
}

/**
 * One Adam update over a parameter array, as a standalone monomorphic loop (about twice as fast
 * as the same arithmetic inside a closure over `this`); the operation order is unchanged.
 */
function adamUpdate(d: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, beta1: number, beta2: number, l2: number, shrink: number, stepSize: number, correction2Root: number, epsilon: number): void {
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  const n = d.length;
  for (let i = 0; i < n; i++) {
    const di = d[i] as number;
    const gi = (g[i] as number) + l2 * di;
    const mi = beta1 * (m[i] as number) + keep1 * gi;
    const vi = beta2 * (v[i] as number) + keep2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    d[i] = di * shrink - (stepSize * mi) / (Math.sqrt(vi) / correction2Root + epsilon);
  }
}

/** AdamW (Loshchilov & Hutter 2019): Adam with weight decay applied to the weights directly. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;
}

/**
 * Scale all gradients so their global L2 norm is at most `maxNorm`; returns the norm before
 * clipping.
 */
export function clipGradientNorm(parameters: Tensor[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new CajalError('INVALID_ARGUMENT', `maxNorm must be positive, got ${maxNorm}`, { field: 'maxNorm' });
  let total = 0;
  for (const p of parameters) {
    const g = p.grad;
    if (!g) continue;
    for (let i = 0; i < g.length; i++) total += (g[i] as number) ** 2;
  }
  const norm = Math.sqrt(total);
  if (norm > maxNorm) {
    const factor = maxNorm / (norm + 1e-12);
    for (const p of parameters) {
      const g = p.grad;
      if (!g) continue;
      for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * factor;
    }
  }
  return norm;
}

/** A learning rate as a function of the step number (0-based). */
export type Schedule = (step: number) => number;

/** Multiply `base` by `factor` every `every` steps. */
export function stepSchedule(base: number, every: number, factor = 0.1): Schedule {
  return (step) => base * factor ** Math.floor(step / every);
}

/** Cosine decay from `base` to `minimum` over `total` steps (constant after). */
export function cosineSchedule(base: number, total: number, minimum = 0): Schedule {
  return (step) => minimum + 0.5 * (base - minimum) * (1 + Math.cos((Math.PI * Math.min(step, total)) / total));
}

/** Linear warm-up from 0 over `warmupSteps`, then `after` (shifted to start at 0). */
export function warmupSchedule(warmupSteps: number, after: Schedule): Schedule {
  return (step) => (step < warmupSteps ? (after(0) * (step + 1)) / warmupSteps : after(step - warmupSteps));
}
