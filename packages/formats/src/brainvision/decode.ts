import type { BrainVisionBinaryFormat } from './header.ts';

/**
 * Pure decoding of BrainVision binary samples into physical values.
 *
 * `decodeColumn` reads one channel out of a block of multiplexed rows (stride = bytes per
 * row); with stride = bytes per sample it reads a vectorized run. Values are
 * `stored x resolution`, computed in double precision and stored as float32.
 *
 * @example
 *   const out = new Float32Array(100);
 *   decodeColumn(bytes, 'INT_16', false, 2, 64, 100, 0.5, out, 0); // channel 2 of 32 (64-byte rows)
 */
export function decodeColumn(
  bytes: Uint8Array,
  format: BrainVisionBinaryFormat,
  bigEndian: boolean,
  byteOffset: number,
  strideBytes: number,
  count: number,
  resolution: number,
  out: Float32Array,
  outOffset: number,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = !bigEndian;
  let position = byteOffset;
  switch (format) {
    case 'INT_16':
      for (let i = 0; i < count; i++, position += strideBytes) out[outOffset + i] = view.getInt16(position, little) * resolution;
      return;
    case 'UINT_16':
      for (let i = 0; i < count; i++, position += strideBytes) out[outOffset + i] = view.getUint16(position, little) * resolution;
      return;
    case 'INT_32':
      for (let i = 0; i < count; i++, position += strideBytes) out[outOffset + i] = view.getInt32(position, little) * resolution;
      return;
    case 'IEEE_FLOAT_32':
      for (let i = 0; i < count; i++, position += strideBytes) out[outOffset + i] = view.getFloat32(position, little) * resolution;
      return;
    case 'IEEE_FLOAT_64':
      for (let i = 0; i < count; i++, position += strideBytes) out[outOffset + i] = view.getFloat64(position, little) * resolution;
      return;
  }
}
