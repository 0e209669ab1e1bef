import { InvalidRangeError } from './errors.js';
import type { ByteRange } from './object-store.js';

/**
 * Resolves an S3 byte range against an object's size into inclusive positions, clamping the
 * end as S3 does; `InvalidRange` when no byte of it exists.
 */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  if ('suffixLength' in range) {
    if (range.suffixLength <= 0 || size === 0) throw new InvalidRangeError(size);
    return { start: Math.max(0, size - range.suffixLength), end: size - 1 };
  }
  if (range.start >= size || (range.end !== undefined && range.end < range.start))
    throw new InvalidRangeError(size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}
