/**
 * EDF's 16-bit samples to physical Float32 values in WebAssembly SIMD (hand-written, emitted as
 * bytes at run time with `@cajal/core`'s encoder, like the kernels of `sim` and `learn`).
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
import {
  BLOCK, END, F32_STORE, I32_LOAD16_S, IF, LOOP, br, brIf, i32Const, localGet as get, localSet as set, op, scalarMemory, section, simd, simdMemory, simdOp, unsignedLeb, wasmModule, wasmName as name,
} from '@cajal/core';

/** `decode16(src, stride, count, records, gain, offset, dst)`; byte addresses. */
function decodeBody(): number[] {
  const [SRC, STRIDE, COUNT, RECORDS, GAIN, OFFSET, DST, P, STOP, G, O] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const code: number[] = [];
  const emit = (...parts: Array<number | number[]>): void => {
    for (const part of parts) {
      if (typeof part === 'number') code.push(part);
      else code.push(...part);
    }
  };
  emit(get(GAIN), simd(simdOp.f64x2Splat), set(G), get(OFFSET), simd(simdOp.f64x2Splat), set(O));
  emit(BLOCK, LOOP); // block $done, loop $record
  emit(get(RECORDS), op.i32Eqz, brIf(1));
  // stop = src + (count & ~1) * 2: pairs of samples in SIMD
  emit(get(SRC), set(P), get(SRC), get(COUNT), i32Const(-2), op.i32And, i32Const(1), op.i32Shl, op.i32Add, set(STOP));
  emit(BLOCK, LOOP); // block $pairsDone, loop $pair
  emit(get(P), get(STOP), op.i32GeU, brIf(1));
  emit(get(DST), get(P), simdMemory(simdOp.v128Load16x4S, 0), simd(simdOp.f64x2ConvertLowI32x4S), get(G), simd(simdOp.f64x2Mul), get(O), simd(simdOp.f64x2Add));
  emit(simd(simdOp.f32x4DemoteF64x2Zero), simdMemory(simdOp.v128Store64Lane, 0, 0, 0));
  emit(get(P), i32Const(4), op.i32Add, set(P), get(DST), i32Const(8), op.i32Add, set(DST));
  emit(br(0), END, END);
  // an odd last sample
  emit(get(COUNT), i32Const(1), op.i32And, IF);
  emit(get(DST), get(P), scalarMemory(I32_LOAD16_S, 1), op.f64ConvertI32S, get(GAIN), op.f64Mul, get(OFFSET), op.f64Add, op.f32DemoteF64, scalarMemory(F32_STORE, 2));
  emit(get(DST), i32Const(4), op.i32Add, set(DST), END);
  emit(get(SRC), get(STRIDE), op.i32Add, set(SRC), get(RECORDS), i32Const(1), op.i32Sub, set(RECORDS));
  emit(br(0), END, END, END);
  const fn = [2, 2, 0x7f, 2, 0x7b, ...code];
  return [...unsignedLeb(fn.length), ...fn];
}

/** The module: exports `decode16` and `memory`. */
export function int16DecodeModuleBytes(): Uint8Array<ArrayBuffer> {
  return wasmModule([
    section(1, [1, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7c, 0x7c, 0x7f, 0]),
    section(3, [1, 0]),
    section(5, [1, 0, 1]),
    section(7, [2, ...name('decode16'), 0x00, 0, ...name('memory'), 0x02, 0]),
    section(10, [1, ...decodeBody()]),
  ]);
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
