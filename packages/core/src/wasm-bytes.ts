/**
 * LEB128 integers, the variable-length encoding of every index, count and constant in a
 * WebAssembly module (core specification, section 5.2.2), under `wasm-builder.ts` (the one
 * builder through which the SIMD kernels of `formats`, `signal`, `sim` and `nn` emit their
 * modules; its typed instruction tables hold the opcodes).
 *
 * @example
 *   unsignedLeb(624485); // [0xe5, 0x8e, 0x26]
 *   signedLeb(-123456);  // [0xc0, 0xbb, 0x78]
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
