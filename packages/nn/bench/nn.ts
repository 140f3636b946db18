/**
 * Training-step benchmark of the hand-written nn core against TensorFlow.js 4.22 (cpu and wasm
 * backends) and PyTorch (Debian python3-torch, 1 thread unless --torch-threads), run side by side in one process tree.
 * Workloads and initial weights are those of /work/shared/peers/nn_torch.py and nn_tfjs.mjs
 * (mulberry32 streams, Keras layouts), so `<w>_loss_first` must agree with the peers'.
 *
 * Medium CNN and LSTM (cnn_med, lstm_med) are not in the shared peer scripts; this file runs
 * them in TensorFlow.js itself (child process `--tfjs-child cpu|wasm`, same mulberry32 weight
 * streams and Keras layouts, same Adam settings and timing rules as nn_tfjs.mjs).
 *
 * Usage: tsx packages/learn/bench/nn.ts [--only mlp,cnn,lstm,mlp_med,cnn_med,lstm_med]
 *        [--peers torch,tfjs-wasm,tfjs-cpu] [--tfjs-cpu-only mlp,lstm,mlp_med,lstm_med] [--steps 20] [--no-wasm]
 *        [--torch-threads 1,2]
 * tfjs cpu trains the CNNs at about 60 s a step, so they are left out unless named in --tfjs-cpu-only.
 * Prints one JSON object (last stdout line).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Adam, Conv1d, Dense, GlobalAvgPool, LSTM, MaxPool, type Module, ReLU, Sequential, Tensor, backward, gemmBackend, noGrad, softmaxCrossEntropy } from '../src/index.ts';
import { gemmIsFused, loadWasmGemm } from '../src/wasm-gemm.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const peersDir = process.env['CAJAL_SHARED'] ? join(process.env['CAJAL_SHARED'], 'peers') : resolve(root, '..', 'shared', 'peers');

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}
const only = argument('--only', 'mlp,cnn,lstm,mlp_med,cnn_med,lstm_med').split(',');
const peers = argument('--peers', 'torch,tfjs-wasm,tfjs-cpu').split(',').filter(Boolean);
const tfjsCpuOnly = argument('--tfjs-cpu-only', 'mlp,cnn,lstm,mlp_med,lstm_med').split(',').filter((w) => only.includes(w));
const steps = Number(argument('--steps', '20'));
const useWasm = !process.argv.includes('--no-wasm');
/**
 * PyTorch thread counts to run (default 1: Cajal is single-threaded, so one thread is the like
 * for like comparison; `--torch-threads 1,2` adds a run with both cores of this machine).
 */
const torchThreads = argument('--torch-threads', '1').split(',').map(Number).filter((t) => t >= 1);

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
  cnn_med: {
    base: 5000, batch: 32, classes: 2, xShape: [32, 1, 4096],
    build: (d) => new Sequential([conv(1, 32, 7, d), new ReLU(), new MaxPool(4), conv(32, 64, 7, d), new ReLU(), new MaxPool(4), conv(64, 128, 7, d), new ReLU(), new GlobalAvgPool(), dense(128, 2, d)]),
  },
  lstm_med: {
    base: 6000, batch: 64, classes: 2, xShape: [64, 100, 32],
    build: (d) => {
      const cell = new LSTM(32, 128);
      cell.inputWeight.data.set(d(32 * 512, 128));
      cell.recurrentWeight.data.set(d(128 * 512, 128));
      cell.bias.data.set(d(512, 128));
      return new Sequential([cell, dense(128, 2, d)]);
    },
  },
};

/**
 * Workloads the shared peer scripts do not have run in TensorFlow.js by this file
 * (--tfjs-child); so do the tfjs-cpu runs of the slow ones, with `--cpu-steps` timed steps
 * (default 3; their steps take seconds to a minute, so the median of 3 is already stable).
 */
const LOCAL_TFJS = ['cnn_med', 'lstm_med'];
const CPU_SLOW = ['cnn', 'cnn_med', 'mlp_med', 'lstm_med'];
const cpuSteps = Number(argument('--cpu-steps', '3'));

