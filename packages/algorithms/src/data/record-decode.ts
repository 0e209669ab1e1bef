import { DataFormatError } from './errors.js';

/** A decoded `aialgs.data.Record`: dense features and, when present, the label's values. */
export interface DecodedRecord {
  features: Float32Array;
  label?: number[];
}

// Hand-written wire walker for the hot path: protobufjs' reflection decode builds a JS array
// (and a Long per uint64 key) for every record; this copies packed floats straight into a
// Float32Array. record-decode.test.ts checks it against the protobufjs schema.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Cursor {
  buf: Uint8Array;
  pos: number;
}

interface Tensor {
  values: Float32Array;
  keys?: number[];
  shape?: number[];
}

/**
 * Decodes a Record payload as SageMaker's built-ins read it: features["values"] as a dense
 * Float32Array (a sparse tensor is expanded to the product of its shape, usually shape[0]),
 * label["values"] as numbers. Float64 and Int32 tensors are converted to float32.
 */
export function decodeRecord(payload: Uint8Array): DecodedRecord {
  const c: Cursor = { buf: payload, pos: 0 };
  let features: Tensor | undefined;
  let label: Tensor | undefined;
  const featureKeys: string[] = [];
  while (c.pos < payload.length) {
    const tag = readVarint32(c);
    const field = tag >>> 3;
    if ((field === 1 || field === 2) && (tag & 7) === 2) {
      const end = readEnd(c);
      const [key, tensor] = readMapEntry(c, end);
      if (field === 1) featureKeys.push(key);
      if (key === 'values' && tensor !== undefined) {
        if (field === 1) features = tensor;
        else label = tensor;
      }
    } else skipField(c, tag & 7);
  }
  if (features === undefined) {
    const found = featureKeys.length > 0 ? `found ${featureKeys.join(', ')}` : 'found none';
    throw new DataFormatError(
      `record has no features["values"] tensor (${found}); SageMaker's built-in algorithms read the feature vector from the key "values"`,
    );
  }
  const decoded: DecodedRecord = { features: densify(features) };
  if (label !== undefined) decoded.label = Array.from(densify(label));
  return decoded;
}

function readMapEntry(c: Cursor, end: number): [string, Tensor | undefined] {
  let key = '';
  let tensor: Tensor | undefined;
  while (c.pos < end) {
    const tag = readVarint32(c);
    if (tag === 0x0a) {
      const e = readEnd(c);
      key = Buffer.from(c.buf.buffer, c.buf.byteOffset + c.pos, e - c.pos).toString('utf8');
      c.pos = e;
    } else if (tag === 0x12) tensor = readValue(c, readEnd(c));
    else skipField(c, tag & 7);
  }
  return [key, tensor];
}

/** `Value`: oneof float32_tensor = 2, float64_tensor = 3, int32_tensor = 7, bytes = 9. */
function readValue(c: Cursor, end: number): Tensor | undefined {
  let tensor: Tensor | undefined;
  while (c.pos < end) {
    const tag = readVarint32(c);
    const field = tag >>> 3;
    if ((tag & 7) === 2 && (field === 2 || field === 3 || field === 7))
      tensor = readTensor(c, { end, field });
    else if (field === 9)
      throw new DataFormatError(
        'record holds a Bytes value; only float32, float64 and int32 tensors are supported',
      );
    else skipField(c, tag & 7);
  }
  return tensor;
}

function readTensor(c: Cursor, at: { end: number; field: number }): Tensor {
  const end = readEnd(c);
  if (end > at.end) throw truncated();
  const parts: Float32Array[] = [];
  const tensor: Tensor = { values: new Float32Array(0) };
  while (c.pos < end) {
    const tag = readVarint32(c);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) parts.push(readValues(c, at.field, wire));
    else if ((field === 2 || field === 3) && (wire === 2 || wire === 0)) {
      const list = field === 2 ? (tensor.keys ??= []) : (tensor.shape ??= []);
      const stop = wire === 2 ? readEnd(c) : c.pos + 1;
      while (c.pos < stop) list.push(readVarint64(c));
    } else skipField(c, wire);
  }
  tensor.values = parts.length === 1 ? parts[0]! : concat(parts);
  return tensor;
}

