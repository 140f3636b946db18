/**
 * De-identification of BrainVision header (`.vhdr`/`.ahdr`) and marker (`.vmrk`/`.amrk`)
 * files, which are text: dates and the given names are masked (same-length "X" runs) in the
 * `[Comment]` text, in `;` comment lines and in marker types and descriptions; the "New
 * Segment" marker's date follows the date policy (removed as all zeros, which readers take for
 * "no date"); `DataFile=`/`MarkerFile=` are renamed when a new base name is given (file names
 * often carry the patient's name). Channel, binary and coordinate entries are left as they are,
 * so the files read the same, with the same samples. The text keeps its encoding and line ends.
 */
import { applyDatePolicy } from '../deidentify/policy.ts';
import type { DeidentificationChanges, DeidentifiedField, DeidentifyOptions } from '../deidentify/policy.ts';
import { redactText } from '../deidentify/redact.ts';
import { decodeHeaderText } from './text.ts';

/**
 * Options of BrainVision de-identification: the common ones, plus the base name the files are
 * stored under (`DataFile=`/`MarkerFile=` become `<baseName>.eeg`, `<baseName>.vmrk`, keeping
 * each one's extension); without it they are kept as written.
 *
 * @example
 *   const options: BrainVisionDeidentifyOptions = { subjectCode: 'S01', datePolicy: 'remove', names: ['Berg'], baseName: 'S01-001' };
 */
export interface BrainVisionDeidentifyOptions extends DeidentifyOptions {
  baseName?: string;
}

const fileKeys = new Set(['datafile', 'markerfile']);
/** Sections whose entries are structure (channels, layout), never free text. */
const structuralSections = new Set(['channel infos', 'coordinates', 'binary infos', 'ascii infos', 'channel user infos']);

/** Windows-1252's 0x80-0x9f as the decoder produces them, back to their bytes (made on first use). */
let windows1252Reverse: Map<string, number> | undefined;

function encodeText(text: string, encoding: string): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  // Windows-1252: the characters the decoder produced map back to one byte each.
  if (!windows1252Reverse) {
    windows1252Reverse = new Map<string, number>();
    const decoder = new TextDecoder('windows-1252');
    for (let b = 0x80; b < 0xa0; b++) windows1252Reverse.set(decoder.decode(new Uint8Array([b])), b);
  }
  const reverse = windows1252Reverse;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[i] = code < 0x100 ? code : (reverse.get(text[i] as string) ?? 0x3f);
  }
  return out;
}

