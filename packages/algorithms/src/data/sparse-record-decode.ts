import { DataFormatError } from './errors.js';

// "values": the map key SageMaker's built-ins read features and labels from.
const VALUES_KEY = [0x76, 0x61, 0x6c, 0x75, 0x65, 0x73];
/** `Value` oneof field numbers of the tensor types the decoder reads. */
const FLOAT32 = 2;
const FLOAT64 = 3;
const INT32 = 7;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One tensor of the last decoded record, in scratch arrays reused from record to record. */
export class TensorScratch {
  values: Float64Array = new Float64Array(64);
  count = 0;
  keys: Float64Array = new Float64Array(64);
  keyCount = 0;
  hasKeys = false;
  shapeSize = 1;
  hasShape = false;

  reset(): void {
    this.count = 0;
    this.keyCount = 0;
    this.hasKeys = false;
    this.shapeSize = 1;
    this.hasShape = false;
  }

  pushValue(value: number): void {
    if (this.count === this.values.length) this.values = grow(this.values);
    this.values[this.count++] = value;
  }

  pushKey(key: number): void {
    if (this.keyCount === this.keys.length) this.keys = grow(this.keys);
    this.keys[this.keyCount++] = key;
  }
}

/**
 * Decodes `aialgs.data.Record` payloads without expanding sparse tensors and without allocating
 * per record: after {@link decode}, `features` holds the features["values"] tensor (values, and
 * keys and shape when sparse) and `label` the first of label["values"] (NaN when absent).
 * Float32, Float64 and Int32 tensors are read; Bytes values are refused. Error messages continue
 * a subject such as `record 3` (`… has no features["values"] tensor`).
 */
export class SparseRecordDecoder {
  readonly features = new TensorScratch();
  readonly #label = new TensorScratch();
  label = NaN;
  hasLabel = false;
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;
  readonly #float32 = new Float32Array(1);
  readonly #float32Bytes = new Uint8Array(this.#float32.buffer);
  readonly #float64 = new Float64Array(1);
  readonly #float64Bytes = new Uint8Array(this.#float64.buffer);

  decode(payload: Uint8Array): void {
    this.#buf = payload;
    this.#pos = 0;
    this.features.reset();
    this.hasLabel = false;
    this.label = NaN;
    let found = false;
    while (this.#pos < payload.length) {
      const tag = this.#varint32();
      const field = tag >>> 3;
      if ((field === 1 || field === 2) && (tag & 7) === 2) {
        const end = this.#end();
        if (this.#mapEntry(field === 1 ? this.features : this.#label, end)) {
          if (field === 1) found = true;
          else if (this.#label.count > 0) {
            this.hasLabel = true;
            this.label = this.#label.values[0]!;
          }
        }
        this.#pos = end;
      } else this.#skip(tag & 7);
    }
    if (!found)
      throw new DataFormatError(
        'has no features["values"] tensor; SageMaker\'s built-in algorithms read the feature vector from the key "values"',
      );
  }

