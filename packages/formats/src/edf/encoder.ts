import { CajalError } from '@cajal/core';
import type { Annotation } from '@cajal/core';
import { encodeSamples } from './decode.ts';
import { checkSpec, recordBytesOf } from './layout.ts';
import type { EdfWriteSpec } from './layout.ts';
import { encodeTal } from './tal.ts';

/**
 * Encodes EDF+/BDF+ data records one at a time (physical -> digital with clipping, TAL time
 * keeping and annotations). Used by `writeEdf` in memory and by the streaming file writer.
 *
 * @example
 *   const encoder = new EdfRecordEncoder(spec);
 *   const record = encoder.encode(0, [fp1Samples, fp2Samples], annotations);
 */
export class EdfRecordEncoder {
  /** Samples outside the physical range, written as the digital minimum or maximum. */
  clippedSamples = 0;
  readonly recordBytes: number;
  private readonly bytesPerSample: 2 | 3;
  private readonly scales: Array<{ inverseGain: number; digitalAtZero: number }>;

  constructor(readonly spec: EdfWriteSpec) {
    checkSpec(spec);
    this.recordBytes = recordBytesOf(spec);
    this.bytesPerSample = spec.format === 'bdf' ? 3 : 2;
    this.scales = spec.signals.map((s) => {
      const inverseGain = (s.digitalMax - s.digitalMin) / (s.physicalMax - s.physicalMin);
      return { inverseGain, digitalAtZero: s.digitalMin - s.physicalMin * inverseGain };
    });
  }

  /**
   * Encode one record starting at `onsetSeconds` (from the file's start). `samples[c]` holds
   * the channel's samples and `from[c]` where this record's start in it (missing samples at
   * the end are padded with the value of physical 0); `annotations` must fit the space
   * reserved per record.
   */
  encode(onsetSeconds: number, samples: Float32Array[], from: number[], annotations: Annotation[], out?: Uint8Array): Uint8Array {
    const record = out ?? new Uint8Array(this.recordBytes);
    let position = 0;
    this.spec.signals.forEach((signal, c) => {
      const scale = this.scales[c] as { inverseGain: number; digitalAtZero: number };
      this.clippedSamples += encodeSamples(
        samples[c] as Float32Array,
        from[c] ?? 0,
        signal.samplesPerRecord,
        scale.inverseGain,
        scale.digitalAtZero,
        signal.digitalMin,
        signal.digitalMax,
        this.bytesPerSample,
        record,
        position,
      );
      position += signal.samplesPerRecord * this.bytesPerSample;
    });
    const tal = encodeRecordTals(onsetSeconds, annotations);
    if (tal.length > this.spec.annotationBytesPerRecord) {
      throw new CajalError('WRITE_INVALID', `annotations of the record at ${onsetSeconds} s need ${tal.length} bytes; ${this.spec.annotationBytesPerRecord} were reserved`, { field: 'annotations' });
    }
    record.set(tal, position);
    record.fill(0, position + tal.length, position + this.spec.annotationBytesPerRecord);
    return record;
  }
}

/** The TAL bytes of one record: the time-keeping TAL, then one TAL per annotation. */
export function encodeRecordTals(onsetSeconds: number, annotations: Annotation[]): Uint8Array {
  const parts = [encodeTal(onsetSeconds, 0, [''])];
  for (const annotation of annotations) parts.push(encodeTal(annotation.onsetSeconds, annotation.durationSeconds, [annotation.text]));
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Bytes the annotation signal needs per record for these per-record annotation lists. */
export function annotationBytesNeeded(recordOnsets: ArrayLike<number>, perRecord: Annotation[][], bytesPerSample: number): number {
  let most = 0;
  for (let r = 0; r < recordOnsets.length; r++) {
    most = Math.max(most, encodeRecordTals(recordOnsets[r] as number, perRecord[r] ?? []).length);
  }
  // Round up to whole samples, with a little slack for the time-keeping onset's digits.
  const slack = 8;
  return Math.ceil((most + slack) / bytesPerSample) * bytesPerSample;
}
