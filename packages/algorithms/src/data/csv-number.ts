// Exact powers of ten as doubles; beyond 1e22 they are no longer exactly representable.
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];
const MAX_EXACT = 2 ** 53;

/**
 * Parses the decimal number in `text[start, end)` without slicing it out, or returns undefined
 * when it is not a number. Plain decimals take Clinger's fast path (an integer mantissa below
 * 2^53 times or divided by an exact power of ten is one correctly rounded operation), which
 * gives exactly what `Number()` gives; anything else falls back to `Number()` on a slice.
 * Like Python's `float()`, surrounding spaces and nan/inf spellings are accepted.
 */
export function parseNumber(text: string, start: number, end: number): number | undefined {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return undefined;
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === 45; // '-'
  if (negative || c === 43) i++; // '+'
  let mantissa = 0;
  let exponent = 0;
  let digits = 0;
  while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    i++;
  }
  if (i < end && c === 46) {
    // '.'
    i++;
    while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      exponent--;
      digits++;
      i++;
    }
  }
  if (digits > 0 && i < end && (c === 101 || c === 69)) {
    // 'e' | 'E'
    i++;
    const expNegative = text.charCodeAt(i) === 45;
    if (expNegative || text.charCodeAt(i) === 43) i++;
    let e = 0;
    const expStart = i;
    while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57 && e < 10000) {
      e = e * 10 + (c - 48);
      i++;
    }
    if (i === expStart) return undefined;
    exponent += expNegative ? -e : e;
  }
  if (i === end && digits > 0 && mantissa < MAX_EXACT) {
    let value = mantissa;
    if (exponent > 0 && exponent <= 22) value = mantissa * POW10[exponent]!;
    else if (exponent < 0 && exponent >= -22) value = mantissa / POW10[-exponent]!;
    else if (exponent !== 0) return slowParse(text.slice(start, end));
    return negative ? -value : value;
  }
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
