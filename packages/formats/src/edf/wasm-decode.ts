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
import { i32Const, localGet as get, localSet as set, section, unsignedLeb, wasmModule, wasmName as name } from '@cajal/core';

const END = 0x0b;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const I32_EQZ = 0x45;
const I32_GE_U = 0x4f;
const F64_ADD = 0xa0;
const F64_MUL = 0xa2;
const F64_CONVERT_I32_S = 0xb7;
const F32_DEMOTE_F64 = 0xb6;
const F32_STORE = [0x38, 2, 0];
const I32_LOAD16_S = [0x2e, 1, 0];
const V128_LOAD16X4_S = [0xfd, 0x03, 0, 0];
const F64X2_CONVERT_LOW_I32X4_S = [0xfd, 0xfe, 0x01];
const F64X2_MUL = [0xfd, 0xf2, 0x01];
const F64X2_ADD = [0xfd, 0xf0, 0x01];
const F64X2_SPLAT = [0xfd, 0x14];
const F32X4_DEMOTE_F64X2_ZERO = [0xfd, 0x5e];
const V128_STORE64_LANE = [0xfd, 0x5b, 0, 0, 0];

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
  emit(get(GAIN), F64X2_SPLAT, set(G), get(OFFSET), F64X2_SPLAT, set(O));
  emit([0x02, 0x40], [0x03, 0x40]); // block $done, loop $record
  emit(get(RECORDS), I32_EQZ, [0x0d, 1]);
  // stop = src + (count & ~1) * 2: pairs of samples in SIMD
  emit(get(SRC), set(P), get(SRC), get(COUNT), i32Const(-2), I32_AND, i32Const(1), I32_SHL, I32_ADD, set(STOP));
  emit([0x02, 0x40], [0x03, 0x40]); // block $pairsDone, loop $pair
  emit(get(P), get(STOP), I32_GE_U, [0x0d, 1]);
  emit(get(DST), get(P), V128_LOAD16X4_S, F64X2_CONVERT_LOW_I32X4_S, get(G), F64X2_MUL, get(O), F64X2_ADD, F32X4_DEMOTE_F64X2_ZERO, V128_STORE64_LANE);
  emit(get(P), i32Const(4), I32_ADD, set(P), get(DST), i32Const(8), I32_ADD, set(DST));
  emit([0x0c, 0], END, END);
  // an odd last sample
  emit(get(COUNT), i32Const(1), I32_AND, [0x04, 0x40]);
  emit(get(DST), get(P), I32_LOAD16_S, F64_CONVERT_I32_S, get(GAIN), F64_MUL, get(OFFSET), F64_ADD, F32_DEMOTE_F64, F32_STORE);
  emit(get(DST), i32Const(4), I32_ADD, set(DST), END);
  emit(get(SRC), get(STRIDE), I32_ADD, set(SRC), get(RECORDS), i32Const(1), I32_SUB, set(RECORDS));
  emit([0x0c, 0], END, END, END);
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
