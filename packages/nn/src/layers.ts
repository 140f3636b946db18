import type { Random } from '@cajal/core';
import { createRandom } from '@cajal/core';
import { conv1d, conv1dReluMaxPool, conv2d } from './conv.ts';
import { avgPool1d, globalAvgPool, maxPool1d, maxPool2d, reluGlobalAvgPool, reluMaxPool1d } from './pool.ts';
import { batchNorm, dropout, layerNorm, softmax } from './functional.ts';
import { type Initializer, initialize } from './init.ts';
import { linear, reshape } from './linalg.ts';
import { Module } from './module.ts';
import { leakyRelu, relu, sigmoid, tanh } from './ops.ts';
import { Tensor } from './tensor.ts';

/**
 * Feed-forward layers. Weights use a seeded `Random` (default seed 0) so models are
 * reproducible. Layouts: Dense weight [in, out] (Keras / ONNX Gemm), Conv1d weight [F, C, K],
 * Conv2d weight [F, C, KH, KW] (PyTorch / ONNX Conv).
 *
 * @example
 *   const random = createRandom(1);
 *   const net = new Sequential([new Dense(784, 256, { random }), new ReLU(), new Dense(256, 10, { random })]);
 *   const logits = net.forward(x); // x [N, 784]
 */
export interface LayerOptions {
  /** Source of initial weights (default createRandom(0)). */
  random?: Random;
  /** Weight initialiser (default 'glorot-uniform'; 'he-normal' suits ReLU). */
  init?: Initializer;
  /** Include a bias (default true). */
  bias?: boolean;
}

/** Fully connected layer y = x·W + b for x [N, in]. */
export class Dense extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(readonly inputs: number, readonly outputs: number, options: LayerOptions = {}) {
    super();
    const random = options.random ?? createRandom(0);
    this.weight = this.parameter('weight', new Tensor(initialize(options.init ?? 'glorot-uniform', inputs, outputs, inputs * outputs, random), [inputs, outputs]));
    this.bias = options.bias === false ? undefined : this.parameter('bias', Tensor.zeros([outputs]));
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/** 1-D convolution over [N, C, L] input. */
export class Conv1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(readonly inChannels: number, readonly filters: number, readonly kernel: number, readonly options: LayerOptions & { stride?: number; padding?: number } = {}) {
    super();
    const random = options.random ?? createRandom(0);
    const fanIn = inChannels * kernel;
    this.weight = this.parameter('weight', new Tensor(initialize(options.init ?? 'glorot-uniform', fanIn, filters * kernel, filters * fanIn, random), [filters, inChannels, kernel]));
    this.bias = options.bias === false ? undefined : this.parameter('bias', Tensor.zeros([filters]));
  }
  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.options.stride ?? 1, padding: this.options.padding ?? 0 });
  }
}

/** 2-D convolution over [N, C, H, W] input. */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  constructor(readonly inChannels: number, readonly filters: number, readonly kernel: [number, number], readonly options: LayerOptions & { stride?: number; padding?: number } = {}) {
    super();
    const random = options.random ?? createRandom(0);
    const area = kernel[0] * kernel[1];
    const fanIn = inChannels * area;
    this.weight = this.parameter('weight', new Tensor(initialize(options.init ?? 'glorot-uniform', fanIn, filters * area, filters * fanIn, random), [filters, inChannels, kernel[0], kernel[1]]));
    this.bias = options.bias === false ? undefined : this.parameter('bias', Tensor.zeros([filters]));
  }
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.options.stride ?? 1, padding: this.options.padding ?? 0 });
  }
}

/** Elementwise max(0, x). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** Leaky ReLU with slope `alpha` below zero. */
export class LeakyReLU extends Module {
  constructor(readonly alpha = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.alpha);
  }
}

/** Elementwise tanh. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** Elementwise logistic sigmoid. */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Softmax over the last axis (for inference heads; train on logits with softmaxCrossEntropy). */
export class Softmax extends Module {
  forward(x: Tensor): Tensor {
    return softmax(x);
  }
}

/** Max pooling with non-overlapping windows: 1-D on [N, C, L], 2-D on [N, C, H, W]. */
export class MaxPool extends Module {
  constructor(readonly size: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.shape.length === 3 ? maxPool1d(x, this.size) : maxPool2d(x, this.size);
  }
}

/** Average pooling with non-overlapping windows on [N, C, L]. */
export class AvgPool1d extends Module {
  constructor(readonly size: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.size);
  }
}

/** Mean over all positions: [N, C, ...] → [N, C]. */
export class GlobalAvgPool extends Module {
  forward(x: Tensor): Tensor {
    return globalAvgPool(x);
  }
}

/** [N, ...] → [N, product of the rest]. */
export class Flatten extends Module {
  forward(x: Tensor): Tensor {
    return reshape(x, [x.shape[0] as number, -1]);
  }
}

/** Inverted dropout (identity in evaluation mode). */
export class Dropout extends Module {
  private readonly random: Random;
  constructor(readonly rate: number, random?: Random) {
    super();
    this.random = random ?? createRandom(0);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.rate, this.random, this.training);
  }
}

/** Layer normalisation over the last axis (gain 1, bias 0 initially). */
export class LayerNorm extends Module {
  readonly gain: Tensor;
  readonly bias: Tensor;
  constructor(readonly width: number, readonly epsilon = 1e-5) {
    super();
    this.gain = this.parameter('gain', new Tensor(new Float32Array(width).fill(1), [width]));
    this.bias = this.parameter('bias', Tensor.zeros([width]));
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.gain, this.bias, this.epsilon);
  }
}

/** Batch normalisation over channels (axis 1) with running statistics for evaluation. */
export class BatchNorm extends Module {
  readonly gain: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Float32Array;
  readonly runningVariance: Float32Array;
  constructor(readonly channels: number, readonly momentum = 0.1, readonly epsilon = 1e-5) {
    super();
    this.gain = this.parameter('gain', new Tensor(new Float32Array(channels).fill(1), [channels]));
    this.bias = this.parameter('bias', Tensor.zeros([channels]));
    this.runningMean = this.buffer('running_mean', new Float32Array(channels));
    this.runningVariance = this.buffer('running_variance', new Float32Array(channels).fill(1));
  }
  forward(x: Tensor): Tensor {
    return batchNorm(x, this.gain, this.bias, { runningMean: this.runningMean, runningVariance: this.runningVariance, momentum: this.momentum }, this.training, this.epsilon);
  }
}

/** Layers applied in order; children are named "0", "1", ... */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(layers: Module[]) {
    super();
    this.layers = layers.map((layer, index) => this.child(String(index), layer));
  }
  forward(x: Tensor): Tensor {
    let y = x;
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i] as Module;
      const next = layers[i + 1];
      const after = layers[i + 2];
      if (layer instanceof Conv1d && next instanceof ReLU && after instanceof MaxPool && after.size === 4 && (layer.options.stride ?? 1) === 1) {
        // Fused: the convolution's output stays in wasm memory (same values and gradients).
        y = conv1dReluMaxPool(y, layer.weight, layer.bias, { padding: layer.options.padding ?? 0 });
        i += 2;
      } else if (layer instanceof ReLU && next instanceof MaxPool && y.shape.length === 3) {
        // Fused: skips the full-size rectified tensor (same values and gradients).
        y = reluMaxPool1d(y, next.size);
        i++;
      } else if (layer instanceof ReLU && next instanceof GlobalAvgPool && y.shape.length >= 3) {
        y = reluGlobalAvgPool(y);
        i++;
      } else y = layer.forward(y);
    }
    return y;
  }
}
