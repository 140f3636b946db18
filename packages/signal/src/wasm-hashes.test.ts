import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fftModuleBytes } from './wasm-fft-module.ts';

// The static kernel is guarded by its hash: these are the bytes the FFT module had before it
// emitted through @cajal/core's WebAssembly builder (so the same machine code and speed). A
// deliberate change to the kernel updates the pin (and is benchmarked).
describe('FFT module', () => {
  it('keeps its bytes', () => {
    const bytes = fftModuleBytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('1e0d4482caa975146e8c7a763c96cf07bd6f4fb735349d074f2fea4ce6722ec5');
  });
});
