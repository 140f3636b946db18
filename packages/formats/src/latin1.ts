/**
 * Bytes as ISO-8859-1 characters, one per byte (TextDecoder's "latin1" label is Windows-1252,
 * which maps 0x80-0x9f elsewhere). Chunked so a large block does not overflow the call stack.
 *
 * @example latin1Text(new Uint8Array([0x4d, 0xfc])) // 'Mü'
 */
export function latin1Text(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
