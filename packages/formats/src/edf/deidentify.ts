/**
 * De-identification of EDF/EDF+/BDF/BDF+ bytes: the patient field (bytes 8-88) becomes the
 * subject code, the recording field (88-168) loses everything but the start date the policy
 * allows, the start date (168-176, and the time 176-184) follows the date policy, and
 * annotation texts lose dates and the patient's name. Every rewrite keeps the byte layout, so
 * the file stays valid and its samples are untouched. Hand-written, like the codec it edits.
 */
import type { ByteSource } from '../source.ts';
import { bufferSource, readExactly } from '../source.ts';
import { applyDatePolicy, applyPatches, normalizeSubjectCode } from '../deidentify/policy.ts';
import type { BytePatch, DeidentificationChanges, DeidentifiedField, DeidentifyOptions } from '../deidentify/policy.ts';
import { nameTokens, redactText } from '../deidentify/redact.ts';
import { WarningSink, monthAbbreviation } from './fields.ts';
import { fixedHeaderBytes, parseEdfHeader, readSignalCount } from './header.ts';
import type { EdfHeader } from './header.ts';
import { scanRecords } from './scan.ts';
import { latin1Text } from '../latin1.ts';

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** A fixed-width header field: printable ASCII, padded with spaces. */
function fieldBytes(text: string, width: number): Uint8Array {
  return latin1Bytes(text.replace(/[^\x20-\x7e]/g, '_').slice(0, width).padEnd(width, ' '));
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The header of an EDF/BDF source, parsed (as `openEdf` does). */
async function readEdfHeader(source: ByteSource): Promise<EdfHeader> {
  const sink = new WarningSink(source.name);
  const ns = readSignalCount(await readExactly(source, 0, fixedHeaderBytes, 'header'), sink);
  return parseEdfHeader(await readExactly(source, 0, fixedHeaderBytes * (ns + 1), 'signal headers'), source.size, sink);
}

/**
 * The rewrites that de-identify an EDF/BDF source, without changing it: apply them to the
 * file (in place, streaming) or with `applyPatches`. Reads the header (unless `header` is the
 * one already parsed) and the annotation signals only.
 *
 * @example
 *   const { patches, changes } = await planEdfDeidentification(source, { subjectCode: 'S01', datePolicy: 'year' });
 *   for (const patch of patches) await handle.write(patch.bytes, 0, patch.bytes.length, patch.byteOffset);
 */
export async function planEdfDeidentification(
  source: ByteSource,
  options: DeidentifyOptions,
  header?: EdfHeader,
): Promise<{ patches: BytePatch[]; changes: DeidentificationChanges }> {
  const edf = header ?? (await readEdfHeader(source));
  const code = normalizeSubjectCode(options.subjectCode);
  const shiftDays = options.datePolicy === 'shift' ? (options.shiftDays ?? 0) : 0;
  const start = applyDatePolicy(edf.startTime, options.datePolicy, shiftDays);
  const names = [...nameTokens(edf.subject.name, edf.isPlus ? undefined : edf.subject.raw, edf.subject.id), ...(options.names ?? [])];
  const patches: BytePatch[] = [];
  const fields: DeidentifiedField[] = [];
  const write = (byteOffset: number, width: number, text: string, field: string, action: string): void => {
    patches.push({ byteOffset, bytes: fieldBytes(text, width) });
    fields.push({ field, byteOffset, length: width, action });
  };
  write(8, 80, edf.isPlus ? `${code} X X X` : code, 'patient_identification', `replaced by the subject code${edf.isPlus ? ' (EDF+ "code X X X": sex, birth date and name removed)' : ''}`);
  const plusDate = start ? `${two(start.getUTCDate())}-${monthAbbreviation(start.getUTCMonth() + 1)}-${start.getUTCFullYear()}` : 'X';
  write(88, 80, edf.isPlus ? `Startdate ${plusDate} X X X` : 'X', 'recording_identification', 'admin code, technician and equipment removed');
  if (start) {
    const year = start.getUTCFullYear();
    // EDF's two-digit year covers 1985-2084; outside it the date is removed instead.
    if (year >= 1985 && year <= 2084) {
      write(168, 8, `${two(start.getUTCDate())}.${two(start.getUTCMonth() + 1)}.${two(year % 100)}`, 'startdate', `date policy "${options.datePolicy}"`);
      write(176, 8, `${two(start.getUTCHours())}.${two(start.getUTCMinutes())}.${two(start.getUTCSeconds())}`, 'starttime', `date policy "${options.datePolicy}"`);
    } else {
      write(168, 8, '01.01.85', 'startdate', 'removed (outside EDF date range after policy)');
      write(176, 8, '00.00.00', 'starttime', 'removed');
    }
  } else {
    write(168, 8, '01.01.85', 'startdate', 'removed (EDF+ convention for an unknown date)');
    write(176, 8, '00.00.00', 'starttime', 'removed');
  }
  let annotationsRedacted = 0;
  let spansMasked = 0;
  const annotationSignals = edf.signals.filter((s) => s.isAnnotation);
  await scanRecords(source, edf, annotationSignals, 0, edf.recordCount, (record, signal, bytes, offset) => {
    const length = signal.samplesPerRecord * edf.bytesPerSample;
    const block = bytes.slice(offset, offset + length);
    const result = redactTalBlock(block, names);
    if (result.spans === 0) return;
    patches.push({ byteOffset: edf.headerBytes + record * edf.recordBytes + signal.offsetInRecord, bytes: block });
    annotationsRedacted += result.texts;
    spansMasked += result.spans;
  }, { stage: 'de-identifying annotations' });
  return { patches, changes: { method: 'edf-header-rewrite', fields, annotationsRedacted, spansMasked, shiftDays } };
}

/**
 * De-identify a whole EDF/BDF file held in memory: a new array (the input is not changed)
 * and what was changed.
 *
 * @example
 *   const { bytes, changes } = await deidentifyEdf(writeEdf(recording).bytes, { subjectCode: 'S01', datePolicy: 'remove' });
 */
export async function deidentifyEdf(bytes: Uint8Array, options: DeidentifyOptions): Promise<{ bytes: Uint8Array; changes: DeidentificationChanges }> {
  const { patches, changes } = await planEdfDeidentification(bufferSource(bytes), options);
  return { bytes: applyPatches(bytes, patches), changes };
}

/**
 * Redact the texts of one record's annotation bytes in place: TALs are `onset[\x15dur]\x14`
 * then texts each ending in \x14, TALs end in \x00. Only text bytes are touched, each masked
 * span keeps its length.
 *
 * @example
 *   redactTalBlock(talBytes, ['Anna']) // { texts: 1, spans: 2 } for "+1\x150\x14Anna on 01/02/2020\x14\x00"
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
          const original = latin1Text(bytes.subarray(textStart, textEnd));
          const { text, replaced } = redactText(original, names);
          if (replaced > 0) {
            bytes.set(latin1Bytes(text), textStart);
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
