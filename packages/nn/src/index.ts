/**
 * @cajal/nn: the hand-written neural-network training core of Cajal — tensors with
 * reverse-mode automatic differentiation, layers, optimisers, a training loop, weight files,
 * ONNX export, training configs, a Web Worker, and an EEG classifier built on it. See
 * packages/nn/README.md. Importing it changes no global state: call `loadWasmGemm()` to
 * install the WebAssembly SIMD matrix product.
 *
 * @example
 *   import { Dense, ReLU, Sequential, loadWasmGemm } from '@cajal/nn';
 *   await loadWasmGemm();
 *   const model = new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 2)]);
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
export * from './sequence-layers.ts';
export * from './optim.ts';
export * from './train.ts';
export * from './episodes.ts';
export * from './models/eeg.ts';
export * from './wasm-gemm.ts';
export * from './spec.ts';
export * from './io.ts';
export * from './onnx.ts';
export * from './config.ts';
export * from './worker.ts';
