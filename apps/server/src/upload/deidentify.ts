/**
 * De-identification of an EDF/EDF+/BDF/BDF+ file in place (the stored copy, before it enters
 * the blob store): the patient field (bytes 8-88) becomes the subject code, the recording
 * field (88-168) loses everything but the start date the project allows, the start date
 * (168-176, and the time 176-184 when removed) is reduced by the project's date policy, and
 * annotation texts lose dates and the patient's name. Every rewrite keeps the byte layout, so
 * the file stays valid. The report names what was changed but never the original values.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { EdfHeader } from '@cajal/formats';
import type { DatePolicy } from '../storage/storage.ts';
import { nameTokens, redactText } from './redact.ts';

export interface DeidentificationReport {
  method: 'edf-header-rewrite' | 'metadata-only';
  datePolicy: DatePolicy;
  /** Header fields rewritten, with their byte offsets. */
  fields: Array<{ field: string; byteOffset: number; length: number; action: string }>;
  /** Annotation texts changed / spans masked (dates, name tokens). */
  annotationsRedacted: number;
  spansMasked: number;
  /** The uploaded file's name was replaced by this one. */
  fileNameReplaced: boolean;
  storedName: string;
  /** Days the start date was moved back (shift policy), else 0. */
  shiftDays: number;
  /** sha256 of the file as uploaded (kept for provenance; the file itself is not kept). */
  originalSha256: string;
  consentOnRecord: boolean;
  performedAt: string;
}

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function field(text: string, width: number): Buffer {
  const ascii = text.replace(/[^\x20-\x7e]/g, '_').slice(0, width);
  return Buffer.from(ascii.padEnd(width, ' '), 'latin1');
}

/**
 * How many days a subject's dates move back under the "shift" policy: 1-365, fixed per
 * project and subject code (derived from their sha256), so a subject's recordings keep their
 * spacing.
 */
export function shiftDaysFor(projectId: string, subjectCode: string): number {
  const digest = createHash('sha256').update(`cajal-date-shift:${projectId}:${subjectCode}`).digest();
  return (digest.readUInt32BE(0) % 365) + 1;
}

/** The start time a policy leaves (UTC), or null when removed. */
export function applyDatePolicy(start: Date | null, policy: DatePolicy, shiftDays: number): Date | null {
  if (!start || policy === 'remove') return null;
  if (policy === 'keep') return start;
  if (policy === 'year') return new Date(Date.UTC(start.getUTCFullYear(), 0, 1, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()));
  return new Date(start.getTime() - shiftDays * 86400_000);
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * Rewrite the identifying parts of the EDF/BDF file at `path` in place.
 *
 * @example
 *   const report = await deidentifyEdfFile(tempPath, opened.edf, { subjectCode: 'S01', datePolicy: 'year', ... });
 */
export async function deidentifyEdfFile(
  path: string,
  edf: EdfHeader,
  options: { subjectCode: string | null; datePolicy: DatePolicy; projectId: string },
): Promise<Pick<DeidentificationReport, 'fields' | 'annotationsRedacted' | 'spansMasked' | 'shiftDays' | 'method'>> {
  const code = (options.subjectCode ?? 'X').replace(/\s+/g, '_') || 'X';
  const shiftDays = options.datePolicy === 'shift' ? shiftDaysFor(options.projectId, code) : 0;
  const start = applyDatePolicy(edf.startTime, options.datePolicy, shiftDays);
  const names = nameTokens(edf.subject.name, edf.isPlus ? undefined : edf.subject.raw, edf.subject.id);
  const fields: DeidentificationReport['fields'] = [];
  const handle = await open(path, 'r+');
  try {
    const write = async (offset: number, width: number, text: string, name: string, action: string): Promise<void> => {
      await handle.write(field(text, width), 0, width, offset);
      fields.push({ field: name, byteOffset: offset, length: width, action });
    };
    await write(8, 80, edf.isPlus ? `${code} X X X` : code, 'patient_identification', `replaced by the subject code${edf.isPlus ? ' (EDF+ "code X X X": sex, birth date and name removed)' : ''}`);
    const plusDate = start ? `${two(start.getUTCDate())}-${monthNames[start.getUTCMonth()]}-${start.getUTCFullYear()}` : 'X';
    await write(88, 80, edf.isPlus ? `Startdate ${plusDate} X X X` : 'X', 'recording_identification', 'admin code, technician and equipment removed');
    if (start) {
      const year = start.getUTCFullYear();
      // EDF's two-digit year covers 1985-2084; outside it the date is removed instead.
      if (year >= 1985 && year <= 2084) {
        await write(168, 8, `${two(start.getUTCDate())}.${two(start.getUTCMonth() + 1)}.${two(year % 100)}`, 'startdate', `date policy "${options.datePolicy}"`);
        await write(176, 8, `${two(start.getUTCHours())}.${two(start.getUTCMinutes())}.${two(start.getUTCSeconds())}`, 'starttime', `date policy "${options.datePolicy}"`);
      } else {
        await write(168, 8, '01.01.85', 'startdate', 'removed (outside EDF date range after policy)');
        await write(176, 8, '00.00.00', 'starttime', 'removed');
      }
    } else {
      await write(168, 8, '01.01.85', 'startdate', 'removed (EDF+ convention for an unknown date)');
      await write(176, 8, '00.00.00', 'starttime', 'removed');
    }
    let annotationsRedacted = 0;
    let spansMasked = 0;
    for (const signal of edf.signals.filter((s) => s.isAnnotation)) {
      const length = signal.samplesPerRecord * edf.bytesPerSample;
      const buffer = Buffer.alloc(length);
      for (let r = 0; r < edf.recordCount; r++) {
        const offset = edf.headerBytes + r * edf.recordBytes + signal.offsetInRecord;
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        if (bytesRead < length) break;
        const result = redactTalBlock(buffer, names);
        if (result.spans > 0) {
          await handle.write(buffer, 0, length, offset);
          annotationsRedacted += result.texts;
          spansMasked += result.spans;
        }
      }
    }
    await handle.sync();
    return { method: 'edf-header-rewrite', fields, annotationsRedacted, spansMasked, shiftDays };
  } finally {
    await handle.close();
  }
}

/**
 * Redact the texts of one record's annotation bytes in place: TALs are `onset[\x15dur]\x14`
 * then texts each ending in \x14, TALs end in \x00. Only text bytes are touched.
 */
export function redactTalBlock(bytes: Uint8Array, names: string[]): { texts: number; spans: number } {
  let texts = 0;
  let spans = 0;
  let position = 0;
  while (position < bytes.length) {
    let end = bytes.indexOf(0, position);
    if (end < 0) end = bytes.length;
    const first = bytes.indexOf(0x14, position);
    if (first >= 0 && first < end) {
      let textStart = first + 1;
      while (textStart < end) {
        let textEnd = bytes.indexOf(0x14, textStart);
        if (textEnd < 0 || textEnd > end) textEnd = end;
        if (textEnd > textStart) {
          const original = Buffer.from(bytes.buffer, bytes.byteOffset + textStart, textEnd - textStart).toString('latin1');
          const { text, replaced } = redactText(original, names);
          if (replaced > 0) {
            bytes.set(Buffer.from(text, 'latin1'), textStart);
            texts++;
            spans += replaced;
          }
        }
        textStart = textEnd + 1;
      }
    }
    position = end + 1;
  }
  return { texts, spans };
}
