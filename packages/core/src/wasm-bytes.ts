/**
 * Small helpers for emitting WebAssembly binary modules by hand (the hand-written SIMD kernels
 * of `sim` and `learn` build their modules as byte arrays at run time, so no toolchain or
 * binary file ships). Encodings follow the WebAssembly core specification, section 5.
 *
 * @example
 *   const body = [0, localGet(0), 0x0b];                       // one function, no locals
 *   const module = wasmModule([section(1, [1, 0x60, 1, 0x7f, 0]), section(3, [1, 0]),
 *     section(10, [1, ...unsignedLeb(body.length), ...body])]);
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

/** A module section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

/** A length-prefixed UTF-8 name (imports, exports). */
export function wasmName(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

/** `local.get i`, `local.set i`, `local.tee i`, `i32.const v`. */
export const localGet = (i: number): number[] => [0x20, ...unsignedLeb(i)];
export const localSet = (i: number): number[] => [0x21, ...unsignedLeb(i)];
export const localTee = (i: number): number[] => [0x22, ...unsignedLeb(i)];
export const i32Const = (v: number): number[] => [0x41, ...signedLeb(v)];

/** The magic number and version 1, followed by `sections`. */
export function wasmModule(sections: number[][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}
