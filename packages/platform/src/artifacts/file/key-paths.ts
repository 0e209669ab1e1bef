import { InvalidObjectKeyError } from '../errors.js';
import { assertValidKey } from '../keys.js';

/*
 * How object keys become paths under a bucket folder.
 *
 * A key is split at `/`. Every segment but the last becomes a directory named
 * `<escaped>%2F`, the last a file named `<escaped>`, so an object `a` (file `a`) and an object
 * `a/b` (directory `a%2F`, file `b`) can both exist. Escaping writes `%` as `%25`, `\` as `%5C`
 * and control characters as `%XX`; a segment that is exactly `.` or `..` is written `%2E` /
 * `%2E%2E` and an empty one `%`. Since no escaped name ever contains `/`, `.`/`..` alone, or a `%`
 * that is not followed by two hex digits (other than the markers), a key can never name a
 * path outside its bucket folder, and decoding is exact. A segment too long for one file name
 * is cut into directories named `<escaped chunk>%+` ("continues"), then the rest as above.
 */

/** Suffix of a directory standing for "segment, then `/`". */
export const DIR_SUFFIX = '%2F';
/** Suffix of a directory standing for "this segment continues in the directory". */
export const CONTINUATION_SUFFIX = '%+';
const EMPTY_SEGMENT = '%';
/** Longest escaped piece in one name, leaving room for a suffix within NAME_MAX (255). */
const MAX_PIECE_BYTES = 240;
/** Longest relative path we produce, well under PATH_MAX (4096) with the root in front. */
const MAX_RELATIVE_PATH_BYTES = 3000;

/** What a directory entry of a bucket folder stands for. */
export interface KeyPathEntry {
  /** `file`: the key ends here; `dir`: `piece/` then more; `continuation`: `piece` then more of the same segment. */
  readonly kind: 'file' | 'dir' | 'continuation';
  /** The part of the key this entry contributes (without the `/` of a `dir`). */
  readonly piece: string;
}

/**
 * The path components (relative to the bucket folder) that store `key`. Throws
 * `InvalidObjectKeyError` for keys S3 rejects too and for the rare key too deep for a file system.
 */
export function keyToPathComponents(key: string): string[] {
  assertValidKey(key);
  const segments = key.split('/');
  const components: string[] = [];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const pieces = splitSegment(segment);
    pieces.forEach((piece, pieceIndex) => {
      if (pieceIndex < pieces.length - 1) components.push(escapePiece(piece) + CONTINUATION_SUFFIX);
      else components.push(last ? escapePiece(piece) : escapePiece(piece) + DIR_SUFFIX);
    });
  });
  const bytes = components.reduce((sum, c) => sum + Buffer.byteLength(c) + 1, 0);
  if (bytes > MAX_RELATIVE_PATH_BYTES) {
    throw new InvalidObjectKeyError(
      key,
      'it has too many or too unusual segments to be stored as local files',
    );
  }
  return components;
}

/** What an entry named `name` in a bucket folder stands for, or undefined if we did not write it. */
export function decodeEntry(name: string, isDirectory: boolean): KeyPathEntry | undefined {
  if (isDirectory) {
    if (name.endsWith(DIR_SUFFIX)) return entry('dir', name.slice(0, -DIR_SUFFIX.length));
    if (name.endsWith(CONTINUATION_SUFFIX)) {
      return entry('continuation', name.slice(0, -CONTINUATION_SUFFIX.length));
    }
    return undefined;
  }
  return entry('file', name);
}

function entry(kind: KeyPathEntry['kind'], escaped: string): KeyPathEntry | undefined {
  const piece = unescapePiece(escaped);
  // Only names in canonical form count: anything else was not written by this store.
  if (piece === undefined || escapePiece(piece) !== escaped) return undefined;
  if (kind === 'continuation' && piece.length === 0) return undefined;
  return { kind, piece };
}

/** Escapes one piece of a key segment so that it is a safe, unambiguous file name. */
export function escapePiece(piece: string): string {
  if (piece === '') return EMPTY_SEGMENT;
  if (piece === '.') return '%2E';
  if (piece === '..') return '%2E%2E';
  let out = '';
  for (const char of piece) out += escapeChar(char);
  return out;
}

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char === '%' || char === '\\' || code < 0x20 || code === 0x7f) {
    return '%' + code.toString(16).toUpperCase().padStart(2, '0');
  }
  return char;
}

function unescapePiece(escaped: string): string | undefined {
  if (escaped === EMPTY_SEGMENT) return '';
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const char = escaped[i] ?? '';
    if (char !== '%') {
      out += char;
      continue;
    }
    const hex = escaped.slice(i + 1, i + 3);
    if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
    out += String.fromCharCode(parseInt(hex, 16));
    i += 2;
  }
  return out;
}

/** Cuts a segment into pieces whose escaped form fits one file name, at code point boundaries. */
function splitSegment(segment: string): string[] {
  if (Buffer.byteLength(escapePiece(segment)) <= MAX_PIECE_BYTES) return [segment];
  const pieces: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const char of segment) {
    const bytes = Buffer.byteLength(escapeChar(char));
    if (currentBytes + bytes > MAX_PIECE_BYTES) {
      pieces.push(current);
      current = '';
      currentBytes = 0;
    }
    current += char;
    currentBytes += bytes;
  }
  pieces.push(current);
  return pieces;
}
