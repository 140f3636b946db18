/**
 * EDF's 16-bit samples to physical Float32 values in WebAssembly SIMD (hand-written, emitted as
 * bytes at run time through `@cajal/core`'s WebAssembly builder, like the kernels of `signal`, `sim` and `nn`).
 *
 * One call decodes one signal across a run of whole data records held in the module's memory:
 * for each record, `count` little-endian int16 samples at `src + r·stride` become
 * `float32(digital · gain + offset)` at consecutive floats from `dst`. The arithmetic is float64
 * (two lanes: sign-extend, convert, multiply, add) and only then rounded to float32, exactly as
 * the JavaScript decoder (`decode.ts`) computes `view[k] * gain + offset` into a Float32Array,
 * so both paths give bit-identical samples (tested). Without WebAssembly SIMD, `createWasmInt16Decoder`
 * returns null and the JavaScript path runs.
 *
 * Why: the JavaScript loop costs ~1.6 ns a sample once optimised and several times that while
 * V8 warms up, which a one-shot read of a large file mostly is; this loop is ~4x cheaper and
 * needs no warm-up (see the formats README, *Speed*).
 */
import { WasmModuleBuilder, br, brIf, f32, f32x4, f64, f64x2, i32, localGet as get, localSet as set, v128 } from '@cajal/core';

/** The module: exports `decode16(src, stride, count, records, gain, offset, dst)` (byte addresses) and `memory`. */
export function int16DecodeModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new WasmModuleBuilder();
  const f = m.function({ params: ['i32', 'i32', 'i32', 'i32', 'f64', 'f64', 'i32'] });
  const [SRC, STRIDE, COUNT, RECORDS, GAIN, OFFSET, DST] = f.params;
  const [P, STOP] = f.locals('i32', 2);
  const [G, O] = f.locals('v128', 2);
  f.emit(get(GAIN), f64x2.splat, set(G), get(OFFSET), f64x2.splat, set(O));
  f.block((done) => f.loop((record) => {
    f.emit(get(RECORDS), i32.eqz, brIf(done));
    // stop = src + (count & ~1) * 2: pairs of samples in SIMD
    f.emit(get(SRC), set(P), get(SRC), get(COUNT), i32.const(-2), i32.and, i32.const(1), i32.shl, i32.add, set(STOP));
    f.block((pairsDone) => f.loop((pair) => {
      f.emit(get(P), get(STOP), i32.geU, brIf(pairsDone));
      f.emit(get(DST), get(P), v128.load16x4S(0, 0), f64x2.convertLowI32x4S, get(G), f64x2.mul, get(O), f64x2.add);
      f.emit(f32x4.demoteF64x2Zero, v128.store64Lane(0, 0, 0));
      f.emit(get(P), i32.const(4), i32.add, set(P), get(DST), i32.const(8), i32.add, set(DST), br(pair));
    }));
    // an odd last sample
    f.emit(get(COUNT), i32.const(1), i32.and);
    f.if(() => {
      f.emit(get(DST), get(P), i32.load16S(), f64.convertI32S, get(GAIN), f64.mul, get(OFFSET), f64.add, f32.demoteF64, f32.store());
      f.emit(get(DST), i32.const(4), i32.add, set(DST));
    });
    f.emit(get(SRC), get(STRIDE), i32.add, set(SRC), get(RECORDS), i32.const(1), i32.sub, set(RECORDS), br(record));
  }));
  m.memory({ initial: 1 });
  return m.exportFunction('decode16', f).exportMemory('memory').bytes();
}

/** A decoder working in its own memory: records are read into `input`, decoded, copied out. */
export interface WasmInt16Decoder {
  /** Make room for `inputBytes` of records and `outputFloats` decoded samples; returns the input area. */
  reserve(inputBytes: number, outputFloats: number): Uint8Array;
  /**
   * Decode `count` samples per record of `records` records starting at byte `start` of the input
   * area (records `stride` bytes apart) into `out[outStart...]`.
   */
  decode(start: number, stride: number, count: number, records: number, gain: number, offset: number, out: Float32Array, outStart: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** A decoder, or null where the engine has no WebAssembly SIMD. */
export function createWasmInt16Decoder(): WasmInt16Decoder | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(int16DecodeModuleBytes());
    } catch {
      compiled = null;
    }
  }
  if (!compiled) return null;
  const instance = new WebAssembly.Instance(compiled, {});
  const memory = instance.exports['memory'] as WebAssembly.Memory;
  const decode16 = instance.exports['decode16'] as (src: number, stride: number, count: number, records: number, gain: number, offset: number, dst: number) => void;
  // Layout: [input area | 8 bytes of slack for the last 8-byte load | output area].
  let inputBytes = 0;
  let outputStart = 0;
  let floats = new Float32Array(memory.buffer);
  return {
    reserve(wantedInput, wantedOutput) {
      const start = (wantedInput + 8 + 15) & ~15;
      const needed = start + wantedOutput * 4;
      if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      inputBytes = wantedInput;
      outputStart = start;
      floats = new Float32Array(memory.buffer);
      return new Uint8Array(memory.buffer, 0, inputBytes);
    },
    decode(start, stride, count, records, gain, offset, out, outStart) {
      const n = count * records;
      if (start < 0 || records < 0 || (records > 0 && start + (records - 1) * stride + count * 2 > inputBytes) || outputStart + n * 4 > floats.byteLength) {
        throw new RangeError(`decode outside the reserved areas (start ${start}, ${records} records of ${count} samples)`);
      }
      decode16(start, stride, count, records, gain, offset, outputStart);
      out.set(floats.subarray(outputStart >> 2, (outputStart >> 2) + n), outStart);
    },
  };
}
