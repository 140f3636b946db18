import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { activationModuleBytes } from './wasm-act.ts';
import { adamModuleBytes } from './wasm-adam.ts';
import { gemmModuleBytes } from './wasm-gemm.ts';
import { poolModuleBytes } from './wasm-pool.ts';

// The static kernels are guarded by their hashes: these are the bytes the modules had before
// they emitted through @cajal/core's WebAssembly builder (so the same machine code and speed).
// A deliberate change to a kernel updates its pin (and is benchmarked).
const pins: [string, () => Uint8Array<ArrayBuffer>, string][] = [
  ['gemm', () => gemmModuleBytes(false), '64410f7ae9839467bd476209193a58e5cfcfd2d22e8c2e81ff96fcff07d80d8a'],
  ['gemm fused', () => gemmModuleBytes(true), 'ececab26e640c282ceb43f4e3941954d4a9ac22af240601d2b6d6b229cb05858'],
  ['activations', activationModuleBytes, 'd0f13c32c3446792e7d4e1b6563c098ef41a4d99ea620bac57dbded217e6487d'],
  ['adam', adamModuleBytes, 'caa66e64757c38bd72369d338bb62a84a9d5d2149eadd3ce98ca01fad7a46a64'],
  ['pool', poolModuleBytes, '80521397eddff0d98a156f79364a80bd00366120b14f4aa3e5cfe570f67bf4b8'],
];

describe('nn kernel modules', () => {
  for (const [name, build, sha256] of pins) {
    it(`${name} keeps its bytes`, () => {
      const bytes = build();
      // The fused gemm uses relaxed SIMD (f32x4.relaxed_madd), which Node 20 validates only
      // behind a flag; the gemm loader falls back to the plain module there.
      if (name !== 'gemm fused') expect(WebAssembly.validate(bytes)).toBe(true);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
    });
  }
});
