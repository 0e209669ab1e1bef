import { InvalidObjectKeyError } from './errors.js';
import { MAX_KEY_BYTES } from './object-store.js';

/**
 * Compares two strings in UTF-8 byte order (S3's key order) without encoding them. UTF-16
 * code units already sort code points correctly except that surrogate pairs (code points above
 * U+FFFF) must come after U+E000..U+FFFF, so those two ranges are swapped before comparing.
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

function utf8Rank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/**
 * Throws `InvalidObjectKeyError` unless `key` can name an object anywhere: not empty, at most
 * 1024 bytes of UTF-8, and valid Unicode (a lone surrogate has no UTF-8 form).
 */
export function assertValidKey(key: string): void {
  if (key.length === 0) throw new InvalidObjectKeyError(key, 'it must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidObjectKeyError(key, `it must be at most ${MAX_KEY_BYTES} bytes of UTF-8`);
  }
  if (/\p{Cs}/u.test(key)) throw new InvalidObjectKeyError(key, 'it must be valid Unicode');
}
