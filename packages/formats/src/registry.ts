import type { FormatReader } from './read.ts';
import { edfReader } from './edf/reader.ts';
import { brainVisionReader } from './brainvision/reader.ts';
import { niftiReader } from './nifti/reader.ts';

/**
 * The readers `readRecording` tries, in order of detection. Each format module exports its
 * reader; add it here.
 */
export const readers: FormatReader[] = [edfReader, brainVisionReader, niftiReader];

/** Add a reader (for formats outside this package). */
export function registerReader(reader: FormatReader): void {
  if (!readers.includes(reader)) readers.push(reader);
}
