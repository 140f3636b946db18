import { setGemmBackend } from './kernels.ts';
import { createWasmGemm } from './wasm-gemm.ts';

/**
 * Install the WebAssembly SIMD matrix-product kernel as the gemm backend, for products of at
 * least `minimumWork` multiply-adds (default 32·32·32), when the engine supports SIMD.
 * Returns whether it was installed; importing `@cajal/nn` installs nothing, so call this once
 * at start-up (CLI command, worker entry, bench). `setGemmBackend(null)` goes back to the
 * plain JavaScript kernel. Compiles synchronously (allowed in Node and in workers; on a
 * browser's main thread prefer `await loadWasmGemm()`).
 *
 * @example
 *   import { useWasmGemm } from '@cajal/nn';
 *   const accelerated = useWasmGemm(); // true on engines with WebAssembly SIMD
 */
export function useWasmGemm(minimumWork?: number): boolean {
  const backend = createWasmGemm(minimumWork);
  if (backend) setGemmBackend(backend);
  return backend !== null;
}
