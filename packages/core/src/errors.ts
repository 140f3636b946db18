/**
 * Typed errors with stable codes. Every error Cajal raises on purpose is a `CajalError`;
 * callers branch on `code`, never on the message.
 *
 * @example
 *   throw new CajalError('FORMAT_INVALID_FIELD', 'number of signals is "abc"', { field: 'ns', byteOffset: 252 });
 */
export type ErrorCode =
  | 'FORMAT_UNKNOWN'
  | 'FORMAT_TRUNCATED'
  | 'FORMAT_INVALID_FIELD'
  | 'FORMAT_UNSUPPORTED'
  | 'FORMAT_TOO_LARGE'
  | 'WRITE_INVALID'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ABORTED'
  | 'UNIT_MISMATCH'
  | 'PARSE_ERROR'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INTERNAL';

/** Where in a file or input a problem was found. */
export interface ErrorLocation {
  /** The file or source name, when known. */
  file?: string;
  /** The header field or parameter name. */
  field?: string;
  /** Byte offset from the start of the file. */
  byteOffset?: number;
  /** Any further structured detail (values, limits). */
  [key: string]: unknown;
}

export class CajalError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatMessage(message, location), options);
    this.name = 'CajalError';
    this.code = code;
    this.location = location;
  }

  toJSON(): { code: ErrorCode; message: string; location: ErrorLocation } {
    return { code: this.code, message: this.message, location: this.location };
  }
}

function formatMessage(message: string, location: ErrorLocation): string {
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.field) parts.push(`field "${location.field}"`);
  if (typeof location.byteOffset === 'number') parts.push(`byte ${location.byteOffset}`);
  return parts.length > 0 ? `${message} (${parts.join(', ')})` : message;
}

/** True when `error` is a CajalError, optionally with the given code. */
export function isCajalError(error: unknown, code?: ErrorCode): error is CajalError {
  return error instanceof CajalError && (code === undefined || error.code === code);
}

/** Raise INVALID_ARGUMENT unless `condition` holds. */
export function assertArgument(condition: unknown, message: string, location: ErrorLocation = {}): asserts condition {
  if (!condition) throw new CajalError('INVALID_ARGUMENT', message, location);
}
