/** A request the client must fix; the server answers it with `status` and the message. */
export class InvocationError extends Error {
  readonly code = 'InvocationError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'InvocationError';
  }
}

/** Response media types the servers can write, the first being the default for `*\/*`. */
export const ACCEPT_TYPES = [
  'application/json',
  'application/jsonlines',
  'text/csv',
  'application/x-recordio-protobuf',
] as const;
/** One of {@link ACCEPT_TYPES}. */
export type AcceptType = (typeof ACCEPT_TYPES)[number];

/**
 * Picks the response type from an Accept header among those a server can write (`supported`,
 * its first the default): the default when absent or `*\/*`; a 406 when none fits.
 */
export function chooseAccept(
  header: string | undefined,
  supported: readonly AcceptType[] = ACCEPT_TYPES,
): AcceptType {
  const fallback = supported[0] ?? 'application/json';
  if (header === undefined || header.trim() === '') return fallback;
  for (const part of header.split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    const known = supported.find((t) => t === type);
    if (known) return known;
    if (type === '*/*') return fallback;
    const family = type.endsWith('/*')
      ? supported.find((t) => t.startsWith(type.slice(0, -1)))
      : undefined;
    if (family) return family;
  }
  throw new InvocationError(
    406,
    `Accept '${header}' is not supported; use one of: ${supported.join(', ')}.`,
  );
}

/**
 * Packs request rows into one row-major array for a model with `dim` features; a row of
 * another width is the client's mistake (400).
 */
export function packRows(rows: readonly Float32Array[], dim: number): Float32Array {
  const points = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim)
      throw new InvocationError(
        400,
        `Record ${i} has ${row.length} features; this model expects feature_dim=${dim}.`,
      );
    points.set(row, i * dim);
  });
  return points;
}
