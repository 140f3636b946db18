import { createRandom, isCajalError } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './onnx.ts';
import { type ModelSpec, buildModel } from './spec.ts';
import { Tensor, noGrad } from './tensor.ts';

/**
 * ONNX export. The bytes are decoded back with a minimal protobuf reader written here, and the
 * decoded graph is run by a small reference interpreter written from the ONNX operator
 * documents (independent of the nn kernels: its own loops for Conv, LSTM with gate order
 * i,o,f,c, GRU z,r,h with linear_before_reset, ...). Criterion: the interpreter's output on
 * random inputs matches the model's forward pass within 1e-4 (absolute) for an MLP, a 1-D CNN
 * with batch norm, a 2-D CNN, an LSTM and a GRU (last step and sequences).
 */

// ---- minimal protobuf reader ------------------------------------------------------------------
type Fields = Map<number, Array<bigint | Uint8Array | number>>;

function decode(bytes: Uint8Array): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let value: bigint | Uint8Array | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const n = Number(varint());
      value = bytes.subarray(pos, pos + n);
      pos += n;
    } else if (wire === 5) {
      value = new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getFloat32(0, true);
      pos += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}
const text = (v: unknown): string => new TextDecoder().decode(v as Uint8Array);
const int = (v: unknown): number => Number(BigInt.asIntN(64, v as bigint));
const all = (f: Fields, n: number): Array<bigint | Uint8Array | number> => f.get(n) ?? [];

interface Arr {
  dims: number[];
  data: Float32Array;
}
interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, number | number[] | string>;
}

function parseModel(bytes: Uint8Array): { irVersion: number; opset: number; nodes: OnnxNode[]; inits: Map<string, Arr | number[]>; input: string; output: string } {
  const model = decode(bytes);
  const opset = decode(all(model, 8)[0] as Uint8Array);
  const graph = decode(all(model, 7)[0] as Uint8Array);
  const nodes = all(graph, 1).map((raw) => {
    const n = decode(raw as Uint8Array);
    const attrs = new Map<string, number | number[] | string>();
    for (const a of all(n, 5)) {
      const f = decode(a as Uint8Array);
      const type = int(all(f, 20)[0]);
      const name = text(all(f, 1)[0]);
      if (type === 1) attrs.set(name, all(f, 2)[0] as number);
      else if (type === 2) attrs.set(name, int(all(f, 3)[0]));
      else if (type === 7) attrs.set(name, all(f, 8).map(int));
      else if (type === 3) attrs.set(name, text(all(f, 4)[0]));
    }
    return { op: text(all(n, 4)[0]), inputs: all(n, 1).map(text), outputs: all(n, 2).map(text), attrs };
  });
  const inits = new Map<string, Arr | number[]>();
  for (const raw of all(graph, 5)) {
    const t = decode(raw as Uint8Array);
    const dims = all(t, 1).map(int);
    const type = int(all(t, 2)[0]);
    const data = (all(t, 9)[0] as Uint8Array).slice();
    if (type === 1) inits.set(text(all(t, 8)[0]), { dims, data: new Float32Array(data.buffer) });
    else inits.set(text(all(t, 8)[0]), Array.from(new BigInt64Array(data.buffer), Number));
  }
  const input = text(all(decode(all(graph, 11)[0] as Uint8Array), 1)[0]);
  const output = text(all(decode(all(graph, 12)[0] as Uint8Array), 1)[0]);
  return { irVersion: int(all(model, 1)[0]), opset: int(all(opset, 2)[0]), nodes, inits, input, output };
}

// ---- reference interpreter (ONNX operator semantics, float64 accumulation) -------------------
const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const size = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

