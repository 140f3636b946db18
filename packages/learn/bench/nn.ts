/**
 * Training-step benchmark of the hand-written nn core against TensorFlow.js 4.22 (cpu and wasm
 * backends) and PyTorch (Debian python3-torch, 1 thread), run side by side in one process tree.
 * Workloads and initial weights are those of /work/shared/peers/nn_torch.py and nn_tfjs.mjs
 * (mulberry32 streams, Keras layouts), so `<w>_loss_first` must agree with the peers'.
 *
 * Usage: tsx packages/learn/bench/nn.ts [--only mlp,cnn,lstm,mlp_med] [--peers torch,tfjs-wasm,tfjs-cpu]
 *        [--tfjs-cpu-only mlp,lstm,mlp_med] [--steps 20] [--no-wasm]
 * tfjs cpu trains the CNN at about 60 s a step, so it is left out unless named in --tfjs-cpu-only.
 * Prints one JSON object (last stdout line).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Adam, Conv1d, Dense, GlobalAvgPool, LSTM, MaxPool, type Module, ReLU, Sequential, Tensor, backward, gemmBackend, noGrad, softmaxCrossEntropy } from '../src/nn/index.ts';
import { loadWasmGemm } from '../src/nn/wasm_gemm.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const peersDir = process.env['CAJAL_SHARED'] ? join(process.env['CAJAL_SHARED'], 'peers') : resolve(root, '..', 'shared', 'peers');

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}
const only = argument('--only', 'mlp,cnn,lstm,mlp_med').split(',');
const peers = argument('--peers', 'torch,tfjs-wasm,tfjs-cpu').split(',').filter(Boolean);
const tfjsCpuOnly = argument('--tfjs-cpu-only', 'mlp,lstm,mlp_med').split(',').filter((w) => only.includes(w));
const steps = Number(argument('--steps', '20'));
const useWasm = !process.argv.includes('--no-wasm');

function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function uniformSym(seed: number, n: number, bound: number): Float32Array {
  const r = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 2 - 1) * bound;
  return out;
}
function labels(seed: number, n: number, classes: number): Int32Array {
  const r = mulberry32(seed);
  return Int32Array.from({ length: n }, () => Math.floor(r() * classes));
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Workload {
  base: number;
  batch: number;
  classes: number;
  xShape: number[];
  build(draw: (n: number, fanIn: number) => Float32Array): Module;
}

function dense(inputs: number, outputs: number, draw: (n: number, fanIn: number) => Float32Array): Dense {
  const layer = new Dense(inputs, outputs);
  layer.weight.data.set(draw(inputs * outputs, inputs));
  layer.bias?.data.set(draw(outputs, inputs));
  return layer;
}

function conv(inputs: number, filters: number, kernel: number, draw: (n: number, fanIn: number) => Float32Array): Conv1d {
  const layer = new Conv1d(inputs, filters, kernel);
  const keras = draw(kernel * inputs * filters, kernel * inputs); // [k, in, out]
  for (let k = 0; k < kernel; k++) for (let c = 0; c < inputs; c++) for (let f = 0; f < filters; f++) {
    layer.weight.data[(f * inputs + c) * kernel + k] = keras[(k * inputs + c) * filters + f] as number;
  }
  layer.bias?.data.set(draw(filters, kernel * inputs));
  return layer;
}


const WORKLOADS: Record<string, Workload> = {
  mlp: { base: 1000, batch: 64, classes: 10, xShape: [64, 784], build: (d) => new Sequential([dense(784, 256, d), new ReLU(), dense(256, 256, d), new ReLU(), dense(256, 10, d)]) },
  cnn: {
    base: 2000, batch: 32, classes: 2, xShape: [32, 1, 4096],
    build: (d) => new Sequential([conv(1, 16, 7, d), new ReLU(), new MaxPool(4), conv(16, 32, 7, d), new ReLU(), new MaxPool(4), conv(32, 64, 7, d), new ReLU(), new GlobalAvgPool(), dense(64, 2, d)]),
  },
  lstm: {
    base: 3000, batch: 32, classes: 2, xShape: [32, 50, 16],
    build: (d) => {
      const cell = new LSTM(16, 64);
      cell.inputWeight.data.set(d(16 * 256, 64));
      cell.recurrentWeight.data.set(d(64 * 256, 64));
      cell.bias.data.set(d(256, 64));
      return new Sequential([cell, dense(64, 2, d)]);
    },
  },
  mlp_med: { base: 4000, batch: 256, classes: 10, xShape: [256, 784], build: (d) => new Sequential([dense(784, 1024, d), new ReLU(), dense(1024, 1024, d), new ReLU(), dense(1024, 10, d)]) },
};

function runOurs(name: string, spec: Workload): Record<string, number> {
  let j = 0;
  const draw = (n: number, fanIn: number): Float32Array => uniformSym(spec.base + 10 + j++, n, 1 / Math.sqrt(fanIn));
  const model = spec.build(draw);
  const size = spec.xShape.reduce((p, q) => p * q, 1);
  const x = new Tensor(uniformSym(spec.base + 1, size, 1), spec.xShape);
  const y = labels(spec.base + 2, spec.batch, spec.classes);
  const out: Record<string, number> = { [`${name}_params`]: model.parameterCount() };
  out[`${name}_loss_first`] = noGrad(() => softmaxCrossEntropy(model.forward(x), y).item());
  model.setTraining(false);
  const ti: number[] = [];
  for (let i = 0; i < 23; i++) {
    const t = performance.now();
    noGrad(() => model.forward(x));
    if (i >= 3) ti.push(performance.now() - t);
  }
  out[`${name}_infer_ms`] = median(ti);
  model.setTraining(true);
  const optimizer = new Adam(model.parameters(), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  const step = (): number => {
    model.zeroGrad();
    const loss = softmaxCrossEntropy(model.forward(x), y);
    backward(loss);
    optimizer.step();
    return loss.item();
  };
  let last = NaN;
  for (let i = 0; i < 3; i++) last = step();
  const ts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    last = step();
    ts.push(performance.now() - t);
  }
  out[`${name}_step_ms`] = median(ts);
  out[`${name}_step_ms_min`] = Math.min(...ts);
  out[`${name}_loss_last`] = last;
  return out;
}

function runPeer(label: string, command: string, args: string[], env: Record<string, string> = {}): Record<string, unknown> {
  try {
    const stdout = execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
  } catch (error) {
    return { peer: label, error: String(error instanceof Error ? error.message : error).split('\n')[0] };
  }
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = { bench: 'nn', date: new Date().toISOString(), node_version: process.version, machine: '2-core shared dev VM', steps };
  if (useWasm) await loadWasmGemm();
  result['cajal_gemm'] = gemmBackend() ? 'wasm-simd' : 'js';
  const ours: Record<string, number> = {};
  for (const name of only) {
    const spec = WORKLOADS[name];
    if (!spec) throw new Error(`unknown workload ${name}`);
    Object.assign(ours, runOurs(name, spec));
    process.stderr.write(`[cajal ${name}] step ${ours[`${name}_step_ms`]?.toFixed(2)} ms\n`);
  }
  result['cajal'] = ours;
  const tfjsScript = join(peersDir, 'nn_tfjs.mjs');
  const tfjsModules = join(root, 'node_modules');
  const comparisons: Record<string, Record<string, unknown>> = {};
  if (peers.includes('tfjs-wasm') && existsSync(tfjsScript)) {
    comparisons['tfjs_wasm'] = runPeer('tfjs-wasm', process.execPath, [tfjsScript, '--backend', 'wasm', '--only', only.join(',')], { TFJS_MODULES: tfjsModules });
  }
  if (peers.includes('tfjs-cpu') && existsSync(tfjsScript) && tfjsCpuOnly.length > 0) {
    comparisons['tfjs_cpu'] = runPeer('tfjs-cpu', process.execPath, [tfjsScript, '--backend', 'cpu', '--only', tfjsCpuOnly.join(',')], { TFJS_MODULES: tfjsModules });
  }
  const torchScript = join(peersDir, 'nn_torch.py');
  if (peers.includes('torch') && existsSync(torchScript) && existsSync('/usr/bin/python3')) {
    comparisons['torch_1thread'] = runPeer('torch', '/usr/bin/python3', [torchScript, '--threads', '1', '--only', only.join(',')]);
  }
  result['peers'] = comparisons;
  const ratios: Record<string, number> = {};
  for (const name of only) {
    const mine = ours[`${name}_step_ms`] as number;
    for (const [peer, values] of Object.entries(comparisons)) {
      const theirs = values[`${name}_step_ms`];
      if (typeof theirs === 'number') ratios[`${name}_step_${peer}_over_cajal`] = theirs / mine;
      const lossFirst = values[`${name}_loss_first`];
      if (typeof lossFirst === 'number') ratios[`${name}_loss_first_abs_diff_${peer}`] = Math.abs(lossFirst - (ours[`${name}_loss_first`] as number));
    }
  }
  result['ratios'] = ratios;
  console.log(JSON.stringify(result));
}

await main();
