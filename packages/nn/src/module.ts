import { Tensor } from './tensor.ts';

/**
 * Base class of layers and models: a module owns named parameters (trainable tensors),
 * buffers (state that is saved but not trained, e.g. batch-norm running statistics) and child
 * modules. Names are dotted paths ("conv0.weight"), stable for saving and loading.
 *
 * @example
 *   class Affine extends Module {
 *     w = this.parameter('weight', Tensor.zeros([3, 2]));
 *     forward(x: Tensor) { return matmul(x, this.w); }
 *   }
 */
export abstract class Module {
  /** Training mode (dropout active, batch norm uses batch statistics). */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Float32Array>();
  private readonly ownChildren = new Map<string, Module>();

  /** Map the input to the output. */
  abstract forward(x: Tensor): Tensor;

  /** Register a trainable tensor (sets requiresGrad). */
  protected parameter(name: string, value: Tensor): Tensor {
    value.requiresGrad = true;
    value.name = name;
    this.ownParameters.set(name, value);
    return value;
  }

  /** Register saved, untrained state. */
  protected buffer(name: string, value: Float32Array): Float32Array {
    this.ownBuffers.set(name, value);
    return value;
  }

  /** Register a child module. */
  protected child<M extends Module>(name: string, module: M): M {
    this.ownChildren.set(name, module);
    return module;
  }

  /** Every parameter with its dotted name, children after own, in registration order. */
  namedParameters(prefix = ''): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [name, p] of this.ownParameters) out.push([prefix + name, p]);
    for (const [name, c] of this.ownChildren) out.push(...c.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** Every buffer with its dotted name. */
  namedBuffers(prefix = ''): Array<[string, Float32Array]> {
    const out: Array<[string, Float32Array]> = [];
    for (const [name, b] of this.ownBuffers) out.push([prefix + name, b]);
    for (const [name, c] of this.ownChildren) out.push(...c.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /** Child modules in registration order. */
  children(): Module[] {
    return [...this.ownChildren.values()];
  }

  /** The trainable tensors. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Total number of trainable values. */
  parameterCount(): number {
    return this.parameters().reduce((total, p) => total + p.size, 0);
  }

  /** Set training (true) or evaluation (false) mode here and in every child. */
  setTraining(training: boolean): this {
    this.training = training;
    for (const c of this.ownChildren.values()) c.setTraining(training);
    return this;
  }

  /** Drop all parameter gradients. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }
}
