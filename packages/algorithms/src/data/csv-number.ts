// Exact powers of ten as doubles; beyond 1e22 they are no longer exactly representable.
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];
const MAX_EXACT = 2 ** 53;

/** Where the last {@link scanDecimal} stopped; read it right after the call. */
export const scanned = { stop: 0 };

/**
 * Reads the plain decimal at `text[start, end)` (optional sign, digits, optional fraction and
 * exponent) up to the first character that cannot continue it, and sets `scanned.stop` there.
 * Returns its value when Clinger's fast path gives it exactly (an integer mantissa below 2^53
 * times or divided by an exact power of ten is one correctly rounded operation, so it equals
 * what `Number()` gives), else NaN: no digits, a longer mantissa, a larger exponent. The CSV
 * reader calls it on a whole line and so finds a field's end in the pass that parses it.
 */
export function scanDecimal(text: string, start: number, end: number): number {
  let i = start;
  let c = i < end ? text.charCodeAt(i) : -1;
  const negative = c === 45; // '-'
  if (negative || c === 43) c = ++i < end ? text.charCodeAt(i) : -1; // '+'
  let mantissa = 0;
  let exponent = 0;
  let digits = 0;
  for (; c >= 48 && c <= 57; c = ++i < end ? text.charCodeAt(i) : -1) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
  }
  if (c === 46) {
    // '.'
    for (
      c = ++i < end ? text.charCodeAt(i) : -1;
      c >= 48 && c <= 57;
      c = ++i < end ? text.charCodeAt(i) : -1
    ) {
      mantissa = mantissa * 10 + (c - 48);
      exponent--;
      digits++;
    }
  }
  if (digits > 0 && (c === 101 || c === 69)) {
    // 'e' | 'E'
    c = ++i < end ? text.charCodeAt(i) : -1;
    const expNegative = c === 45;
    if (expNegative || c === 43) c = ++i < end ? text.charCodeAt(i) : -1;
    let e = 0;
    const expStart = i;
    for (; c >= 48 && c <= 57 && e < 10000; c = ++i < end ? text.charCodeAt(i) : -1)
      e = e * 10 + (c - 48);
    if (i === expStart) digits = 0; // "1e" is not a number
    exponent += expNegative ? -e : e;
  }
  scanned.stop = i;
  if (digits === 0 || mantissa >= MAX_EXACT) return NaN;
  let value = mantissa;
  if (exponent > 0 && exponent <= 22) value = mantissa * POW10[exponent]!;
  else if (exponent < 0 && exponent >= -22) value = mantissa / POW10[-exponent]!;
  else if (exponent !== 0) return NaN;
  return negative ? -value : value;
}

/**
 * Parses the decimal number in `text[start, end)` without slicing it out, or returns undefined
 * when it is not a number. Plain decimals take {@link scanDecimal}'s exact fast path; anything
 * else falls back to `Number()` on a slice. Like Python's `float()`, surrounding spaces and
 * nan/inf spellings are accepted.
 */
export function parseNumber(text: string, start: number, end: number): number | undefined {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return undefined;
  const value = scanDecimal(text, start, end);
  if (scanned.stop === end && !Number.isNaN(value)) return value;
  return slowParse(text.slice(start, end));
}

const SPECIAL: Record<string, number> = {
  nan: NaN,
  inf: Infinity,
  infinity: Infinity,
};

function slowParse(token: string): number | undefined {
  const lower = token.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const special = SPECIAL[lower.replace(/^[+-]/, '')];
  if (special !== undefined) return sign * special;
  // Number() also reads hex, octal and binary literals, which no CSV writer means.
  if (/^[+-]?0[xob]/.test(lower) || lower.includes('infinity')) return undefined;
  const value = Number(token);
  return Number.isNaN(value) ? undefined : value;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}
