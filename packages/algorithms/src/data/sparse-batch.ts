/**
 * A block of rows in compressed sparse row (CSR) form, for algorithms whose inputs are wide and
 * mostly zero (one-hot users × items): row r's entries are `indices[offsets[r] .. offsets[r+1])`
 * with `values` at the same positions; `labels` has one value per row when the data has labels.
 * Zeros are not stored.
 */
export interface SparseBatch {
  rows: number;
  /** The number of columns every row has (feature_dim). */
  dim: number;
  /** `rows + 1` positions into `indices` and `values`; `offsets[0]` is 0. */
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  labels?: Float32Array;
}

/** The number of stored entries of a batch. */
export function sparseEntries(batch: SparseBatch): number {
  return batch.offsets[batch.rows]!;
}

/** The arrays a batch owns, for transferring it to another thread. */
export function sparseBuffers(batch: SparseBatch): ArrayBuffer[] {
  const buffers = [batch.offsets.buffer, batch.indices.buffer, batch.values.buffer];
  if (batch.labels) buffers.push(batch.labels.buffer);
  return buffers as ArrayBuffer[];
}