/** TensorFlow.js version of a local workload, weights from the same streams in Keras layout. */
async function tfjsChild(backend: string, names: string[]): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const result: Record<string, unknown> = { peer: 'tfjs (bench/nn.ts)', tfjs_version: tf.version.tfjs, backend_requested: backend, steps };
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    result['wasm_ok'] = await tf.setBackend('wasm');
  } else await tf.setBackend('cpu');
  await tf.ready();
  result['backend'] = tf.getBackend();
  for (const name of names) {
    try {
      await tfjsWorkload(tf, name, result);
    } catch (error) {
      result[`${name}_error`] = String(error instanceof Error ? error.message : error).split('\n')[0];
      process.stderr.write(`[tfjs-${backend} ${name}] ${result[`${name}_error`]}\n`);
    }
  }
  console.log(JSON.stringify(result));
}

async function tfjsWorkload(tf: typeof import('@tensorflow/tfjs'), name: string, result: Record<string, unknown>): Promise<void> {
  {
    const spec = WORKLOADS[name] as Workload;
    const L = tf.layers;
    const model = tf.sequential();
    if (name === 'cnn' || name === 'cnn_med') {
      const f = name === 'cnn' ? [16, 32, 64] : [32, 64, 128];
      model.add(L.conv1d({ inputShape: [4096, 1], filters: f[0] as number, kernelSize: 7, activation: 'relu' }));
      model.add(L.maxPooling1d({ poolSize: 4, strides: 4 }));
      model.add(L.conv1d({ filters: f[1] as number, kernelSize: 7, activation: 'relu' }));
      model.add(L.maxPooling1d({ poolSize: 4, strides: 4 }));
      model.add(L.conv1d({ filters: f[2] as number, kernelSize: 7, activation: 'relu' }));
      model.add(L.globalAveragePooling1d());
      model.add(L.dense({ units: 2 }));
    } else if (name === 'lstm' || name === 'lstm_med') {
      const [steps_, inputs, units] = name === 'lstm' ? [50, 16, 64] : [100, 32, 128];
      model.add(L.lstm({ inputShape: [steps_ as number, inputs as number], units: units as number, activation: 'tanh', recurrentActivation: 'sigmoid' }));
      model.add(L.dense({ units: 2 }));
    } else {
      const h = name === 'mlp' ? 256 : 1024;
      model.add(L.dense({ inputShape: [784], units: h, activation: 'relu' }));
      model.add(L.dense({ units: h, activation: 'relu' }));
      model.add(L.dense({ units: 10 }));
    }
    let j = 0;
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (weights.length === 0) continue;
      const k = weights[0]?.shape as number[];
      const fanIn = layer.getClassName() === 'LSTM' ? (name === 'lstm' ? 64 : 128) : layer.getClassName() === 'Conv1D' ? (k[0] as number) * (k[1] as number) : (k[0] as number);
      layer.setWeights(weights.map((w) => tf.tensor(uniformSym(spec.base + 10 + j++, w.size, 1 / Math.sqrt(fanIn)), w.shape, 'float32')));
    }
    // Our x is [B, 1, L] (NCW) or [B, T, I]; with one channel NWC has the same memory layout.
    const xShape = name.startsWith('cnn') ? [spec.batch, 4096, 1] : spec.xShape;
    const x = tf.tensor(uniformSym(spec.base + 1, spec.xShape.reduce((p, q) => p * q, 1), 1), xShape, 'float32');
    const y = tf.oneHot(tf.tensor1d(labels(spec.base + 2, spec.batch, spec.classes), 'int32'), spec.classes).toFloat();
    const lossFn = (): import('@tensorflow/tfjs').Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as import('@tensorflow/tfjs').Tensor) as import('@tensorflow/tfjs').Scalar;
    result[`${name}_params`] = model.countParams();
    result[`${name}_loss_first`] = tf.tidy(() => lossFn().dataSync()[0]);
    const ti: number[] = [];
    for (let i = 0; i < Math.min(23, steps + 3); i++) {
      const t = performance.now();
      const p = model.predict(x) as import('@tensorflow/tfjs').Tensor;
      p.dataSync();
      p.dispose();
      if (i >= 3) ti.push(performance.now() - t);
    }
    result[`${name}_infer_ms`] = median(ti);
    const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const step = (): number => {
      const cost = optimizer.minimize(lossFn, true) as import('@tensorflow/tfjs').Scalar;
      const v = cost.dataSync()[0] as number;
      cost.dispose();
      return v;
    };
    let last = NaN;
    for (let i = 0; i < Math.min(3, steps); i++) last = step();
    const ts: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      last = step();
      ts.push(performance.now() - t);
    }
    result[`${name}_steps`] = steps;
    result[`${name}_step_ms`] = median(ts);
    result[`${name}_step_ms_min`] = Math.min(...ts);
    result[`${name}_loss_last`] = last;
    process.stderr.write(`[tfjs-${tf.getBackend()} ${name}] step ${(result[`${name}_step_ms`] as number).toFixed(2)} ms\n`);
    x.dispose();
    y.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

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
  const cpu = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    last = step();
    ts.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  out[`${name}_step_ms`] = median(ts);
  out[`${name}_step_ms_min`] = Math.min(...ts);
  // Mean CPU time (user + system) of the timed steps: less sensitive to other jobs than wall time.
  out[`${name}_step_cpu_ms`] = (used.user + used.system) / 1000 / steps;
  out[`${name}_loss_last`] = last;
  return out;
}

