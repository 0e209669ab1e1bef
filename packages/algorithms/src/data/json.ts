import { DataFormatError } from './errors.js';

/**
 * Feature rows from an `application/json` inference request, in the shapes SageMaker's
 * built-ins accept: `{"instances": [{"features": [...]}, ...]}`, instances written as
 * `{"data": {"features": {"values": [...]}}}` (with `keys` and `shape` when sparse), or a
 * single instance object on its own.
 */
export function parseJsonRequest(body: string): Float32Array[] {
  const parsed = parseJson(body, 'The request body');
  if (isObject(parsed) && 'instances' in parsed) {
    const { instances } = parsed;
    if (!Array.isArray(instances))
      throw new DataFormatError('"instances" must be an array of objects.');
    return instances.map((instance, i) => instanceFeatures(instance, `instances[${i}]`));
  }
  return [instanceFeatures(parsed, 'The request body')];
}

/** Feature rows from an `application/jsonlines` request: one instance object per line. */
export function parseJsonLines(body: string): Float32Array[] {
  const rows: Float32Array[] = [];
  let line = 0;
  for (const text of body.split('\n')) {
    line++;
    if (text.trim() === '') continue;
    const where = `Line ${line}`;
    rows.push(instanceFeatures(parseJson(text, where), where));
  }
  return rows;
}

const EXPECTED =
  'expected {"features": [numbers]} or {"data": {"features": {"values": [numbers]}}}';

function instanceFeatures(instance: unknown, where: string): Float32Array {
  if (isObject(instance)) {
    if (Array.isArray(instance.features)) return numbers(instance.features, `${where}.features`);
    const data = instance.data;
    if (isObject(data) && isObject(data.features))
      return tensor(data.features, `${where}.data.features`);
  }
  throw new DataFormatError(`${where}: ${EXPECTED}.`);
}

function tensor(t: Record<string, unknown>, where: string): Float32Array {
  if (!Array.isArray(t.values))
    throw new DataFormatError(`${where}.values must be an array of numbers.`);
  const values = numbers(t.values, `${where}.values`);
  if (t.keys === undefined) return values;
  const keys: unknown[] | undefined = Array.isArray(t.keys) ? t.keys : undefined;
  const shape: unknown[] | undefined = Array.isArray(t.shape) ? t.shape : undefined;
  const size = shape?.[0];
  if (keys === undefined || typeof size !== 'number' || !Number.isInteger(size) || size < 0)
    throw new DataFormatError(
      `${where}: a sparse instance needs "keys" (an array) and "shape": [length].`,
    );
  if (keys.length !== values.length)
    throw new DataFormatError(`${where}: has ${keys.length} keys but ${values.length} values.`);
  const dense = new Float32Array(size);
  keys.forEach((key, i) => {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= size)
      throw new DataFormatError(`${where}.keys[${i}] must be an integer from 0 to ${size - 1}.`);
    dense[key] = values[i]!;
  });
  return dense;
}

function numbers(list: unknown[], where: string): Float32Array {
  const out = new Float32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    if (typeof value !== 'number')
      throw new DataFormatError(`${where}[${i}] must be a number, got ${JSON.stringify(value)}.`);
    out[i] = value;
  }
  return out;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataFormatError(`${where} is not valid JSON: ${(error as Error).message}.`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
