import { CajalError } from '@cajal/core';
import type { ComplianceWarning } from '@cajal/core';

/**
 * Low-level helpers for EDF/BDF header fields: fixed-width ASCII text padded with spaces.
 * Hand-written (the codec is Cajal's own) so every field can be checked and located by byte.
 */

/** Collects compliance warnings while a header is parsed; `strict` turns them into errors. */
export class WarningSink {
  readonly warnings: ComplianceWarning[] = [];
  private readonly seen = new Set<string>();
  private readonly perCode = new Map<string, number>();

  constructor(
    readonly file: string,
    readonly strict = false,
  ) {}

  /** Add a warning (once per code + field). In strict mode throws FORMAT_INVALID_FIELD. */
  warn(code: string, message: string, field?: string, byteOffset?: number): void {
    if (this.strict) {
      throw new CajalError('FORMAT_INVALID_FIELD', `${message} (strict mode)`, {
        file: this.file,
        ...(field !== undefined ? { field } : {}),
        ...(byteOffset !== undefined ? { byteOffset } : {}),
      });
    }
    const key = `${code}|${field ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // At most 20 warnings of one kind, then one saying the rest were dropped.
    const count = (this.perCode.get(code) ?? 0) + 1;
    this.perCode.set(code, count);
    if (count > warningsPerCode + 1) return;
    if (count === warningsPerCode + 1) {
      this.warnings.push({ code, message: `further ${code} warnings omitted`, file: this.file });
      return;
    }
    const where: string[] = [];
    if (field !== undefined) where.push(`field "${field}"`);
    if (byteOffset !== undefined) where.push(`byte ${byteOffset}`);
    this.warnings.push({
      code,
      message: where.length > 0 ? `${message} (${where.join(', ')})` : message,
      file: this.file,
      ...(field !== undefined ? { field } : {}),
      ...(byteOffset !== undefined ? { byteOffset } : {}),
    });
  }
}

/** Warnings kept per code before the rest are summarised. */
const warningsPerCode = 20;

const asciiDecoder = new TextDecoder('latin1');
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode a header text field. EDF allows printable ASCII only; other bytes are decoded as
 * UTF-8 when valid, else latin-1, with a NON_ASCII_HEADER warning either way.
 */
export function readText(bytes: Uint8Array, offset: number, length: number, field: string, sink: WarningSink): string {
  const slice = bytes.subarray(offset, offset + length);
  let ascii = true;
  for (let i = 0; i < slice.length; i++) {
    const b = slice[i] as number;
    if (b >= 0x7f || (b < 0x20 && b !== 0)) {
      ascii = false;
      break;
    }
  }
  let text: string;
  if (ascii) {
    text = asciiDecoder.decode(slice);
  } else {
    try {
      text = utf8Decoder.decode(slice);
      sink.warn('NON_ASCII_HEADER', 'header field holds non-ASCII bytes; decoded as UTF-8', field, offset);
    } catch {
      text = asciiDecoder.decode(slice);
      sink.warn('NON_ASCII_HEADER', 'header field holds non-ASCII bytes; decoded as latin-1', field, offset);
    }
  }
  // NUL padding is not allowed either, but common; treat it as spaces.
  return text.replace(/\0/g, ' ').trim();
}

/** Parse a numeric field; comma decimal separators are accepted with a warning. */
export function readNumber(bytes: Uint8Array, offset: number, length: number, field: string, sink: WarningSink): number {
  const raw = readText(bytes, offset, length, field, sink);
  let text = raw;
  if (/^[+-]?\d*,\d+$/.test(text)) {
    sink.warn('DECIMAL_COMMA', `number "${raw}" uses a decimal comma`, field, offset);
    text = text.replace(',', '.');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new CajalError('FORMAT_INVALID_FIELD', `${field} is "${raw}", not a number`, { file: sink.file, field, byteOffset: offset, value: raw });
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new CajalError('FORMAT_INVALID_FIELD', `${field} is "${raw}", not a finite number`, { file: sink.file, field, byteOffset: offset, value: raw });
  }
  return value;
}

/** Parse an integer field (a decimal value is rounded with a warning). */
export function readInteger(bytes: Uint8Array, offset: number, length: number, field: string, sink: WarningSink): number {
  const value = readNumber(bytes, offset, length, field, sink);
  if (!Number.isInteger(value)) {
    sink.warn('NOT_AN_INTEGER', `${field} is ${value}, not an integer; rounded`, field, offset);
    return Math.round(value);
  }
  return value;
}

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Month number (1-12) of an EDF+ month abbreviation, or 0. */
export function monthNumber(abbreviation: string): number {
  return months.indexOf(abbreviation.toUpperCase()) + 1;
}

/** EDF+ month abbreviation of a month number (1-12). */
export function monthAbbreviation(month: number): string {
  return months[month - 1] ?? 'JAN';
}

/** Year from a two-digit EDF year with the 1985 rule: 85-99 -> 19xx, 00-84 -> 20xx. */
export function yearFromTwoDigits(twoDigits: number): number {
  return twoDigits >= 85 ? 1900 + twoDigits : 2000 + twoDigits;
}
