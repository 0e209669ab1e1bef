import { readAhead } from './read-ahead.js';
import type { SparseBatch } from './sparse-batch.js';
import type { ReadSparseDatasetOptions } from './sparse-dataset.js';

/**
 * Reads a dataset as `readSparseDataset` does, but in a worker thread that stays ahead of the
 * consumer (as {@link readAhead} does for dense batches), so decoding overlaps training on
 * another core. Runs from the compiled package only, where the worker's file exists.
 */
export function readSparseDatasetAhead(
  options: ReadSparseDatasetOptions,
): AsyncGenerator<SparseBatch> {
  return readAhead(new URL('./sparse-read-ahead-worker.js', import.meta.url), options);
}
