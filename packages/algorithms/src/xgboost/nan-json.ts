import { ModelFormatError } from './json-checks.js';

// xgboost's JSON writer prints non-finite floats as bare NaN, Infinity and -Infinity (e.g. the
// split_conditions of categorical nodes), which JSON.parse refuses. Outside strings they are
// swapped for sentinel strings and turned back into numbers while parsing.
const SENTINELS: Readonly<Record<string, number>> = {
  '\u0000NaN': NaN,
  '\u0000Infinity': Infinity,
  '\u0000-Infinity': -Infinity,
};

/** JSON.parse that also reads xgboost's bare `NaN`, `Infinity` and `-Infinity` numbers. */
export function parseXGBoostJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const fixed = quoteNonFinite(text);
    if (fixed === text) throw invalid(error);
    try {
      return JSON.parse(fixed, (_key, value: unknown) =>
        typeof value === 'string' && value.startsWith('\u0000') && value in SENTINELS
          ? SENTINELS[value]
          : value,
      );
    } catch (second) {
      throw invalid(second);
    }
  }
}

function invalid(error: unknown): ModelFormatError {
  return new ModelFormatError(`it is not valid JSON (${(error as Error).message})`);
}

/** Rewrites NaN/Infinity/-Infinity tokens that are outside strings as sentinel strings. */
function quoteNonFinite(text: string): string {
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash escapes the next character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 78 || c === 73 || c === 45) {
      const token = ['NaN', 'Infinity', '-Infinity'].find((t) => text.startsWith(t, i));
      if (token === undefined) continue;
      out += `${text.slice(copied, i)}"\\u0000${token}"`;
      i += token.length - 1;
      copied = i + 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
