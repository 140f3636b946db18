/**
 * The WebAssembly binary encoding under `wasm-builder.ts` (the one builder through which the
 * hand-written SIMD kernels of `formats`, `signal`, `sim` and `nn` emit their modules): LEB128
 * integers and the opcode tables. Encodings follow the WebAssembly core specification, section 5.
 *
 * @example
 *   unsignedLeb(624485);          // [0xe5, 0x8e, 0x26]
 *   [0xfd, ...unsignedLeb(simdOp.f32x4Add)]; // f32x4.add
 */

/** LEB128 of a non-negative 32-bit integer. */
export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer, or of a bigint (for i64 constants). */
export function signedLeb(value: number | bigint): number[] {
  const out: number[] = [];
  let v = BigInt(typeof value === 'bigint' ? value : value | 0);
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/*
 * The instruction vocabulary the kernels share (WebAssembly core specification, section 5.4,
 * and the fixed-width SIMD opcodes), used by the typed instruction tables of `wasm-builder.ts`.
 * Only what some kernel uses is named; add names here rather than re-declaring opcodes in a kernel.
 */

/** One-byte scalar opcodes. */
export const op = {
  drop: 0x1a,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Load16S: 0x2e,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  i32Const: 0x41,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32GtU: 0x4b,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f32Add: 0x92,
  f32Sub: 0x93,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  i64ExtendI32S: 0xac,
  f32DemoteF64: 0xb6,
  f64ConvertI32S: 0xb7,
} as const;

/** SIMD opcode numbers (after the 0xfd prefix), named as in the specification. */
export const simdOp = {
  v128Load: 0x00,
  v128Load16x4S: 0x03,
  v128Load32x2S: 0x05,
  v128Load32Splat: 0x09,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11,
  i64x2Splat: 0x12,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f64x2ReplaceLane: 0x22,
  i32x4Eq: 0x37,
  i32x4LtS: 0x39,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  v128Not: 0x4d,
  v128And: 0x4e,
  v128AndNot: 0x4f,
  v128Or: 0x50,
  v128Xor: 0x51,
  v128Bitselect: 0x52,
  v128Store64Lane: 0x5b,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  f32x4Nearest: 0x6a,
  i32x4Bitmask: 0xa4,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  i64x2Bitmask: 0xc4,
  i64x2LtS: 0xd8,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  i32x4TruncSatF32x4S: 0xf8,
  f64x2ConvertLowI32x4S: 0xfe,
  f32x4RelaxedMadd: 0x105,
} as const;