function conv(x: Arr, w: Arr, b: Arr | undefined, strides: number[], pads: number[]): Arr {
  const rank = x.dims.length - 2;
  const [n, c] = x.dims as [number, number];
  const spatial = x.dims.slice(2);
  const [m] = w.dims as [number];
  const kernel = w.dims.slice(2);
  const outSpatial = spatial.map((s, i) => Math.floor((s + (pads[i] as number) + (pads[i + rank] as number) - (kernel[i] as number)) / (strides[i] as number)) + 1);
  const [H, W] = rank === 1 ? [1, spatial[0] as number] : (spatial as [number, number]);
  const [KH, KW] = rank === 1 ? [1, kernel[0] as number] : (kernel as [number, number]);
  const [OH, OW] = rank === 1 ? [1, outSpatial[0] as number] : (outSpatial as [number, number]);
  const [SH, SW] = rank === 1 ? [1, strides[0] as number] : (strides as [number, number]);
  const [PH, PW] = rank === 1 ? [0, pads[0] as number] : [pads[0] as number, pads[1] as number];
  const out = new Float32Array(n * m * OH * OW);
  for (let ni = 0; ni < n; ni++) for (let mi = 0; mi < m; mi++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let s = b ? (b.data[mi] as number) : 0;
    for (let ci = 0; ci < c; ci++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const ih = oh * SH + kh - PH;
      const iw = ow * SW + kw - PW;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      s += (x.data[((ni * c + ci) * H + ih) * W + iw] as number) * (w.data[((mi * c + ci) * KH + kh) * KW + kw] as number);
    }
    out[((ni * m + mi) * OH + oh) * OW + ow] = s;
  }
  return { dims: [n, m, ...outSpatial], data: out };
}

function pool(x: Arr, kernel: number[], kind: 'max' | 'avg'): Arr {
  const rank = x.dims.length - 2;
  const planes = (x.dims[0] as number) * (x.dims[1] as number);
  const [H, W] = rank === 1 ? [1, x.dims[2] as number] : [x.dims[2] as number, x.dims[3] as number];
  const [KH, KW] = rank === 1 ? [1, kernel[0] as number] : (kernel as [number, number]);
  const OH = Math.floor(H / KH);
  const OW = Math.floor(W / KW);
  const out = new Float32Array(planes * OH * OW);
  for (let p = 0; p < planes; p++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let best = -Infinity;
    let total = 0;
    for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      const v = x.data[(p * H + oh * KH + i) * W + ow * KW + j] as number;
      best = Math.max(best, v);
      total += v;
    }
    out[(p * OH + oh) * OW + ow] = kind === 'max' ? best : total / (KH * KW);
  }
  return { dims: rank === 1 ? [x.dims[0] as number, x.dims[1] as number, OW] : [x.dims[0] as number, x.dims[1] as number, OH, OW], data: out };
}

/** ONNX LSTM / GRU, layout 0 (X [T, B, I]); returns Y [T, 1, B, H] and Y_h [1, B, H]. */
function recurrent(op: 'LSTM' | 'GRU', x: Arr, w: Arr, r: Arr, b: Arr, hidden: number, linearBeforeReset: number): [Arr, Arr] {
  const [T, B, I] = x.dims as [number, number, number];
  const H = hidden;
  const G = op === 'LSTM' ? 4 : 3;
  const y = new Float32Array(B * T * H);
  const yh = new Float32Array(B * H);
  const dot = (mat: Float32Array, row: number, vec: ArrayLike<number>, offset: number, n: number): number => {
    let s = 0;
    for (let k = 0; k < n; k++) s += (mat[row * n + k] as number) * (vec[offset + k] as number);
    return s;
  };
  for (let bi = 0; bi < B; bi++) {
    let h = new Float64Array(H);
    let c = new Float64Array(H);
    for (let t = 0; t < T; t++) {
      const xo = (t * B + bi) * I;
      const nh = new Float64Array(H);
      const nc = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const gate = (g: number): number => dot(w.data, g * H + j, x.data, xo, I) + (b.data[g * H + j] as number);
        const rec = (g: number): number => dot(r.data, g * H + j, h, 0, H) + (b.data[G * H + g * H + j] as number);
        if (op === 'LSTM') {
          const i = sig(gate(0) + rec(0));
          const o = sig(gate(1) + rec(1));
          const f = sig(gate(2) + rec(2));
          const cc = Math.tanh(gate(3) + rec(3));
          nc[j] = f * (c[j] as number) + i * cc;
          nh[j] = o * Math.tanh(nc[j] as number);
        } else {
          const z = sig(gate(0) + rec(0));
          const rr = sig(gate(1) + rec(1));
          let hh: number;
          if (linearBeforeReset) hh = Math.tanh(gate(2) + rr * rec(2));
          else {
            const gated = Array.from(h, (v) => v * rr);
            hh = Math.tanh(gate(2) + dot(r.data, 2 * H + j, gated, 0, H) + (b.data[G * H + 2 * H + j] as number));
          }
          nh[j] = (1 - z) * hh + z * (h[j] as number);
        }
      }
      h = nh;
      c = nc;
      for (let j = 0; j < H; j++) y[(t * B + bi) * H + j] = h[j] as number;
    }
    for (let j = 0; j < H; j++) yh[bi * H + j] = h[j] as number;
  }
  return [{ dims: [T, 1, B, H], data: y }, { dims: [1, B, H], data: yh }];
}