  /** Reads one map entry; true when its key is "values" and it held a tensor. */
  #mapEntry(into: TensorScratch, end: number): boolean {
    let isValues = false;
    let valueStart = -1;
    let valueEnd = -1;
    while (this.#pos < end) {
      const tag = this.#varint32();
      if (tag === 0x0a) {
        const e = this.#end();
        isValues = e - this.#pos === VALUES_KEY.length;
        for (let i = 0; isValues && i < VALUES_KEY.length; i++)
          isValues = this.#buf[this.#pos + i] === VALUES_KEY[i];
        this.#pos = e;
      } else if (tag === 0x12) {
        valueEnd = this.#end();
        valueStart = this.#pos;
        this.#pos = valueEnd;
      } else this.#skip(tag & 7);
    }
    if (!isValues || valueStart < 0) return false;
    // The key may follow the value on the wire, so the value is read once the key is known.
    this.#pos = valueStart;
    into.reset();
    let tensor = false;
    while (this.#pos < valueEnd) {
      const tag = this.#varint32();
      const field = tag >>> 3;
      if ((tag & 7) === 2 && (field === FLOAT32 || field === FLOAT64 || field === INT32)) {
        const tensorEnd = this.#end();
        if (tensorEnd > valueEnd) throw truncated();
        this.#tensor(into, { type: field, end: tensorEnd });
        tensor = true;
      } else if (field === 9)
        throw new DataFormatError(
          'holds a Bytes value; only float32, float64 and int32 tensors are supported',
        );
      else this.#skip(tag & 7);
    }
    return tensor;
  }

  #tensor(into: TensorScratch, at: { type: number; end: number }): void {
    while (this.#pos < at.end) {
      const tag = this.#varint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) this.#values(into, at.type, wire);
      else if ((field === 2 || field === 3) && (wire === 2 || wire === 0)) {
        // Packed: numbers up to the run's end; unpacked: one number.
        const stop = wire === 2 ? this.#end() : -1;
        while (stop === -1 || this.#pos < stop) {
          const n = this.#varint64();
          if (field === 2) into.pushKey(n);
          else into.shapeSize *= n;
          if (stop === -1) break;
        }
        if (field === 2) into.hasKeys = true;
        else into.hasShape = true;
      } else this.#skip(wire);
    }
  }

  /** Packed (or, as proto2 parsers must accept, unpacked) values, as numbers. */
  #values(into: TensorScratch, type: number, wire: number): void {
    const width = type === FLOAT32 ? 4 : type === FLOAT64 ? 8 : 0;
    const single = width === 4 ? 5 : width === 8 ? 1 : 0;
    if (wire !== 2 && wire !== single)
      throw new DataFormatError(`has a tensor value with wire type ${wire}`);
    // An unpacked value is one value; a packed run holds values up to its end.
    const stop = wire === 2 ? this.#end() : -1;
    if (wire === 2 && width > 0 && (stop - this.#pos) % width !== 0)
      throw new DataFormatError('has a malformed packed tensor');
    if (this.#pos + width > this.#buf.length) throw truncated();
    const buf = this.#buf;
    while (stop === -1 || this.#pos < stop) {
      if (width === 0) into.pushValue(this.#varint32() | 0);
      else if (width === 4) {
        const bytes = this.#float32Bytes;
        for (let b = 0; b < 4; b++) bytes[LITTLE_ENDIAN ? b : 3 - b] = buf[this.#pos + b]!;
        into.pushValue(this.#float32[0]!);
        this.#pos += 4;
      } else {
        const bytes = this.#float64Bytes;
        for (let b = 0; b < 8; b++) bytes[LITTLE_ENDIAN ? b : 7 - b] = buf[this.#pos + b]!;
        into.pushValue(this.#float64[0]!);
        this.#pos += 8;
      }
      if (stop === -1) break;
    }
  }

  #varint32(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.#pos >= this.#buf.length) throw truncated();
      const b = this.#buf[this.#pos++]!;
      if (shift < 32) value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
    }
    throw new DataFormatError('has a malformed varint');
  }

  /** A uint64 varint as a number; exact below 2^53, which any real key or shape is. */
  #varint64(): number {
    let value = 0;
    for (let mul = 1; mul < 2 ** 70; mul *= 128) {
      if (this.#pos >= this.#buf.length) throw truncated();
      const b = this.#buf[this.#pos++]!;
      value += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return value;
    }
    throw new DataFormatError('has a malformed varint');
  }

  #end(): number {
    const length = this.#varint32();
    const end = this.#pos + length;
    if (end > this.#buf.length) throw truncated();
    return end;
  }

  #skip(wire: number): void {
    if (wire === 0) this.#varint64();
    else if (wire === 1) this.#pos += 8;
    else if (wire === 2) this.#pos = this.#end();
    else if (wire === 5) this.#pos += 4;
    else throw new DataFormatError(`has an unsupported protobuf wire type ${wire}`);
    if (this.#pos > this.#buf.length) throw truncated();
  }
}

function grow(array: Float64Array): Float64Array {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function truncated(): DataFormatError {
  return new DataFormatError('is truncated or is not an aialgs.data.Record');
}
