/**
 * A block of rows as training code wants them: `features` is row-major (`rows * dim` values,
 * row i at `i * dim`), `labels` has one value per row when the data carries labels.
 */
export interface FeatureBatch {
  features: Float32Array;
  labels?: Float32Array;
  rows: number;
  dim: number;
}

/** Rows per batch when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 1024;

/** Checks a caller-supplied batch size once, so readers can trust it. */
export function checkBatchSize(batchSize: number | undefined): number {
  const size = batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${size}`);
  return size;
}
