import type { Annotation } from '@cajal/core';
import type { WarningSink } from './fields.ts';
import { latin1Text } from '../latin1.ts';

/**
 * EDF+ Time-stamped Annotation Lists (TALs), hand-written: each annotation signal's bytes in a
 * data record hold `+Onset[\x15Duration]\x14text\x14[text\x14...]\x00` entries; the first TAL
 * of each record in the first annotation signal keeps time (`+Onset\x14\x14\x00`, no text).
 */
export interface TalRecord {
  /** Onset of the data record (seconds from the file's start) when this block kept time. */
  recordOnsetSeconds: number | undefined;
  annotations: Annotation[];
}

const utf8 = new TextDecoder('utf-8');
const onsetPattern = /^[+-](\d+\.?\d*|\.\d+)$/;
const durationPattern = /^(\d+\.?\d*|\.\d+)$/;

/**
 * Parse the annotation bytes of one record of one annotation signal. `timeKeeping` says whether
 * the first TAL should be taken as the record's onset. Malformed TALs are skipped with a warning
 * naming `byteOffset` (the file offset of `bytes[0]`).
 */
export function parseTal(bytes: Uint8Array, timeKeeping: boolean, byteOffset: number, field: string, sink: WarningSink): TalRecord {
  const annotations: Annotation[] = [];
  let recordOnsetSeconds: number | undefined;
  let position = 0;
  let first = true;
  while (position < bytes.length) {
    if (bytes[position] === 0) {
      position++;
      continue;
    }
    let end = bytes.indexOf(0, position);
    if (end < 0) end = bytes.length;
    const tal = bytes.subarray(position, end);
    const talOffset = byteOffset + position;
    position = end + 1;
    const firstSeparator = tal.indexOf(0x14);
    if (firstSeparator < 0) {
      sink.warn('TAL_MALFORMED', 'annotation list entry has no 0x14 separator; skipped', field, talOffset);
      first = false;
      continue;
    }
    const timing = latin1Text(tal.subarray(0, firstSeparator));
    const durationMark = timing.indexOf('\u0015');
    const onsetText = durationMark >= 0 ? timing.slice(0, durationMark) : timing;
    const durationText = durationMark >= 0 ? timing.slice(durationMark + 1) : '';
    if (!onsetPattern.test(onsetText) || (durationText !== '' && !durationPattern.test(durationText))) {
      sink.warn('TAL_MALFORMED', `annotation onset/duration "${timing.replace('\u0015', ' ')}" is not a number; skipped`, field, talOffset);
      first = false;
      continue;
    }
    const onsetSeconds = Number(onsetText);
    const durationSeconds = durationText === '' ? 0 : Number(durationText);
    if (!Number.isFinite(onsetSeconds) || !Number.isFinite(durationSeconds)) {
      sink.warn('TAL_MALFORMED', `annotation onset/duration "${timing.replace('\u0015', ' ')}" is out of range; skipped`, field, talOffset);
      first = false;
      continue;
    }
    const texts = splitTexts(tal.subarray(firstSeparator + 1));
    if (first && timeKeeping) {
      recordOnsetSeconds = onsetSeconds;
      // A time-keeping TAL may also carry annotations after its empty first text.
      for (const text of texts.slice(1)) if (text !== '') annotations.push({ onsetSeconds, durationSeconds, text });
      if (texts[0] !== '' && texts[0] !== undefined) annotations.push({ onsetSeconds, durationSeconds, text: texts[0] });
    } else {
      for (const text of texts) if (text !== '') annotations.push({ onsetSeconds, durationSeconds, text });
    }
    first = false;
  }
  return { recordOnsetSeconds, annotations };
}

function splitTexts(bytes: Uint8Array): string[] {
  const texts: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x14) {
      texts.push(utf8.decode(bytes.subarray(start, i)).trim());
      start = i + 1;
    }
  }
  if (start < bytes.length) texts.push(utf8.decode(bytes.subarray(start)).trim());
  return texts;
}

/** Format seconds for a TAL onset: sign, up to 7 decimals, no trailing zeros. */
export function formatTalSeconds(seconds: number, signed: boolean): string {
  let text = Math.abs(seconds).toFixed(7).replace(/\.?0+$/, '');
  if (text === '') text = '0';
  if (!signed) return text;
  return (seconds < 0 ? '-' : '+') + text;
}

const encoder = new TextEncoder();

/** Encode one TAL: onset, optional duration, texts. */
export function encodeTal(onsetSeconds: number, durationSeconds: number, texts: string[]): Uint8Array {
  let head = formatTalSeconds(onsetSeconds, true);
  if (durationSeconds > 0) head += '\u0015' + formatTalSeconds(durationSeconds, false);
  const parts = [encoder.encode(head)];
  const separator = Uint8Array.of(0x14);
  parts.push(separator);
  for (const text of texts) {
    const bytes = encoder.encode(text);
    // TAL delimiters (0x00, 0x14, 0x15) cannot appear inside a text; UTF-8 never produces
    // them except as those characters, so they are replaced by spaces.
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0 || bytes[i] === 0x14 || bytes[i] === 0x15) bytes[i] = 0x20;
    parts.push(bytes);
    parts.push(separator);
  }
  parts.push(Uint8Array.of(0));
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