function run(model: ReturnType<typeof parseModel>, input: Arr): Arr {
  const values = new Map<string, Arr>();
  for (const [name, v] of model.inits) if (!Array.isArray(v)) values.set(name, v);
  values.set(model.input, input);
  const get = (name: string | undefined): Arr => values.get(name as string) as Arr;
  const map = (x: Arr, f: (v: number) => number): Arr => ({ dims: x.dims, data: x.data.map(f) });
  for (const node of model.nodes) {
    const x = get(node.inputs[0]);
    const attr = (name: string): number | number[] | string | undefined => node.attrs.get(name);
    let out: Arr | [Arr, Arr];
    switch (node.op) {
      case 'Gemm': {
        const w = get(node.inputs[1]);
        const bias = node.inputs[2] ? get(node.inputs[2]) : undefined;
        const [rows, k] = x.dims as [number, number];
        const cols = w.dims[1] as number;
        const data = new Float32Array(rows * cols);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
          let s = bias ? (bias.data[j] as number) : 0;
          for (let q = 0; q < k; q++) s += (x.data[i * k + q] as number) * (w.data[q * cols + j] as number);
          data[i * cols + j] = s;
        }
        out = { dims: [rows, cols], data };
        break;
      }
      case 'Conv':
        out = conv(x, get(node.inputs[1]), node.inputs[2] ? get(node.inputs[2]) : undefined, attr('strides') as number[], attr('pads') as number[]);
        break;
      case 'Relu':
        out = map(x, (v) => Math.max(0, v));
        break;
      case 'Tanh':
        out = map(x, Math.tanh);
        break;
      case 'Sigmoid':
        out = map(x, sig);
        break;
      case 'LeakyRelu': {
        const alpha = attr('alpha') as number;
        out = map(x, (v) => (v >= 0 ? v : alpha * v));
        break;
      }
      case 'MaxPool':
      case 'AveragePool':
        expect(attr('strides')).toEqual(attr('kernel_shape'));
        out = pool(x, attr('kernel_shape') as number[], node.op === 'MaxPool' ? 'max' : 'avg');
        break;
      case 'GlobalAveragePool': {
        const inner = size(x.dims.slice(2));
        const planes = (x.dims[0] as number) * (x.dims[1] as number);
        const data = new Float32Array(planes);
        for (let p = 0; p < planes; p++) {
          let s = 0;
          for (let i = 0; i < inner; i++) s += x.data[p * inner + i] as number;
          data[p] = s / inner;
        }
        out = { dims: [x.dims[0] as number, x.dims[1] as number, ...x.dims.slice(2).map(() => 1)], data };
        break;
      }
      case 'Flatten': {
        const axis = attr('axis') as number;
        out = { dims: [size(x.dims.slice(0, axis)), size(x.dims.slice(axis))], data: x.data };
        break;
      }
      case 'Reshape': {
        const target = model.inits.get(node.inputs[1] as string) as number[];
        const dims = target.map((d, i) => (d === 0 ? (x.dims[i] as number) : d));
        const known = size(dims.filter((d) => d !== -1));
        out = { dims: dims.map((d) => (d === -1 ? size(x.dims) / known : d)), data: x.data };
        break;
      }
      case 'Transpose': {
        const perm = attr('perm') as number[];
        const dims = perm.map((p) => x.dims[p] as number);
        const inStrides = x.dims.map((_d, i) => size(x.dims.slice(i + 1)));
        const data = new Float32Array(x.data.length);
        const counter = new Array<number>(dims.length).fill(0);
        for (let e = 0; e < data.length; e++) {
          let src = 0;
          for (let i = 0; i < dims.length; i++) src += (counter[i] as number) * (inStrides[perm[i] as number] as number);
          data[e] = x.data[src] as number;
          for (let i = dims.length - 1; i >= 0; i--) {
            counter[i] = (counter[i] as number) + 1;
            if ((counter[i] as number) < (dims[i] as number)) break;
            counter[i] = 0;
          }
        }
        out = { dims, data };
        break;
      }
      case 'Softmax': {
        const cols = x.dims[x.dims.length - 1] as number;
        const data = new Float32Array(x.data.length);
        for (let r = 0; r < x.data.length / cols; r++) {
          const row = Array.from(x.data.subarray(r * cols, (r + 1) * cols));
          const peak = Math.max(...row);
          const e = row.map((v) => Math.exp(v - peak));
          const total = e.reduce((a, b) => a + b, 0);
          e.forEach((v, j) => (data[r * cols + j] = v / total));
        }
        out = { dims: x.dims, data };
        break;
      }
      case 'BatchNormalization': {
        const [scale, bias, mean, variance] = node.inputs.slice(1).map(get) as [Arr, Arr, Arr, Arr];
        const channels = x.dims[1] as number;
        const inner = size(x.dims.slice(2));
        const eps = attr('epsilon') as number;
        out = { dims: x.dims, data: x.data.map((v, e) => {
          const c = Math.floor(e / inner) % channels;
          return ((v - (mean.data[c] as number)) / Math.sqrt((variance.data[c] as number) + eps)) * (scale.data[c] as number) + (bias.data[c] as number);
        }) };
        break;
      }
      case 'LayerNormalization': {
        const [scale, bias] = node.inputs.slice(1).map(get) as [Arr, Arr];
        const width = x.dims[x.dims.length - 1] as number;
        const eps = attr('epsilon') as number;
        const data = new Float32Array(x.data.length);
        for (let r = 0; r < x.data.length / width; r++) {
          const row = Array.from(x.data.subarray(r * width, (r + 1) * width));
          const m = row.reduce((a, b) => a + b, 0) / width;
          const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / width;
          row.forEach((val, j) => (data[r * width + j] = ((val - m) / Math.sqrt(v + eps)) * (scale.data[j] as number) + (bias.data[j] as number)));
        }
        out = { dims: x.dims, data };
        break;
      }
      case 'LSTM':
      case 'GRU':
        expect(attr('layout') ?? 0).toBe(0);
        out = recurrent(node.op, x, get(node.inputs[1]), get(node.inputs[2]), get(node.inputs[3]), attr('hidden_size') as number, (attr('linear_before_reset') as number | undefined) ?? 0);
        break;
      default:
        throw new Error(`interpreter lacks ${node.op}`);
    }
    if (Array.isArray(out)) node.outputs.forEach((name, i) => values.set(name, (out as [Arr, Arr])[i] as Arr));
    else values.set(node.outputs[0] as string, out);
  }
  return get(model.output);
}

