/** Malformed recordings for the hostile-input suite, derived from a valid EDF+. */
import { demoEdf } from './harness.ts';

/** Overwrite a fixed-width ASCII header field. */
export function setField(bytes: Uint8Array, offset: number, width: number, text: string): Uint8Array {
  const copy = bytes.slice();
  copy.set(new TextEncoder().encode(text.padEnd(width, ' ').slice(0, width)), offset);
  return copy;
}

export const validEdf = demoEdf(11, 10);
const ns = Number(new TextDecoder().decode(validEdf.subarray(252, 256)));
/** Offset of the first signal's "samples per record" field. */
const samplesField = 256 + ns * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80);

export const malformed: Record<string, { bytes: Uint8Array; name: string }> = {
  truncatedData: { bytes: validEdf.slice(0, validEdf.length - 7001), name: 'cut.edf' },
  truncatedHeader: { bytes: validEdf.slice(0, 200), name: 'cut-header.edf' },
  truncatedSignalHeaders: { bytes: validEdf.slice(0, 256 + 300), name: 'cut-signals.edf' },
  png: { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(300).fill(7)]), name: 'scan.edf' },
  pngNamedPng: { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(300).fill(7)]), name: 'scan.png' },
  text: { bytes: new TextEncoder().encode('patient notes\nnothing to see here\n'.repeat(20)), name: 'notes.txt' },
  claimsTerabyte: { bytes: setField(validEdf, 236, 8, '99999999'), name: 'huge.edf' },
  noSignals: { bytes: setField(validEdf, 252, 4, '0'), name: 'empty.edf' },
  tooManySignals: { bytes: setField(validEdf, 252, 4, '9999'), name: 'many.edf' },
  garbledNumber: { bytes: setField(validEdf, samplesField, 8, 'abc'), name: 'garbled.edf' },
  negativeRecordDuration: { bytes: setField(validEdf, 244, 8, '-1'), name: 'negative.edf' },
};
