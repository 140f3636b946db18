import { createHash } from 'node:crypto';
import { createRandom } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { buildNetwork } from './build.ts';
import { coba, cuba, poissonLif } from './examples.ts';
import type { NetworkDescription } from './network.ts';
import { compileWasmKernels, wasmSimdAvailable } from './wasm.ts';

/**
 * The wasm backend generates its modules from the model at run time; these pins say that the
 * bytes (and so the machine code V8 makes of them, and the speed) stay those the generator gave
 * before it emitted through `@cajal/core`'s WebAssembly builder. A change to the generator that
 * changes the code on purpose updates them (and is benchmarked).
 */
/** The first 16 hex digits of the SHA-256 of each module the wasm backend compiles for `description`, in order. */
function moduleHashes(description: NetworkDescription): string[] {
  const hashes: string[] = [];
  const original = WebAssembly.Module;
  const recording = function (bytes: BufferSource) {
    hashes.push(createHash('sha256').update(bytes as Uint8Array).digest('hex').slice(0, 16));
    return new original(bytes);
  } as unknown as typeof WebAssembly.Module;
  WebAssembly.Module = recording;
  try {
    compileWasmKernels(buildNetwork(description), createRandom(1));
  } finally {
    WebAssembly.Module = original;
  }
  return hashes;
}

describe('wasm backend modules', () => {
  it('has WebAssembly SIMD here', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });

  it('generates the same bytes as before for the example networks (update, then scatter modules)', () => {
    const hashes = {
      cobaDouble: moduleHashes(coba({ size: 400 })),
      cobaSingle: moduleHashes({ ...coba({ size: 400 }), precision: 'single' }),
      cuba: moduleHashes(cuba({ size: 400 })),
      poissonLif: moduleHashes(poissonLif({ size: 200 })),
    };
    expect(hashes).toEqual({
      cobaDouble: ['532ade98a160b8eb', '52e7897b84f59610', 'd17d1de216c47f2e'],
      cobaSingle: ['898ad3b1a721bb0b', 'a16b136c8357f8bb', 'f53bdf49ef72b600'],
      cuba: ['d0b9071031b6e3fc', 'b95ed6788e8b7f0d', '60bbb473a532b514'],
      poissonLif: ['746d44ade7da69eb'],
    });
  });
});
