/**
 * `nn`: the hand-written neural-network training core of Cajal — tensors with reverse-mode
 * automatic differentiation, layers, optimisers, a training loop, weight files, ONNX export,
 * a Web Worker, and the models built on it (recurrent working-memory agents, an attention
 * network for cueing, an EEG classifier). See packages/learn/src/nn/README.md.
 *
 * @example
 *   import { nn } from '@cajal/learn';
 *   const model = new nn.Sequential([new nn.Dense(4, 8), new nn.ReLU(), new nn.Dense(8, 2)]);
 */
export * from './tensor.ts';
export * from './ops.ts';
export * from './linalg.ts';
export * from './functional.ts';
export * from './conv.ts';
export * from './pool.ts';
export * from './recurrent.ts';
export * from './kernels.ts';
export * from './init.ts';
export * from './module.ts';
export * from './layers.ts';
export * from './sequence_layers.ts';
export * from './optim.ts';
export * from './train.ts';
export * from './models/eeg.ts';
export * from './tasks.ts';
export * from './models/working_memory.ts';
export * from './models/cueing.ts';
export * from './wasm_gemm.ts';
export * from './spec.ts';
export * from './io.ts';
export * from './onnx.ts';
export * from './config.ts';
export * from './worker.ts';

import { createWasmGemm as createWasmGemmBackend } from './wasm_gemm.ts';
import { setGemmBackend as installGemmBackend } from './kernels.ts';

// Use the WebAssembly SIMD kernel for products of ≥ 32·32·32 multiply-adds when the engine
// supports it (call setGemmBackend(null) to force the plain JavaScript kernel).
const wasmGemm = createWasmGemmBackend();
if (wasmGemm) installGemmBackend(wasmGemm);
