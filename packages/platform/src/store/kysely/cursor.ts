import { createHash } from 'node:crypto';
import { InvalidCursorError } from '../metadata-store.js';

/**
 * Keyset pagination cursors: base64url JSON holding the last row's sort value and tie-breaker,
 * plus a fingerprint of the query that produced it. A cursor replayed against a different query
 * (other filters, sort or resource) fails the fingerprint check instead of silently skipping rows.
 */

/** Where the previous page ended. */
export interface CursorPosition {
  /** The last row's sort value (a string or epoch milliseconds). */
  readonly value: string | number;
  /** The last row's tie-breaker (its ARN, or a tag key). */
  readonly after: string;
}

interface CursorPayload {
  readonly q: string;
  readonly v: string | number;
  readonly a: string;
}

/** A short, stable digest of whatever defines a query (not its page size or cursor). */
export function fingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/** Encodes a position for the query with this fingerprint. */
export function encodeCursor(queryFingerprint: string, position: CursorPosition): string {
  const payload: CursorPayload = { q: queryFingerprint, v: position.value, a: position.after };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor issued for the query with this fingerprint, whose sort value has the given
 * type; anything else (garbage, another query's cursor) throws `InvalidCursorError`.
 */
export function decodeCursor(
  cursor: string,
  queryFingerprint: string,
  valueType: 'string' | 'number',
): CursorPosition {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!isPayload(payload) || payload.q !== queryFingerprint || typeof payload.v !== valueType) {
    throw new InvalidCursorError();
  }
  if (typeof payload.v === 'number' && !Number.isSafeInteger(payload.v)) {
    throw new InvalidCursorError();
  }
  return { value: payload.v, after: payload.a };
}

function isPayload(value: unknown): value is CursorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { q, v, a } = value as Record<string, unknown>;
  return (
    typeof q === 'string' &&
    typeof a === 'string' &&
    (typeof v === 'string' || typeof v === 'number')
  );
}
