/**
 * Session tokens: 256 random bits, sent to the browser in an HTTP-only SameSite=Strict cookie;
 * only their sha256 is stored, so a leaked database does not leak sessions.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The cookie's name. */
export const sessionCookie = 'cajal_session';

/** A new token (43 base64url characters) and the hash to store. */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** sha256 of a token, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