function check(spec: ModelSpec, batch: number, expectedOps: string[]): void {
  const model = buildModel(spec);
  const bn = model.namedBuffers();
  for (const [, b] of bn) for (let i = 0; i < b.length; i++) b[i] = 0.5 + 0.1 * i; // non-trivial running stats
  const random = createRandom(11);
  for (const p of model.parameters()) for (let i = 0; i < p.size; i++) p.data[i] = (p.data[i] as number) + random.uniformRange(-0.2, 0.2); // biases non-zero too
  model.setTraining(false);
  const x = new Tensor(Float32Array.from({ length: batch * spec.input_shape.reduce((a, b) => a * b, 1) }, () => random.uniformRange(-1, 1)), [batch, ...spec.input_shape]);
  const expected = noGrad(() => model.forward(x));
  const bytes = exportOnnx(model, { inputShape: spec.input_shape });
  const parsed = parseModel(bytes);
  expect(parsed.irVersion).toBe(8);
  expect(parsed.opset).toBe(17);
  expect(parsed.nodes.map((n) => n.op)).toEqual(expectedOps);
  const got = run(parsed, { dims: x.shape.slice(), data: x.data });
  expect(got.dims).toEqual(expected.shape);
  let worst = 0;
  for (let i = 0; i < expected.size; i++) worst = Math.max(worst, Math.abs((got.data[i] as number) - (expected.data[i] as number)));
  expect(worst).toBeLessThan(1e-4);
}

