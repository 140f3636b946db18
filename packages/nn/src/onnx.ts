import { CajalError } from '@cajal/core';
import { AvgPool1d, BatchNorm, Conv1d, Conv2d, Dense, Dropout, Flatten, GlobalAvgPool, LayerNorm, LeakyReLU, MaxPool, ReLU, Sequential, Sigmoid, Softmax, Tanh } from './layers.ts';
import type { Module } from './module.ts';
import { GRU, LSTM } from './sequence-layers.ts';
import { outputShape } from './spec.ts';

/**
 * ONNX export for inference elsewhere (onnxruntime, Netron, PyTorch's onnx2torch ...).
 * The ModelProto is encoded by hand (a ~60-line protobuf writer below; no dependency):
 * IR version 8, opset 17 (default domain), float32 weights as raw_data initializers, input
 * "input" [batch, ...sample shape] with a symbolic batch dimension "N", output "output".
 *
 * Layer → nodes: Dense → Gemm; Conv1d/Conv2d → Conv; ReLU/Tanh/Sigmoid/LeakyReLU → same-named
 * op; Softmax → Softmax(axis −1); MaxPool/AvgPool1d → MaxPool/AveragePool (kernel = stride);
 * GlobalAvgPool → GlobalAveragePool + Flatten; Flatten → Flatten(axis 1); BatchNorm →
 * BatchNormalization; LayerNorm → LayerNormalization(axis −1); LSTM/GRU → Transpose to
 * time-major (layout 0; onnxruntime rejects layout 1), LSTM/GRU with the gates reordered to
 * ONNX's (LSTM i,o,f,c; GRU z,r,h with linear_before_reset = 1), then Reshape of Y_h to
 * [B, H] (last step) or Transpose + Reshape of Y to [B, T, H] (sequences);
 * Dropout → nothing. Other modules (attention, custom ones) throw FORMAT_UNSUPPORTED.
 *
 * @example
 *   const bytes = exportOnnx(model, { inputShape: [1, 256] }); // write as model.onnx
 */
export interface OnnxExportOptions {
  /** Shape of one sample (no batch axis). */
  inputShape: number[];
  /** Graph name (default "cajal"). */
  name?: string;
  /** producer_version (default "0.1.0"). */
  producerVersion?: string;
}

// ---- protobuf writer -------------------------------------------------------------------------

class Writer {
  private parts: Uint8Array[] = [];
  private small: number[] = [];
  private flush(): void {
    if (this.small.length > 0) {
      this.parts.push(Uint8Array.from(this.small));
      this.small = [];
    }
  }
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.small.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.small.push(Number(v));
  }
  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, value: number): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }
  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.small.push(...b);
    return this;
  }
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.flush();
    this.parts.push(value);
    return this;
  }
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }
  message(field: number, body: Writer): this {
    return this.bytes(field, body.finish());
  }
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of this.parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}

// ONNX enums.
const FLOAT = 1;
const INT64 = 7;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

type Attribute = { name: string; float: number } | { name: string; int: number } | { name: string; ints: number[] } | { name: string; string: string };

function attribute(a: Attribute): Writer {
  const w = new Writer().string(1, a.name);
  if ('float' in a) w.float(2, a.float).int(20, ATTR_FLOAT);
  else if ('int' in a) w.int(3, a.int).int(20, ATTR_INT);
  else if ('string' in a) w.string(4, a.string).int(20, ATTR_STRING);
  else {
    for (const v of a.ints) w.int(8, v);
    w.int(20, ATTR_INTS);
  }
  return w;
}

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Attribute[];
}

interface Initializer {
  name: string;
  dims: number[];
  floats?: Float32Array;
  ints?: number[];
}

function tensorProto(t: Initializer): Writer {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.floats ? FLOAT : INT64);
  w.string(8, t.name);
  if (t.floats) {
    const raw = new Uint8Array(t.floats.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < t.floats.length; i++) view.setFloat32(4 * i, t.floats[i] as number, true);
    w.bytes(9, raw);
  } else {
    const raw = new Uint8Array((t.ints ?? []).length * 8);
    const view = new DataView(raw.buffer);
    (t.ints ?? []).forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
    w.bytes(9, raw);
  }
  return w;
}

function valueInfo(name: string, dims: Array<number | string>): Writer {
  const shape = new Writer();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new Writer().int(1, d) : new Writer().string(2, d));
  const tensorType = new Writer().int(1, FLOAT).message(2, shape);
  return new Writer().string(1, name).message(2, new Writer().message(1, tensorType));
}

