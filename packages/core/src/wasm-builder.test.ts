import { describe, expect, it } from 'vitest';
import { isCajalError } from './errors.ts';
import { WasmModuleBuilder, br, brIf, f32x4, f64, globalGet, i32, localGet, localSet, v128 } from './wasm-builder.ts';
import { signedLeb, unsignedLeb } from './wasm-bytes.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** The error `run` throws (a CajalError with code INVALID_ARGUMENT and this location field), or a failure. */
function misuseField(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(isCajalError(error, 'INVALID_ARGUMENT')).toBe(true);
    return (error as { location: { field?: string } }).location.field;
  }
  throw new Error('expected a CajalError');
}

describe('WebAssembly builder', () => {
  it('encodes LEB128 as the specification examples do', () => {
    expect(unsignedLeb(0)).toEqual([0]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-1n)).toEqual([0x7f]);
    expect(signedLeb(-(2n ** 63n))).toHaveLength(10);
  });

  it('builds a module the engine accepts and runs, byte for byte as assembled by hand', () => {
    // (func (param i32) (result i32) local.get 0 i32.const 2 i32.add), exported as "add2".
    const m = new WasmModuleBuilder();
    const f = m.function({ params: ['i32'], results: ['i32'] });
    f.emit(localGet(f.params[0]!), i32.const(2), i32.add);
    const bytes = m.exportFunction('add2', f).bytes();
    expect([...bytes]).toEqual([
      ...HEADER,
      1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f, // type section
      3, 2, 1, 0, // function section
      7, 8, 1, 4, 0x61, 0x64, 0x64, 0x32, 0x00, 0, // export "add2"
      10, 9, 1, 7, 0, 0x20, 0, 0x41, 2, 0x6a, 0x0b, // code: no locals, body, end
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect((instance.exports['add2'] as (x: number) => number)(40)).toBe(42);
  });

  it('encodes SIMD instructions with their prefix, LEB128 opcode and immediates, in a module the engine runs', () => {
    expect(f32x4.add).toEqual([0xfd, 0xe4, 0x01]);
    expect(f32x4.relaxedMadd).toEqual([0xfd, 0x85, 0x02]);
    expect(v128.store64Lane(1, 200, 3)).toEqual([0xfd, 0x5b, 3, 0xc8, 0x01, 1]);
    expect(v128.const(Int32Array.of(1, 2, 3, 4))).toHaveLength(18);
    // (func (param p i32) (param n i32)): x[i] = x[i] * 2 + 1 over n float32 lanes, four at a time.
    const m = new WasmModuleBuilder();
    m.memory({ initial: 1 });
    const f = m.function({ params: ['i32', 'i32'] });
    const [p, n] = f.params;
    f.block((done) => f.loop((next) => {
      f.emit(localGet(n), i32.eqz, brIf(done));
      f.emit(localGet(p), localGet(p), v128.load(), v128.const(Float32Array.of(2, 2, 2, 2)), f32x4.mul);
      f.emit(v128.const(Float32Array.of(1, 1, 1, 1)), f32x4.add, v128.store());
      f.emit(localGet(p), i32.const(16), i32.add, localSet(p), localGet(n), i32.const(4), i32.sub, localSet(n), br(next));
    }));
    const bytes = m.exportFunction('run', f).exportMemory('memory').bytes();
    const two = [...new Uint8Array(Float32Array.of(2, 2, 2, 2).buffer)];
    const one = [...new Uint8Array(Float32Array.of(1, 1, 1, 1).buffer)];
    const body = [
      0, 0x02, 0x40, 0x03, 0x40, 0x20, 1, 0x45, 0x0d, 1,
      0x20, 0, 0x20, 0, 0xfd, 0x00, 4, 0, 0xfd, 0x0c, ...two, 0xfd, 0xe6, 0x01, 0xfd, 0x0c, ...one, 0xfd, 0xe4, 0x01, 0xfd, 0x0b, 4, 0,
      0x20, 0, 0x41, 16, 0x6a, 0x21, 0, 0x20, 1, 0x41, 4, 0x6b, 0x21, 1, 0x0c, 0, 0x0b, 0x0b, 0x0b,
    ];
    expect([...bytes]).toEqual([
      ...HEADER,
      1, 6, 1, 0x60, 2, 0x7f, 0x7f, 0,
      3, 2, 1, 0,
      5, 3, 1, 0, 1,
      7, 16, 2, 3, 0x72, 0x75, 0x6e, 0x00, 0, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0,
      10, body.length + 2, 1, body.length, ...body,
    ]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const floats = new Float32Array((instance.exports['memory'] as WebAssembly.Memory).buffer, 0, 8);
    floats.set([0, 1, 2, 3, 4, 5, 6, 7]);
    (instance.exports['run'] as (p: number, n: number) => void)(0, 8);
    expect([...floats]).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
  });

  it('runs a loop summing an array with typed locals, an imported memory, a global and shared types', () => {
    const m = new WasmModuleBuilder().importMemory('env', 'memory', { initial: 1 });
    const bias = m.global('f64', f64.const(0.5));
    const sum = m.function({ params: ['i32', 'i32'], results: ['f64'] }); // sum(p, end) of float64s, plus the global
    const [p, end] = sum.params;
    const total = sum.local('f64');
    sum.block((done) => sum.loop((next) => {
      sum.emit(localGet(p), localGet(end), i32.geU, brIf(done));
      sum.emit(localGet(total), localGet(p), f64.load(), f64.add, localSet(total));
      sum.emit(localGet(p), i32.const(8), i32.add, localSet(p), br(next));
    }));
    sum.emit(localGet(total), globalGet(bias), f64.add);
    const again = m.function({ params: ['i32', 'i32'], results: ['f64'] });
    again.emit(localGet(again.params[0]!), localGet(again.params[1]!), [0x10, sum.index], f64.const(1), f64.add); // call sum, + 1
    expect(again.typeIndex).toBe(sum.typeIndex);
    const bytes = m.exportFunction('sum', sum).exportFunction('again', again).bytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    new Float64Array(memory.buffer, 0, 4).set([1, 2, 3, 4.25]);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as Record<string, (p: number, end: number) => number>;
    expect(exports['sum']!(0, 32)).toBe(10.75);
    expect(exports['sum']!(8, 16)).toBe(2.5);
    expect(exports['again']!(0, 32)).toBe(11.75);
  });

  it('declares runs of locals of one type together and resolves branch depths from labels', () => {
    const m = new WasmModuleBuilder();
    const f = m.function({ params: ['i32'] });
    const [x] = f.params;
    const [a, b] = f.locals('i32', 2);
    const v = f.local('v128');
    expect([a.index, b.index, v.index]).toEqual([1, 2, 3]);
    f.block((outer) => {
      f.loop(() => {
        f.emit(localGet(x));
        f.if(() => f.emit(br(outer))); // depth 2: if, loop, block
        f.emit(localGet(a), brIf(outer)); // depth 1
      });
    });
    // the code entry: size, local runs (2 x i32, 1 x v128), block, loop, if, br 2, end, br_if 1, end, end, end
    expect([...m.bytes()].slice(-24)).toEqual([23, 2, 2, 0x7f, 1, 0x7b, 0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x04, 0x40, 0x0c, 2, 0x0b, 0x20, 1, 0x0d, 1, 0x0b, 0x0b, 0x0b]);
    expect(WebAssembly.validate(m.bytes())).toBe(true);
  });

  it('throws typed errors for an unknown local, unbalanced blocks and a branch to a label that is not open', () => {
    const m = new WasmModuleBuilder();
    const f = m.function({ params: ['i32'] });
    const g = m.function({ params: ['i32'] });
    expect(misuseField(() => f.emit(localGet(g.params[0]!)))).toBe('local');
    expect(misuseField(() => f.end())).toBe('block');
    const closed = f.block(() => undefined);
    expect(misuseField(() => f.emit(br(closed)))).toBe('label');
    const open = f.block();
    expect(misuseField(() => g.emit(brIf(open)))).toBe('label');
    const inner = f.loop();
    expect(misuseField(() => f.end(open))).toBe('block');
    f.end(inner);
    expect(misuseField(() => m.bytes())).toBe('block');
    f.end(open);
    expect(WebAssembly.validate(m.bytes())).toBe(true);
  });

  it('puts prepended instructions first, outside every block', () => {
    const m = new WasmModuleBuilder();
    const one = m.global('i32', i32.const(1), true);
    const f = m.function({ params: [], results: ['i32'] });
    const k = f.local('i32');
    f.block((done) => {
      f.prepend(globalGet(one), localSet(k));
      f.emit(localGet(k), brIf(done));
    });
    f.emit(localGet(k));
    const bytes = m.exportFunction('k', f).bytes();
    expect([...bytes].slice(-18)).toEqual([17, 1, 1, 0x7f, 0x23, 0, 0x21, 0, 0x02, 0x40, 0x20, 0, 0x0d, 0, 0x0b, 0x20, 0, 0x0b]);
    expect((new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports['k'] as () => number)()).toBe(1);
  });
});
