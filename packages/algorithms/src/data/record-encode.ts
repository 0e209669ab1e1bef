import { RecordType } from './record-schema.js';
import { writeRecordIO } from './recordio.js';

/** Which `Value` tensor the numbers are written as (the SDK picks it from the numpy dtype). */
export type TensorType = 'float32' | 'float64' | 'int32';

const TENSOR_FIELD: Record<TensorType, string> = {
  float32: 'float32_tensor',
  float64: 'float64_tensor',
  int32: 'int32_tensor',
};

/** Options for the record encoders. */
export interface EncodeOptions {
  /** Tensor type of the features; default float32, what `record_set()` users usually send. */
  featureType?: TensorType;
  /** Tensor type of the labels; default float32. */
  labelType?: TensorType;
}

type Rows = readonly (ArrayLike<number> & Iterable<number>)[];

/**
 * Encodes one dense row as an `aialgs.data.Record` payload, like one iteration of the SDK's
 * `write_numpy_to_dense_tensor`: features["values"] holds the row's values with no keys and
 * no shape; label["values"] holds a single number when a label is given.
 */
export function encodeDenseRecord(
  features: ArrayLike<number>,
  label?: number,
  options: EncodeOptions = {},
): Uint8Array {
  const message: Record<string, unknown> = {
    features: { values: tensorValue(options.featureType, { values: features }) },
  };
  if (label !== undefined)
    message.label = { values: tensorValue(options.labelType, { values: [label] }) };
  return RecordType.encode(message).finish();
}

/**
 * Encodes rows as a RecordIO-protobuf file, byte for byte what the SageMaker SDK's
 * `write_numpy_to_dense_tensor(file, array, labels)` writes for a float32 array.
 */
export function encodeDenseRecords(
  rows: Rows,
  labels?: ArrayLike<number>,
  options: EncodeOptions = {},
): Buffer {
  if (labels !== undefined && labels.length !== rows.length)
    throw new RangeError(`Got ${labels.length} labels for ${rows.length} rows`);
  const payloads = rows.map((row, i) => encodeDenseRecord(row, labels?.[i], options));
  return writeRecordIO(payloads);
}

/** One row of a sparse matrix: the column indices that are set, their values, and the width. */
export interface SparseRow {
  keys: ArrayLike<number>;
  values: ArrayLike<number>;
  /** The matrix's number of columns (written as the tensor's shape). */
  dim: number;
}

/**
 * Encodes one sparse row as a Record payload, like one iteration of the SDK's
 * `write_spmatrix_to_sparse_tensor`: values, keys and shape [dim] under features["values"].
 */
export function encodeSparseRecord(
  row: SparseRow,
  label?: number,
  options: EncodeOptions = {},
): Uint8Array {
  if (row.keys.length !== row.values.length)
    throw new RangeError(`Sparse row has ${row.keys.length} keys but ${row.values.length} values`);
  for (let i = 0; i < row.keys.length; i++) {
    const key = row.keys[i]!;
    if (!Number.isInteger(key) || key < 0 || key >= row.dim)
      throw new RangeError(`Sparse key ${key} is outside 0..${row.dim - 1}`);
  }
  const tensor = { values: row.values, keys: row.keys, shape: [row.dim] };
  const message: Record<string, unknown> = {
    features: { values: tensorValue(options.featureType, tensor) },
  };
  if (label !== undefined)
    message.label = { values: tensorValue(options.labelType, { values: [label] }) };
  return RecordType.encode(message).finish();
}

function tensorValue(type: TensorType | undefined, tensor: object): Record<string, object> {
  return { [TENSOR_FIELD[type ?? 'float32']]: tensor };
}