// ---- layers to nodes ---------------------------------------------------------------------------

function flattenModules(model: Module): Module[] {
  if (model instanceof Sequential) return model.layers.flatMap(flattenModules);
  return [model];
}

/** Reorder gate blocks of a [inputs, G·H] (ours, gate-major columns) into ONNX [G·H, inputs]. */
function gatesToOnnx(weight: Float32Array, inputs: number, hidden: number, order: number[]): Float32Array {
  const gates = order.length;
  const out = new Float32Array(gates * hidden * inputs);
  order.forEach((ours, onnxGate) => {
    for (let j = 0; j < hidden; j++) for (let i = 0; i < inputs; i++) {
      out[(onnxGate * hidden + j) * inputs + i] = weight[i * gates * hidden + ours * hidden + j] as number;
    }
  });
  return out;
}

function biasToOnnx(bias: Float32Array, hidden: number, order: number[]): Float32Array {
  const out = new Float32Array(order.length * hidden);
  order.forEach((ours, onnxGate) => out.set(bias.subarray(ours * hidden, (ours + 1) * hidden), onnxGate * hidden));
  return out;
}

/** ONNX bytes of `model` (a Sequential or a single supported layer) for per-sample `inputShape`. */
export function exportOnnx(model: Module, options: OnnxExportOptions): Uint8Array {
  const layers = flattenModules(model);
  const nodes: Node[] = [];
  const initializers: Initializer[] = [];
  let current = 'input';
  let shape = options.inputShape.slice();
  let counter = 0;
  const next = (): string => `t${counter++}`;
  const init = (name: string, dims: number[], floats: Float32Array): string => {
    initializers.push({ name, dims, floats });
    return name;
  };
  const was = model.training;
  model.setTraining(false);
  try {
    layers.forEach((layer, index) => {
      const p = `layer${index}`;
      const out = next();
      const add = (op: string, inputs: string[], attributes: Attribute[] = [], output = out): void => {
        nodes.push({ op, inputs, outputs: [output], attributes });
      };
      if (layer instanceof Dense) {
        const inputs = [current, init(`${p}.weight`, layer.weight.shape.slice(), layer.weight.data)];
        if (layer.bias) inputs.push(init(`${p}.bias`, layer.bias.shape.slice(), layer.bias.data));
        add('Gemm', inputs);
      } else if (layer instanceof Conv1d || layer instanceof Conv2d) {
        const rank = layer instanceof Conv1d ? 1 : 2;
        const stride = layer.options.stride ?? 1;
        const padding = layer.options.padding ?? 0;
        const kernel = layer.weight.shape.slice(2);
        const inputs = [current, init(`${p}.weight`, layer.weight.shape.slice(), layer.weight.data)];
        if (layer.bias) inputs.push(init(`${p}.bias`, layer.bias.shape.slice(), layer.bias.data));
        add('Conv', inputs, [
          { name: 'kernel_shape', ints: kernel },
          { name: 'strides', ints: new Array<number>(rank).fill(stride) },
          { name: 'pads', ints: new Array<number>(2 * rank).fill(padding) },
        ]);
      } else if (layer instanceof ReLU) add('Relu', [current]);
      else if (layer instanceof Tanh) add('Tanh', [current]);
      else if (layer instanceof Sigmoid) add('Sigmoid', [current]);
      else if (layer instanceof LeakyReLU) add('LeakyRelu', [current], [{ name: 'alpha', float: layer.alpha }]);
      else if (layer instanceof Softmax) add('Softmax', [current], [{ name: 'axis', int: -1 }]);
      else if (layer instanceof MaxPool || layer instanceof AvgPool1d) {
        const rank = shape.length - 1;
        add(layer instanceof MaxPool ? 'MaxPool' : 'AveragePool', [current], [
          { name: 'kernel_shape', ints: new Array<number>(rank).fill(layer.size) },
          { name: 'strides', ints: new Array<number>(rank).fill(layer.size) },
        ]);
      } else if (layer instanceof GlobalAvgPool) {
        const pooled = next();
        add('GlobalAveragePool', [current], [], pooled);
        add('Flatten', [pooled], [{ name: 'axis', int: 1 }]);
      } else if (layer instanceof Flatten) add('Flatten', [current], [{ name: 'axis', int: 1 }]);
      else if (layer instanceof BatchNorm) {
        add('BatchNormalization', [current, init(`${p}.gain`, [layer.channels], layer.gain.data), init(`${p}.bias`, [layer.channels], layer.bias.data), init(`${p}.running_mean`, [layer.channels], layer.runningMean), init(`${p}.running_variance`, [layer.channels], layer.runningVariance)], [{ name: 'epsilon', float: layer.epsilon }]);
      } else if (layer instanceof LayerNorm) {
        add('LayerNormalization', [current, init(`${p}.gain`, [layer.width], layer.gain.data), init(`${p}.bias`, [layer.width], layer.bias.data)], [{ name: 'axis', int: -1 }, { name: 'epsilon', float: layer.epsilon }]);
      } else if (layer instanceof LSTM || layer instanceof GRU) {
        const isLstm = layer instanceof LSTM;
        const hidden = layer.hidden;
        const inputs = layer.inputs;
        // ours LSTM i,f,g,o → ONNX i,o,f,c; ours GRU r,z,n → ONNX z,r,h.
        const order = isLstm ? [0, 3, 1, 2] : [1, 0, 2];
        const gates = order.length;
        const w = init(`${p}.W`, [1, gates * hidden, inputs], gatesToOnnx(layer.inputWeight.data, inputs, hidden, order));
        const r = init(`${p}.R`, [1, gates * hidden, hidden], gatesToOnnx(layer.recurrentWeight.data, hidden, hidden, order));
        const b = new Float32Array(2 * gates * hidden);
        if (layer instanceof LSTM) b.set(biasToOnnx(layer.bias.data, hidden, order), 0);
        else {
          b.set(biasToOnnx(layer.inputBias.data, hidden, order), 0);
          b.set(biasToOnnx(layer.recurrentBias.data, hidden, order), gates * hidden);
        }
        const bias = init(`${p}.B`, [1, 2 * gates * hidden], b);
        const attributes: Attribute[] = [{ name: 'hidden_size', int: hidden }];
        if (!isLstm) attributes.push({ name: 'linear_before_reset', int: 1 });
        // layout 0 (time-major), which every runtime supports: [B, T, I] → [T, B, I].
        const timeMajor = next();
        add('Transpose', [current], [{ name: 'perm', ints: [1, 0, 2] }], timeMajor);
        const y = next();
        const yh = next();
        nodes.push({ op: isLstm ? 'LSTM' : 'GRU', inputs: [timeMajor, w, r, bias], outputs: [y, yh], attributes });
        if (layer.returnSequences) {
          const batchMajor = next();
          add('Transpose', [y], [{ name: 'perm', ints: [2, 0, 1, 3] }], batchMajor); // [T, 1, B, H] → [B, T, 1, H]
          initializers.push({ name: `${p}.shape`, dims: [3], ints: [0, 0, -1] });
          add('Reshape', [batchMajor, `${p}.shape`]);
        } else {
          initializers.push({ name: `${p}.shape`, dims: [2], ints: [-1, hidden] });
          add('Reshape', [yh, `${p}.shape`]); // [1, B, H] → [B, H]
        }
      } else if (layer instanceof Dropout) {
        shape = outputShape(layer, shape);
        return; // identity at inference
      } else {
        throw new CajalError('FORMAT_UNSUPPORTED', `ONNX export does not support layer ${index} (${layer.constructor.name})`, { field: `layers[${index}]` });
      }
      shape = outputShape(layer, shape);
      current = out;
    });
  } finally {
    model.setTraining(was);
  }
  if (nodes.length === 0) nodes.push({ op: 'Identity', inputs: ['input'], outputs: ['output'] });
  else {
    const last = nodes[nodes.length - 1] as Node;
    last.outputs[0] = 'output';
  }
  const graph = new Writer();
  for (const n of nodes) {
    const w = new Writer();
    for (const i of n.inputs) w.string(1, i);
    for (const o of n.outputs) w.string(2, o);
    w.string(4, n.op);
    for (const a of n.attributes ?? []) w.message(5, attribute(a));
    graph.message(1, w);
  }
  graph.string(2, options.name ?? 'cajal');
  for (const t of initializers) graph.message(5, tensorProto(t));
  graph.message(11, valueInfo('input', ['N', ...options.inputShape]));
  graph.message(12, valueInfo('output', ['N', ...shape]));
  return new Writer()
    .int(1, 8) // ir_version
    .string(2, 'cajal')
    .string(3, options.producerVersion ?? '0.1.0')
    .message(7, graph)
    .message(8, new Writer().string(1, '').int(2, 17))
    .finish();
}