function formatMarkerDate(date: Date, microseconds: string): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}${microseconds}`;
}

/** The marker date (YYYYMMDDhhmmssuuuuuu) a policy leaves; all zeros when removed. */
function markerDate(value: string, options: DeidentifyOptions): string {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{6})$/.exec(value.trim());
  if (!match || /^0+$/.test(value.trim())) return value;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const start = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  const kept = applyDatePolicy(start, options.datePolicy, options.shiftDays ?? 0);
  return kept ? formatMarkerDate(kept, options.datePolicy === 'keep' ? (match[7] as string) : '000000') : '0'.repeat(20);
}

/**
 * Rewrite the lines of a BrainVision text file; `rewriteEntry` handles `key=value` lines of
 * non-structural sections (after the generic masking of free text).
 */
function rewriteText(
  bytes: Uint8Array,
  options: BrainVisionDeidentifyOptions,
  rewriteEntry: (section: string, key: string, value: string, field: (name: string, action: string) => void) => string | undefined,
): { bytes: Uint8Array; changes: DeidentificationChanges } {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const { text, encoding } = decodeHeaderText(bytes);
  const names = options.names ?? [];
  const parts = text.split(/(\r\n|\n|\r)/);
  const fields: DeidentifiedField[] = [];
  let byteOffset = hasBom ? 3 : 0;
  let section = '';
  let inComment = false;
  let annotationsRedacted = 0;
  let spansMasked = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] as string;
    const length = encodeText(line, encoding).length;
    const note = (name: string, action: string): void => {
      fields.push({ field: name, byteOffset, length, action });
    };
    const trimmed = line.trim();
    const header = /^\[(.+)\]$/.exec(trimmed);
    let out = line;
    if (i === 0) {
      // The identification line.
    } else if (header && !inComment) {
      section = (header[1] as string).trim().toLowerCase();
      inComment = section === 'comment';
    } else if (inComment || trimmed.startsWith(';')) {
      const { text: masked, replaced } = redactText(line, names);
      if (replaced > 0) {
        out = masked;
        spansMasked += replaced;
        note(`line ${i / 2 + 1}`, `${replaced} date or name span(s) masked`);
      }
    } else if (!structuralSections.has(section) && line.includes('=')) {
      const equals = line.indexOf('=');
      const key = line.slice(0, equals).trim();
      const value = line.slice(equals + 1);
      let spans = 0;
      const rewritten = rewriteEntry(section, key, value, note) ?? (() => {
        const masked = redactText(value, names);
        spans = masked.replaced;
        if (spans > 0) note(`${key} (line ${i / 2 + 1})`, `${spans} date or name span(s) masked`);
        return masked.text;
      })();
      if (spans > 0) spansMasked += spans;
      if (rewritten !== value) out = `${line.slice(0, equals + 1)}${rewritten}`;
      if (section === 'marker infos' && /^mk\d+$/i.test(key) && rewritten !== value) annotationsRedacted++;
    }
    parts[i] = out;
    byteOffset += length + encodeText(parts[i + 1] ?? '', encoding).length;
  }
  const body = encodeText(parts.join(''), encoding);
  const out = hasBom ? new Uint8Array(body.length + 3) : body;
  if (hasBom) {
    out.set([0xef, 0xbb, 0xbf]);
    out.set(body, 3);
  }
  return { bytes: out, changes: { method: 'brainvision-text-rewrite', fields, annotationsRedacted, spansMasked, shiftDays: options.datePolicy === 'shift' ? (options.shiftDays ?? 0) : 0 } };
}

/** `DataFile=`/`MarkerFile=` renamed to the base name, keeping the extension; undefined when not a file entry. */
function renameFile(section: string, key: string, value: string, options: BrainVisionDeidentifyOptions, note: (name: string, action: string) => void): string | undefined {
  if (section !== 'common infos' || !fileKeys.has(key.toLowerCase()) || options.baseName === undefined) return undefined;
  const extension = /\.[^.]*$/.exec(value.trim())?.[0] ?? '';
  note(key, 'renamed to the stored base name');
  return `${options.baseName}${extension}`;
}

/**
 * De-identify a BrainVision header file (`.vhdr`/`.ahdr`): a new array and what changed.
 *
 * @example
 *   const { bytes } = deidentifyBrainVisionHeader(vhdr, { subjectCode: 'S01', datePolicy: 'remove', names: ['Berg'], baseName: 'S01-001' });
 */
export function deidentifyBrainVisionHeader(bytes: Uint8Array, options: BrainVisionDeidentifyOptions): { bytes: Uint8Array; changes: DeidentificationChanges } {
  return rewriteText(bytes, options, (section, key, value, note) => renameFile(section, key, value, options, note));
}

/**
 * De-identify a BrainVision marker file (`.vmrk`/`.amrk`): marker types and descriptions
 * masked, the New Segment date set by the date policy, `DataFile=` renamed. Positions, sizes
 * and channels are kept, so the annotations keep their times.
 *
 * @example
 *   const { bytes, changes } = deidentifyBrainVisionMarkers(vmrk, { subjectCode: 'S01', datePolicy: 'year', names: ['Berg'] });
 *   changes.annotationsRedacted // markers whose text or date was rewritten
 */
export function deidentifyBrainVisionMarkers(bytes: Uint8Array, options: BrainVisionDeidentifyOptions): { bytes: Uint8Array; changes: DeidentificationChanges } {
  let spans = 0;
  const result = rewriteText(bytes, options, (section, key, value, note) => {
    const renamed = renameFile(section, key, value, options, note);
    if (renamed !== undefined || section !== 'marker infos' || !/^mk\d+$/i.test(key)) return renamed;
    const parts = value.split(',');
    const masked: string[] = [];
    for (const [index, part] of parts.entries()) {
      if (index <= 1) {
        const redacted = redactText(part, options.names ?? []);
        spans += redacted.replaced;
        masked.push(redacted.text);
      } else if (index === 5) {
        masked.push(markerDate(part, options));
      } else masked.push(part);
    }
    const out = masked.join(',');
    if (out !== value) note(`${key} (marker)`, 'type/description spans masked or date set by the date policy');
    return out;
  });
  result.changes.spansMasked += spans;
  return result;
}
