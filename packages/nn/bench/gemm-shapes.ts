/** Focused timing of the wasm gemm on the mlp_med shapes (CPU ms, minimum of repeats). */
import { createWasmGemm } from '../src/wasm-gemm.ts';

const backend = createWasmGemm(1);
if (!backend) throw new Error('no wasm SIMD');
const rnd = (n: number): Float32Array => Float32Array.from({ length: n }, (_v, i) => ((i * 7919) % 1000) / 1000 - 0.5);
const shapes: Array<[string, 'nn' | 'tn' | 'nt', number, number, number]> = [
  ['fwd 256x784x1024', 'nn', 256, 784, 1024],
  ['fwd 256x1024x1024', 'nn', 256, 1024, 1024],
  ['dX 256x1024x1024 (NT)', 'nt', 256, 1024, 1024],
  ['dW 1024x256x1024 (TN)', 'tn', 1024, 256, 1024],
  ['small fwd 64x784x256', 'nn', 64, 784, 256],
  ['small dW 784x64x256 (TN)', 'tn', 784, 64, 256],
];
const out: Record<string, unknown> = {};
for (const [label, kind, m, k, n] of shapes) {
  const a = rnd(m * k);
  const b = rnd(k * n);
  const c = new Float32Array(m * n);
  const f = kind === 'nn' ? backend.gemm : kind === 'tn' ? backend.gemmTN! : backend.gemmNT!;
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t = process.cpuUsage();
    f(a, 0, b, 0, c, 0, m, k, n, false);
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) / 1000);
  }
  out[label] = { ms: +best.toFixed(2), gmacs: +((m * k * n) / best / 1e6).toFixed(1) };
}
console.log(JSON.stringify(out, null, 1));