/** Reads packed (or, as proto2 parsers must accept, unpacked) values as float32. */
function readValues(c: Cursor, valueField: number, wire: number): Float32Array {
  const width = valueField === 2 ? 4 : valueField === 3 ? 8 : 0;
  if (wire === 2 && width > 0) {
    const end = readEnd(c);
    const n = (end - c.pos) / width;
    if (!Number.isInteger(n)) throw new DataFormatError('record has a malformed packed tensor');
    const out = new Float32Array(n);
    if (width === 4 && LITTLE_ENDIAN) {
      // One memcpy: the packed wire layout is already little-endian IEEE float32.
      new Uint8Array(out.buffer).set(c.buf.subarray(c.pos, end));
    } else {
      const view = new DataView(c.buf.buffer, c.buf.byteOffset + c.pos, end - c.pos);
      for (let i = 0; i < n; i++)
        out[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    }
    c.pos = end;
    return out;
  }
  const expected = width === 0 ? 0 : width === 4 ? 5 : 1;
  if (wire !== 2 && wire !== expected)
    throw new DataFormatError(`record has a tensor value with wire type ${wire}`);
  const values: number[] = [];
  const stop = wire === 2 ? readEnd(c) : c.pos + 1;
  while (c.pos < stop) {
    if (width === 0) values.push(readVarint32(c) | 0);
    else {
      if (c.pos + width > c.buf.length) throw truncated();
      const view = new DataView(c.buf.buffer, c.buf.byteOffset + c.pos, width);
      values.push(width === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true));
      c.pos += width;
    }
  }
  return Float32Array.from(values);
}

function densify(tensor: Tensor): Float32Array {
  if (tensor.keys === undefined) return tensor.values;
  const { keys, values, shape } = tensor;
  if (shape === undefined || shape.length === 0)
    throw new DataFormatError('record has a sparse tensor (keys) without a shape');
  if (keys.length !== values.length)
    throw new DataFormatError(`sparse tensor has ${keys.length} keys but ${values.length} values`);
  const size = shape.reduce((a, b) => a * b, 1);
  const dense = new Float32Array(size);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key >= size)
      throw new DataFormatError(
        `sparse tensor key ${key} is outside its shape [${shape.join(', ')}]`,
      );
    dense[key] = values[i]!;
  }
  return dense;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Low 32 bits of a varint: enough for tags, lengths and (sign-extended) int32 values. */
function readVarint32(c: Cursor): number {
  let value = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (c.pos >= c.buf.length) throw truncated();
    const b = c.buf[c.pos++]!;
    if (shift < 32) value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return value >>> 0;
  }
  throw new DataFormatError('record has a malformed varint');
}

/** A uint64 varint as a number; exact below 2^53, which any real key or shape is. */
function readVarint64(c: Cursor): number {
  let value = 0;
  for (let mul = 1; mul < 2 ** 70; mul *= 128) {
    if (c.pos >= c.buf.length) throw truncated();
    const b = c.buf[c.pos++]!;
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return value;
  }
  throw new DataFormatError('record has a malformed varint');
}

/** Reads a length prefix and returns where the delimited bytes end. */
function readEnd(c: Cursor): number {
  const length = readVarint32(c);
  const end = c.pos + length;
  if (end > c.buf.length) throw truncated();
  return end;
}

function skipField(c: Cursor, wire: number): void {
  if (wire === 0) readVarint64(c);
  else if (wire === 1) c.pos += 8;
  else if (wire === 2) c.pos = readEnd(c);
  else if (wire === 5) c.pos += 4;
  else throw new DataFormatError(`record has an unsupported protobuf wire type ${wire}`);
  if (c.pos > c.buf.length) throw truncated();
}

function truncated(): DataFormatError {
  return new DataFormatError('record payload is truncated or is not an aialgs.data.Record');
}
