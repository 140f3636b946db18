import { describe, expect, it } from 'vitest';
import { i32Const, localGet, section, signedLeb, unsignedLeb, wasmModule, wasmName } from './wasm-bytes.ts';

describe('WebAssembly byte helpers', () => {
  it('encodes LEB128 as the specification examples do', () => {
    expect(unsignedLeb(0)).toEqual([0]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-1n)).toEqual([0x7f]);
    expect(signedLeb(-(2n ** 63n))).toHaveLength(10);
  });

  it('builds a module the engine accepts and runs', () => {
    // (func (param i32) (result i32) local.get 0 i32.const 2 i32.add), exported as "add2".
    const body = [0, ...localGet(0), ...i32Const(2), 0x6a, 0x0b];
    const bytes = wasmModule([
      section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]),
      section(3, [1, 0]),
      section(7, [1, ...wasmName('add2'), 0x00, 0]),
      section(10, [1, ...unsignedLeb(body.length), ...body]),
    ]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect((instance.exports['add2'] as (x: number) => number)(40)).toBe(42);
  });
});
