/** Web Worker entry: serve training requests (bundled by the browser test; usable as is with a bundler). */
import { loadWasmGemm } from '../wasm-gemm.ts';
import { type WorkerScope, serveTraining } from '../worker.ts';

// WebAssembly SIMD matrix products when the engine has them (installed before this returns:
// the module compiles synchronously, which workers allow).
void loadWasmGemm();
serveTraining(self as unknown as WorkerScope);
