/**
 * Sample decoding cores (hand-written, the hot loops of the reader): little-endian 16-bit (EDF)
 * and 24-bit (BDF) two's complement integers to physical Float32 values,
 * `physical = digital * gain + offset`.
 */

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * A decoder of EDF samples that keeps one Int16Array view per underlying buffer instead of
 * making a view per call (a full read decodes ~100,000 record pieces; the views were most of
 * its garbage). Make one per read; it holds only the last buffer it saw.
 */
export function int16Decoder(): SampleDecoder {
  let viewBuffer: ArrayBufferLike | undefined;
  let view16: Int16Array<ArrayBufferLike> = new Int16Array(0);
  return (bytes, start, count, gain, offset, out, outStart) => {
    const absolute = bytes.byteOffset + start;
    if (!littleEndian || (absolute & 1) !== 0) {
      decodeInt16(bytes, start, count, gain, offset, out, outStart);
      return;
    }
    if (bytes.buffer !== viewBuffer) {
      viewBuffer = bytes.buffer;
      view16 = new Int16Array(bytes.buffer, 0, bytes.buffer.byteLength >> 1);
    }
    const view = view16;
    const first = absolute >> 1;
    if (gain === 1 && offset === 0) {
      out.set(view.subarray(first, first + count), outStart);
      return;
    }
    for (let k = 0; k < count; k++) out[outStart + k] = (view[first + k] as number) * gain + offset;
  };
}

/** Signature shared by the sample decoders. */
export type SampleDecoder = (bytes: Uint8Array, start: number, count: number, gain: number, offset: number, out: Float32Array, outStart: number) => void;

/**
 * Decode `count` EDF samples starting at `bytes[start]` into `out[outStart...]`.
 * Uses an Int16Array view when the bytes are 2-byte aligned on a little-endian machine.
 */
export function decodeInt16(bytes: Uint8Array, start: number, count: number, gain: number, offset: number, out: Float32Array, outStart: number): void {
  const absolute = bytes.byteOffset + start;
  if (littleEndian && (absolute & 1) === 0) {
    const view = new Int16Array(bytes.buffer, absolute, count);
    if (gain === 1 && offset === 0) {
      out.set(view, outStart);
      return;
    }
    for (let k = 0; k < count; k++) out[outStart + k] = view[k] * gain + offset;
    return;
  }
  let p = start;
  for (let k = 0; k < count; k++) {
    const value = ((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16;
    out[outStart + k] = value * gain + offset;
    p += 2;
  }
}

/** Decode `count` BDF (24-bit) samples starting at `bytes[start]` into `out[outStart...]`. */
export function decodeInt24(bytes: Uint8Array, start: number, count: number, gain: number, offset: number, out: Float32Array, outStart: number): void {
  let p = start;
  for (let k = 0; k < count; k++) {
    const value = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8;
    out[outStart + k] = value * gain + offset;
    p += 3;
  }
}

/** Decode raw digital values (no scaling) of 16- or 24-bit samples into an Int32Array. */
export function decodeDigital(bytes: Uint8Array, start: number, count: number, bytesPerSample: 2 | 3, out: Int32Array, outStart: number): void {
  let p = start;
  if (bytesPerSample === 2) {
    for (let k = 0; k < count; k++, p += 2) out[outStart + k] = ((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16;
  } else {
    for (let k = 0; k < count; k++, p += 3) out[outStart + k] = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8;
  }
}

/**
 * Encode physical values to digital integers with clipping, writing little-endian 16- or
 * 24-bit samples into `bytes[start...]`. Returns how many samples were clipped. Non-finite
 * values are written as the digital value of physical 0 (clamped) and counted as clipped.
 */
export function encodeSamples(
  samples: Float32Array,
  from: number,
  count: number,
  inverseGain: number,
  digitalAtZero: number,
  digitalMin: number,
  digitalMax: number,
  bytesPerSample: 2 | 3,
  bytes: Uint8Array,
  start: number,
): number {
  let clipped = 0;
  let p = start;
  for (let k = 0; k < count; k++) {
    const index = from + k;
    const physical = index < samples.length ? (samples[index] as number) : 0;
    let digital = Math.round(physical * inverseGain + digitalAtZero);
    if (!(digital >= digitalMin)) {
      if (index < samples.length) clipped++;
      digital = Number.isNaN(digital) ? Math.min(digitalMax, Math.max(digitalMin, Math.round(digitalAtZero))) : digitalMin;
    } else if (digital > digitalMax) {
      if (index < samples.length) clipped++;
      digital = digitalMax;
    }
    bytes[p] = digital & 0xff;
    bytes[p + 1] = (digital >> 8) & 0xff;
    if (bytesPerSample === 3) bytes[p + 2] = (digital >> 16) & 0xff;
    p += bytesPerSample;
  }
  return clipped;
}
