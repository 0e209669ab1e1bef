import { InvocationError } from '../common/invocation.js';

/** A rectangular nested array taken apart: its shape and its leaves in row-major order. */
export interface FlatArray {
  readonly shape: readonly number[];
  readonly values: readonly unknown[];
}

/**
 * Flattens a nested JSON array (`[[1, 2], [3, 4]]` -> shape [2, 2]); a scalar has shape [].
 * Ragged arrays are the client's mistake: a 400 naming where, under `where` (e.g.
 * `inputs.x`), the lengths disagree.
 */
export function flattenNested(value: unknown, where: string): FlatArray {
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const values: unknown[] = [];
  collect(value, { shape, depth: 0, where, values });
  return { shape, values };
}

function collect(
  value: unknown,
  at: { shape: readonly number[]; depth: number; where: string; values: unknown[] },
): void {
  const { shape, depth, where, values } = at;
  if (depth === shape.length) {
    if (Array.isArray(value))
      throw new InvocationError(
        400,
        `${where} is an array where a number was expected: the nested arrays must be rectangular (shape [${shape.join(', ')}]).`,
      );
    values.push(value);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth])
    throw new InvocationError(
      400,
      `${where} has ${Array.isArray(value) ? count(value.length) : 'a single value'} where ${shape[depth]} were expected: the nested arrays must be rectangular (shape [${shape.join(', ')}]).`,
    );
  value.forEach((item, i) =>
    collect(item, { shape, depth: depth + 1, where: `${where}[${i}]`, values }),
  );
}

function count(items: number): string {
  return items === 1 ? '1 item' : `${items} items`;
}

/** Row-major data of the given dimensions as nested arrays; a scalar for no dimensions. */
export function nestArray<T>(data: readonly T[], dims: readonly number[]): unknown {
  if (dims.length === 0) return data[0];
  const build = (offset: number, depth: number): unknown[] => {
    const size = dims[depth]!;
    if (depth === dims.length - 1) return data.slice(offset, offset + size);
    const stride = dims.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) => build(offset + i * stride, depth + 1));
  };
  return build(0, 0);
}
