/**
 * Text layer of BrainVision files: decoding (UTF-8 with or without BOM, Latin-1/ANSI) and the
 * INI-style sections of `.vhdr`/`.vmrk`/`.ahdr`/`.amrk`, with the line number of every entry so
 * that errors can say where the problem is.
 */
import { latin1Text } from '../latin1.ts';

/** One `key=value` entry with its 1-based line number in the file. */
export interface IniEntry {
  key: string;
  value: string;
  line: number;
}

/** A parsed INI-style file: the first line, and the sections by lower-case name. */
export interface IniFile {
  firstLine: string;
  /** Sections by lower-case name ("common infos"), entries in file order. */
  sections: Map<string, IniEntry[]>;
  /** Free text of the `[Comment]` section (amplifier and software filter tables), with its first line number. */
  comment: { text: string; line: number } | undefined;
  /** The character set the bytes were decoded with ("utf-8" or "windows-1252"). */
  encoding: string;
  /** True when UTF-8 was asked for (Codepage=UTF-8) but the bytes were not valid UTF-8. */
  fellBackToLatin1: boolean;
}

/**
 * Decode header bytes: a UTF-8 BOM or `Codepage=UTF-8` means UTF-8, `Codepage=ANSI`/Latin-1
 * means Windows-1252; without a codepage UTF-8 is tried first and Latin-1 used when the bytes
 * are not valid UTF-8 (old Vision Recorder files), as MNE does.
 */
export function decodeHeaderText(bytes: Uint8Array): { text: string; encoding: string; fellBackToLatin1: boolean } {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  // The codepage line itself is ASCII, so look for it before choosing the decoder.
  const ascii = latin1Text(body.subarray(0, Math.min(body.length, 4096)));
  const codepage = /^\s*codepage\s*=\s*(.+?)\s*$/im.exec(ascii)?.[1]?.toLowerCase();
  const wantsLatin1 = codepage !== undefined && codepage !== 'utf-8' && codepage !== 'utf8';
  if (wantsLatin1 && !hasBom) return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252', fellBackToLatin1: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8', fellBackToLatin1: false };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252', fellBackToLatin1: codepage !== undefined || hasBom };
  }
}

/**
 * Parse INI text: `[Section]` headers (case-insensitive), `key=value` lines, `;` comments.
 * Everything from `[Comment]` on is kept as free text (it holds tables, not entries).
 */
export function parseIni(bytes: Uint8Array): IniFile {
  const { text, encoding, fellBackToLatin1 } = decodeHeaderText(bytes);
  const lines = text.split(/\r\n|\n|\r/);
  const sections = new Map<string, IniEntry[]>();
  let current: IniEntry[] | undefined;
  let comment: IniFile['comment'];
  for (let index = 1; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '' || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = (section[1] as string).trim().toLowerCase();
      if (name === 'comment') {
        comment = { text: lines.slice(index + 1).join('\n'), line: index + 2 };
        break;
      }
      current = sections.get(name) ?? [];
      sections.set(name, current);
      continue;
    }
    const equals = line.indexOf('=');
    if (equals < 0 || !current) continue;
    current.push({ key: line.slice(0, equals).trim(), value: line.slice(equals + 1).trim(), line: index + 1 });
  }
  return { firstLine: (lines[0] ?? '').trim(), sections, comment, encoding, fellBackToLatin1 };
}

/** The entry `key` (case-insensitive) of `section`, or undefined. */
export function findEntry(file: IniFile, section: string, key: string): IniEntry | undefined {
  const lower = key.toLowerCase();
  return file.sections.get(section.toLowerCase())?.find((e) => e.key.toLowerCase() === lower);
}

/** Undo BrainVision's escaping of commas ("\1") in names and marker texts. */
export function unescapeField(value: string): string {
  return value.replaceAll('\\1', ',');
}
