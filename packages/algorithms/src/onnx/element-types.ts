import { InvocationError } from '../common/invocation.js';

/** The tensor element types the ONNX server can build from request numbers. */
export const FEED_TYPES = [
  'float32',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
] as const;
/** One of {@link FEED_TYPES}. */
export type FeedType = (typeof FEED_TYPES)[number];

/** The data array onnxruntime takes for a tensor of each feed type. */
export type FeedData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** True for an element type the server can feed. */
export function isFeedType(type: string): type is FeedType {
  return FEED_TYPES.some((t) => t === type);
}

type IntegerType = Exclude<FeedType, 'float32' | 'float64' | 'bool'>;

const INTEGER_RANGES: Record<IntegerType, readonly [number, number]> = {
  int8: [-(2 ** 7), 2 ** 7 - 1],
  uint8: [0, 2 ** 8 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  uint16: [0, 2 ** 16 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63],
  uint64: [0, 2 ** 64],
};

/**
 * Request values (numbers; for bool also true/false) as the data of a tensor of `type`. A value
 * the type cannot hold (text, a fraction for an integer type, out of range) is the client's
 * mistake: a 400 naming the input and the value's position.
 */
export function toFeedData(values: readonly unknown[], type: FeedType, input: string): FeedData {
  const numbers = values.map((value, i) => checkedNumber(value, { type, input, index: i }));
  switch (type) {
    case 'float32':
      return Float32Array.from(numbers);
    case 'float64':
      return Float64Array.from(numbers);
    case 'bool':
      return Uint8Array.from(numbers);
    case 'int8':
      return Int8Array.from(numbers);
    case 'uint8':
      return Uint8Array.from(numbers);
    case 'int16':
      return Int16Array.from(numbers);
    case 'uint16':
      return Uint16Array.from(numbers);
    case 'int32':
      return Int32Array.from(numbers);
    case 'uint32':
      return Uint32Array.from(numbers);
    case 'int64':
      return BigInt64Array.from(numbers, (n) => BigInt(n));
    case 'uint64':
      return BigUint64Array.from(numbers, (n) => BigInt(n));
  }
}

function checkedNumber(
  value: unknown,
  at: { type: FeedType; input: string; index: number },
): number {
  const { type, input, index } = at;
  const where = `Value ${index} of input '${input}'`;
  if (type === 'bool') {
    if (value === true || value === 1) return 1;
    if (value === false || value === 0) return 0;
    throw new InvocationError(
      400,
      `${where} is ${show(value)}; this bool input takes true, false, 1 or 0.`,
    );
  }
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new InvocationError(400, `${where} is ${show(value)}, not a number.`);
  if (type === 'float32' || type === 'float64') return value;
  const [low, high] = INTEGER_RANGES[type];
  // The upper bounds of the 64-bit types are exclusive: 2^63 and 2^64 are exact doubles.
  const inRange = value >= low && (type.endsWith('64') ? value < high : value <= high);
  if (!Number.isInteger(value) || !inRange)
    throw new InvocationError(
      400,
      `${where} is ${value}; this ${type} input takes integers from ${low} to ${type.endsWith('64') ? `below ${high}` : high}.`,
    );
  return value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
