/**
 * AWS models write patterns in Java's regex dialect and match them against the whole value
 * (Java's `String.matches`). This turns one into an anchored JavaScript RegExp, once per pattern.
 */
const compiled = new Map<string, RegExp | null>();

export function compilePattern(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = translate(pattern);
    compiled.set(pattern, regex);
  }
  return regex;
}

function translate(pattern: string): RegExp | null {
  const source = pattern
    // Java's POSIX class \p{Alnum} is ASCII letters and digits.
    .replaceAll('\\p{Alnum}', 'a-zA-Z0-9')
    // \p{Print} is printable ASCII; JavaScript has no such property (Application Auto Scaling's
    // PolicyName is `\p{Print}+`).
    .replaceAll('[\\p{Print}]', '[\\x20-\\x7E]')
    .replaceAll('\\p{Print}', '[\\x20-\\x7E]')
    // Java accepts a quantifier on `$` (as in the tag patterns `(...)*${1,128}`); it means `$`.
    .replace(/\$\{\d+,\d+\}$/, '$');
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch {
    // Unicode mode rejects escapes Java allows (`\_`, `\ `); without it they mean the character.
    try {
      return new RegExp(`^(?:${source})$`);
    } catch {
      return null;
    }
  }
}
