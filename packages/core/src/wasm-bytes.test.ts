import { describe, expect, it } from 'vitest';
import { BLOCK, END, LOOP, br, brIf, i32Const, localGet, localSet, op, section, signedLeb, simd, simdMemory, simdOp, unsignedLeb, v128Const, wasmModule, wasmName } from './wasm-bytes.ts';

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

  it('encodes SIMD instructions with their prefix, LEB128 opcode and immediates, in a module the engine runs', () => {
    expect(simd(simdOp.f32x4Add)).toEqual([0xfd, 0xe4, 0x01]);
    expect(simd(simdOp.f32x4RelaxedMadd)).toEqual([0xfd, 0x85, 0x02]);
    expect(simdMemory(simdOp.v128Store64Lane, 3, 200, 1)).toEqual([0xfd, 0x5b, 3, 0xc8, 0x01, 1]);
    expect(v128Const(Int32Array.of(1, 2, 3, 4))).toHaveLength(18);
    // (func (param p i32) (param n i32)): x[i] = x[i] * 2 + 1 over n float32 lanes, four at a time.
    const body = [
      0,
      ...BLOCK, ...LOOP,
      ...localGet(1), op.i32Eqz, ...brIf(1),
      ...localGet(0), ...localGet(0), ...simdMemory(simdOp.v128Load, 4), ...v128Const(Float32Array.of(2, 2, 2, 2)), ...simd(simdOp.f32x4Mul),
      ...v128Const(Float32Array.of(1, 1, 1, 1)), ...simd(simdOp.f32x4Add), ...simdMemory(simdOp.v128Store, 4),
      ...localGet(0), ...i32Const(16), op.i32Add, ...localSet(0), ...localGet(1), ...i32Const(4), op.i32Sub, ...localSet(1),
      ...br(0), END, END, END,
    ];
    const bytes = wasmModule([
      section(1, [1, 0x60, 2, 0x7f, 0x7f, 0]),
      section(3, [1, 0]),
      section(5, [1, 0, 1]),
      section(7, [2, ...wasmName('run'), 0x00, 0, ...wasmName('memory'), 0x02, 0]),
      section(10, [1, ...unsignedLeb(body.length), ...body]),
    ]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const floats = new Float32Array((instance.exports['memory'] as WebAssembly.Memory).buffer, 0, 8);
    floats.set([0, 1, 2, 3, 4, 5, 6, 7]);
    (instance.exports['run'] as (p: number, n: number) => void)(0, 8);
    expect([...floats]).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
  });
});
