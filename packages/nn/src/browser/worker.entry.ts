/** Web Worker entry: serve training requests (bundled by the browser test; usable as is with a bundler). */
import { useWasmGemm } from '../use-wasm-gemm.ts';
import { type WorkerScope, serveTraining } from '../worker.ts';

// WebAssembly SIMD matrix products when the engine has them (synchronous compile is allowed in workers).
useWasmGemm();
serveTraining(self as unknown as WorkerScope);
