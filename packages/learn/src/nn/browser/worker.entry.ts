/** Web Worker entry: serve training requests (bundled by the browser test; usable as is with a bundler). */
import { setGemmBackend } from '../kernels.ts';
import { createWasmGemm } from '../wasm_gemm.ts';
import { type WorkerScope, serveTraining } from '../worker.ts';

// WebAssembly SIMD matrix products when the engine has them (synchronous compile is allowed in workers).
const wasm = createWasmGemm();
if (wasm) setGemmBackend(wasm);
serveTraining(self as unknown as WorkerScope);
