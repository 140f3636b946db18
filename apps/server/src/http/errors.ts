/**
 * HTTP errors: every error response is `{ error: { code, message } }` with a stable code. A
 * CajalError maps to its status by code; `HttpError` covers the HTTP-only cases (415, 413).
 */
import { isCajalError } from '@cajal/core';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

const statusByCode: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_ARGUMENT: 400,
  PARSE_ERROR: 400,
  ABORTED: 400,
  FORMAT_TOO_LARGE: 413,
  FORMAT_UNKNOWN: 415,
  FORMAT_TRUNCATED: 422,
  FORMAT_INVALID_FIELD: 422,
  FORMAT_UNSUPPORTED: 422,
  UNIT_MISMATCH: 422,
  WRITE_INVALID: 500,
  INTERNAL: 500,
};

/** The status, code and message to send for any thrown value. */
export function describeError(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  if (isCajalError(error)) return { status: statusByCode[error.code] ?? 500, code: error.code, message: error.message };
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message: (error as Error).message || 'bad request' };
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}
