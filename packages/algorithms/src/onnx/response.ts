import type { Tensor } from 'onnxruntime-node';
import type { AcceptType } from '../common/invocation.js';
import { InvocationError } from '../common/invocation.js';
import { nestArray } from './nested.js';

/** The response media types the ONNX server writes, JSON first (the default). */
export const ONNX_ACCEPT_TYPES = [
  'application/json',
  'text/csv',
] as const satisfies readonly AcceptType[];

/**
 * The response body for a model's outputs (those named in `order`, in that order): JSON
 * `{"predictions": nested}` for a model with one output, `{"outputs": {"<name>": nested}}` for
 * several; CSV writes one line per row of the first dimension, several outputs' rows side by
 * side.
 */
export function formatOutputs(
  results: Readonly<Record<string, Tensor>>,
  options: { order: readonly string[]; accept: AcceptType },
): Buffer {
  const tensors = options.order.map((name) => ({ name, tensor: results[name]! }));
  if (options.accept === 'text/csv') return Buffer.from(csvLines(tensors));
  const nested = (tensor: Tensor): unknown => nestArray(plainValues(tensor), tensor.dims);
  const body =
    tensors.length === 1
      ? { predictions: nested(tensors[0]!.tensor) }
      : { outputs: Object.fromEntries(tensors.map(({ name, tensor }) => [name, nested(tensor)])) };
  return Buffer.from(JSON.stringify(body));
}

/** Tensor data as JSON-ready values: 64-bit integers as numbers, bools as true/false. */
function plainValues(tensor: Tensor): (number | string | boolean)[] {
  const data = tensor.data as ArrayLike<number | bigint | string>;
  return Array.from(data, (value) => {
    if (tensor.type === 'bool') return value !== 0;
    if (typeof value === 'bigint') return Number(value);
    return tensor.type === 'float32' && typeof value === 'number' ? shortestFloat32(value) : value;
  });
}

/** The shortest decimal that is still the same float32 (`0.1`, not `0.10000000149011612`). */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return value;
}

function csvLines(tensors: readonly { name: string; tensor: Tensor }[]): string {
  const rowsOf = (tensor: Tensor): number => (tensor.dims.length === 0 ? 1 : tensor.dims[0]!);
  const count = rowsOf(tensors[0]!.tensor);
  const differing = tensors.find(({ tensor }) => rowsOf(tensor) !== count);
  if (differing)
    throw new InvocationError(
      406,
      `The model's outputs have different numbers of rows (${tensors.map(({ name, tensor }) => `${name}: ${rowsOf(tensor)}`).join(', ')}), so they cannot be written as CSV lines; accept application/json.`,
    );
  const columns = tensors.map(({ tensor }) => {
    const values = plainValues(tensor).map((v) => (typeof v === 'boolean' ? Number(v) : v));
    return { values, width: values.length / count };
  });
  let text = '';
  for (let r = 0; r < count; r++)
    text += `${columns.flatMap(({ values, width }) => values.slice(r * width, (r + 1) * width).map(csvField)).join(',')}\n`;
  return text;
}

function csvField(value: number | string): string {
  if (typeof value === 'number') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
