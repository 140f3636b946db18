import type { FormatReader } from './read.ts';

/**
 * The readers `readRecording` tries, in order of detection. Each format module exports its
 * reader; add it here.
 */
export const readers: FormatReader[] = [];

/** Add a reader (for formats outside this package). */
export function registerReader(reader: FormatReader): void {
  if (!readers.includes(reader)) readers.push(reader);
}
