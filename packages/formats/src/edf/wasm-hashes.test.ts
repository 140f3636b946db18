import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { int16DecodeModuleBytes } from './wasm-decode.ts';

// The static kernel is guarded by its hash: these are the bytes the decoder had before it emitted
// through @cajal/core's WebAssembly builder (so the same machine code and speed). A deliberate
// change to the kernel updates the pin (and is benchmarked).
describe('EDF decode module', () => {
  it('keeps its bytes', () => {
    const bytes = int16DecodeModuleBytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('9f772908e10bcee655d7005b2d9f3b9bc8b491e98f0b817637ee41b198c3eb8d');
  });
});