function torchInstalled(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
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
  const result: Record<string, unknown> = { bench: 'nn', date: new Date().toISOString(), node_version: process.version, machine: '2-core x86_64 cloud VM, 24 GiB, Node 20.20 (shared with other jobs)', steps };
  if (useWasm) await loadWasmGemm();
  result['cajal_gemm'] = gemmBackend() ? (gemmIsFused() ? 'wasm-simd (relaxed_madd)' : 'wasm-simd') : 'js';
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
  const shared = only.filter((w) => !LOCAL_TFJS.includes(w));
  const local = only.filter((w) => LOCAL_TFJS.includes(w));
  const self = [...process.execArgv, fileURLToPath(import.meta.url), '--steps', String(steps)];
  const merge = (key: string, part: Record<string, unknown>): void => {
    comparisons[key] = { ...(comparisons[key] ?? {}), ...part };
  };
  if (peers.includes('tfjs-wasm')) {
    if (shared.length > 0 && existsSync(tfjsScript)) merge('tfjs_wasm', runPeer('tfjs-wasm', process.execPath, [tfjsScript, '--backend', 'wasm', '--only', shared.join(',')], { TFJS_MODULES: tfjsModules }));
    if (local.length > 0) merge('tfjs_wasm', runPeer('tfjs-wasm', process.execPath, [...self, '--tfjs-child', 'wasm', '--only', local.join(',')]));
  }
  if (peers.includes('tfjs-cpu')) {
    const cpuShared = tfjsCpuOnly.filter((w) => !LOCAL_TFJS.includes(w) && !CPU_SLOW.includes(w));
    const cpuLocal = tfjsCpuOnly.filter((w) => LOCAL_TFJS.includes(w) || CPU_SLOW.includes(w));
    if (cpuShared.length > 0 && existsSync(tfjsScript)) merge('tfjs_cpu', runPeer('tfjs-cpu', process.execPath, [tfjsScript, '--backend', 'cpu', '--only', cpuShared.join(',')], { TFJS_MODULES: tfjsModules }));
    if (cpuLocal.length > 0) merge('tfjs_cpu', runPeer('tfjs-cpu', process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--steps', String(cpuSteps), '--tfjs-child', 'cpu', '--only', cpuLocal.join(',')]));
  }
  const torchScript = join(peersDir, 'nn_torch.py');
  if (peers.includes('torch') && existsSync(torchScript) && existsSync('/usr/bin/python3')) {
    for (const threads of torchThreads) {
      comparisons[`torch_${threads}thread${threads === 1 ? '' : 's'}`] = !torchInstalled() ? { peer: 'torch', error: 'python3-torch is not installed for /usr/bin/python3 (import torch fails)' } : shared.length > 0 ? runPeer('torch', '/usr/bin/python3', [torchScript, '--threads', String(threads), '--only', shared.join(',')]) : { peer: 'torch', error: 'no shared workloads selected' };
    }
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

const child = argument('--tfjs-child', '');
if (child) await tfjsChild(child, only);
else await main();
