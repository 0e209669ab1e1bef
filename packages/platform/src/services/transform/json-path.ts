/**
 * The JSONPath subset batch transform's InputFilter and OutputFilter accept, as SageMaker
 * documents it ("Supported JSONPath Operators"): `$`, `.name`, `.*` / `[*]`, `['a','b']`,
 * `[1]`, `[1,3,-1]` (negative from the end) and slices `[2:5]`, `[:5]`, `[2:]`, mixed with
 * indexes as in `$[0,5:]`. No filters, scripts or recursive descent.
 */

/** One step of a path. */
export type PathSegment =
  | { readonly kind: 'names'; readonly names: readonly string[] }
  | { readonly kind: 'indexes'; readonly picks: readonly IndexPick[] }
  | { readonly kind: 'wildcard' };

/** An index, or a slice whose missing ends are the array's first and last elements. */
export type IndexPick =
  { readonly index: number } | { readonly start?: number; readonly end?: number };

/** A parsed path. */
export interface JsonPath {
  readonly source: string;
  readonly segments: readonly PathSegment[];
}

/** Why a path cannot be parsed, or does not fit the value it is applied to. */
export class JsonPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathError';
  }
}

/** `$`: the whole value. */
export const ROOT_PATH: JsonPath = { source: '$', segments: [] };

/** True for `$`, which selects the whole value. */
export function isRootPath(path: JsonPath): boolean {
  return path.segments.length === 0;
}

/** Parses a path; an empty one is `$`. Throws JsonPathError saying where it went wrong. */
export function parseJsonPath(source: string): JsonPath {
  const text = source.trim();
  if (text === '' || text === '$') return ROOT_PATH;
  if (text[0] !== '$') throw new JsonPathError(`'${source}' must start with $`);
  const segments: PathSegment[] = [];
  let at = 1;
  while (at < text.length) {
    const char = text[at];
    if (char === '.' && text[at + 1] === '[') at += 1;
    else if (char === '.') {
      const match = /^(\*|[^.[\]\s'"()?,:]+)/.exec(text.slice(at + 1));
      if (!match) throw new JsonPathError(`'${source}' has no name after the '.' at ${at + 1}`);
      segments.push(
        match[1] === '*' ? { kind: 'wildcard' } : { kind: 'names', names: [match[1]!] },
      );
      at += 1 + match[1]!.length;
      continue;
    }
    if (text[at] !== '[') {
      throw new JsonPathError(`'${source}' has an unexpected '${text[at]}' at ${at + 1}`);
    }
    const close = findClosingBracket(text, at);
    if (close < 0) throw new JsonPathError(`'${source}' has a '[' at ${at + 1} that is not closed`);
    segments.push(parseBracket(text.slice(at + 1, close), source));
    at = close + 1;
  }
  return { source, segments };
}

/** The value the path selects; throws JsonPathError when it does not fit the value. */
export function selectJsonPath(path: JsonPath, value: unknown): unknown {
  let current = value;
  let spread = false;
  for (const segment of path.segments) {
    if (spread) {
      current = (current as unknown[]).map((item) => applySegment(segment, item, path).value);
    } else {
      const result = applySegment(segment, current, path);
      current = result.value;
      spread = result.many;
    }
  }
  return current;
}

function applySegment(
  segment: PathSegment,
  value: unknown,
  path: JsonPath,
): { value: unknown; many: boolean } {
  switch (segment.kind) {
    case 'wildcard':
      if (Array.isArray(value)) return { value: [...(value as unknown[])], many: true };
      if (isObject(value)) return { value: Object.values(value), many: true };
      throw new JsonPathError(
        `${path.source}: '*' needs an object or array, got ${describe(value)}`,
      );
    case 'names': {
      if (!isObject(value)) {
        throw new JsonPathError(
          `${path.source}: field '${segment.names[0]}' needs an object, got ${describe(value)}`,
        );
      }
      for (const name of segment.names) {
        if (!Object.hasOwn(value, name))
          throw new JsonPathError(`${path.source}: the record has no field '${name}'`);
      }
      if (segment.names.length === 1) return { value: value[segment.names[0]!], many: false };
      return { value: Object.fromEntries(segment.names.map((n) => [n, value[n]])), many: false };
    }
    case 'indexes': {
      if (!Array.isArray(value)) {
        throw new JsonPathError(`${path.source}: indexes need an array, got ${describe(value)}`);
      }
      const only = segment.picks[0];
      if (segment.picks.length === 1 && only && 'index' in only) {
        return { value: value[resolveIndex(only.index, value.length, path)], many: false };
      }
      return { value: segment.picks.flatMap((pick) => pickItems(pick, value, path)), many: true };
    }
  }
}

/**
 * The elements an index or slice picks. SageMaker documents slices as inclusive of both ends
 * (`$[1:4]` is "the second through fifth columns"), so `end` is included.
 */
function pickItems(pick: IndexPick, items: readonly unknown[], path: JsonPath): unknown[] {
  if ('index' in pick) return [items[resolveIndex(pick.index, items.length, path)]];
  const start = pick.start === undefined ? 0 : resolveIndex(pick.start, items.length, path);
  const end =
    pick.end === undefined ? items.length - 1 : resolveIndex(pick.end, items.length, path);
  return items.slice(start, end + 1);
}

function resolveIndex(index: number, length: number, path: JsonPath): number {
  const resolved = index < 0 ? length + index : index;
  if (resolved < 0 || resolved >= length) {
    throw new JsonPathError(
      `${path.source}: index ${index} is outside the record's ${length} element${length === 1 ? '' : 's'}`,
    );
  }
  return resolved;
}

function parseBracket(inner: string, source: string): PathSegment {
  const body = inner.trim();
  if (body === '*') return { kind: 'wildcard' };
  const items = splitItems(body, source);
  if (items.every((item) => /^(['"]).*\1$/s.test(item))) {
    return { kind: 'names', names: items.map(unquote) };
  }
  const picks = items.map((item): IndexPick => {
    const index = /^-?\d+$/.exec(item);
    if (index) return { index: Number(item) };
    const slice = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(item);
    if (!slice) {
      throw new JsonPathError(
        `'${source}': '[${inner}]' must hold quoted names, or indexes and slices such as 1, -1, 2:5`,
      );
    }
    return {
      ...(slice[1] === undefined ? {} : { start: Number(slice[1]) }),
      ...(slice[2] === undefined ? {} : { end: Number(slice[2]) }),
    };
  });
  return { kind: 'indexes', picks };
}

/** Comma-separated items, commas inside quotes kept. */
function splitItems(body: string, source: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of body) {
    if (quote) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
      current += char;
    } else if (char === ',') {
      items.push(current.trim());
      current = '';
    } else current += char;
  }
  items.push(current.trim());
  if (items.some((item) => item === '')) {
    throw new JsonPathError(`'${source}' has an empty item in '[${body}]'`);
  }
  return items;
}

function findClosingBracket(text: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === ']') return i;
  }
  return -1;
}

function unquote(item: string): string {
  return item.slice(1, -1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}