describe('ONNX export (decoded and run by a reference interpreter)', () => {
  it('MLP with softmax head', () => {
    check({ input_shape: [6], seed: 1, layers: [{ type: 'dense', units: 5 }, { type: 'relu' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 4 }, { type: 'leaky_relu', alpha: 0.2 }, { type: 'dense', units: 3 }, { type: 'softmax' }] }, 3, ['Gemm', 'Relu', 'Gemm', 'LeakyRelu', 'Gemm', 'Softmax']);
  });
  it('1-D CNN with batch norm, pooling and global average', () => {
    check(
      { input_shape: [2, 40], seed: 2, layers: [{ type: 'conv1d', filters: 3, kernel: 5, padding: 2 }, { type: 'batch_norm' }, { type: 'relu' }, { type: 'max_pool', size: 4 }, { type: 'conv1d', filters: 4, kernel: 3, stride: 2 }, { type: 'tanh' }, { type: 'avg_pool', size: 2 }, { type: 'global_avg_pool' }, { type: 'dense', units: 2 }] },
      2,
      ['Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Conv', 'Tanh', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'Gemm'],
    );
  });
  it('2-D CNN with flatten and layer norm', () => {
    check({ input_shape: [1, 6, 7], seed: 3, layers: [{ type: 'conv2d', filters: 2, kernel: [3, 2], padding: 1 }, { type: 'sigmoid' }, { type: 'max_pool', size: 2 }, { type: 'flatten' }, { type: 'layer_norm' }, { type: 'dense', units: 3 }] }, 2, ['Conv', 'Sigmoid', 'MaxPool', 'Flatten', 'LayerNormalization', 'Gemm']);
  });
  it('LSTM (sequences) into GRU (last step): gate orders match', () => {
    check({ input_shape: [5, 3], seed: 4, layers: [{ type: 'lstm', units: 4, return_sequences: true }, { type: 'gru', units: 3 }, { type: 'dense', units: 2 }] }, 2, ['Transpose', 'LSTM', 'Transpose', 'Reshape', 'Transpose', 'GRU', 'Reshape', 'Gemm']);
  });
  it('refuses layers it cannot express', () => {
    try {
      exportOnnx(buildModel({ input_shape: [3, 4], layers: [{ type: 'attention', heads: 2 }] }), { inputShape: [3, 4] });
      throw new Error('no error');
    } catch (error) {
      expect(isCajalError(error, 'FORMAT_UNSUPPORTED')).toBe(true);
    }
  });
});
