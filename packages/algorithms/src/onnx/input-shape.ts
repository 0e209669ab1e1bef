import { InvocationError } from '../common/invocation.js';
import type { FlatArray } from './nested.js';

/** A model input's declared dimensions: a size, or a name (`n`, `batch`) for a free one. */
export type DeclaredShape = readonly (number | string)[];

/**
 * The shape to feed `data` as, for an input declaring `declared` (empty when the model does
 * not say): as given when the ranks agree; with a leading batch of 1 for a single instance
 * (one rank short); `[n, 1]` squeezed to `[n]` for a rank-1 input; rows of `d` values reshaped
 * to `[n, ...fixed]` when the fixed trailing dimensions hold `d` values. Anything else, or a
 * fixed dimension of another size, is the client's mistake (400).
 */
export function fitShape(data: FlatArray, input: { name: string; shape: DeclaredShape }): number[] {
  const declared = input.shape;
  const given = [...data.shape];
  if (declared.length === 0) return given;
  const trailing = declared.slice(1);
  const fixed = trailing.every((d) => typeof d === 'number') ? trailing : undefined;
  let shape = given;
  if (given.length === 2 && fixed && fixed.length > 1 && product(fixed) === given[1])
    shape = [given[0]!, ...fixed];
  else if (given.length === declared.length - 1) shape = [1, ...given];
  else if (declared.length === 1 && given.length === 2 && given[1] === 1) shape = [given[0]!];
  const mismatch =
    shape.length !== declared.length ||
    declared.some((d, i) => typeof d === 'number' && d >= 0 && d !== shape[i]);
  if (mismatch)
    throw new InvocationError(
      400,
      `Input '${input.name}' takes shape [${declared.join(', ')}]; the request gives shape [${given.join(', ')}].`,
    );
  return shape;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
