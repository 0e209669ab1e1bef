import type { SparseBatch } from './sparse-batch.js';

/** Re-readable sparse data: each call starts a fresh pass over the same records. */
export type SparseBatchSource = () => AsyncIterable<SparseBatch>;

/**
 * Wraps a re-readable source so that later passes replay the batches of the first complete pass
 * from memory instead of reading and decoding the files again. Only data whose arrays fit in
 * `budgetBytes` is kept; larger data is streamed on every pass, as is everything until a first
 * pass completes. Batches are kept as the source yields them (readers hand out fresh arrays).
 */
export function cacheSparseBatches(
  source: SparseBatchSource,
  budgetBytes: number,
): SparseBatchSource {
  let cached: SparseBatch[] | undefined;
  let tooLarge = false;
  return () => {
    if (cached !== undefined) return replay(cached);
    if (tooLarge) return source();
    return (async function* (): AsyncGenerator<SparseBatch> {
      let kept: SparseBatch[] | undefined = [];
      let bytes = 0;
      for await (const batch of source()) {
        bytes +=
          batch.offsets.byteLength +
          batch.indices.byteLength +
          batch.values.byteLength +
          (batch.labels?.byteLength ?? 0);
        if (kept !== undefined && bytes > budgetBytes) {
          kept = undefined;
          tooLarge = true;
        }
        kept?.push(batch);
        yield batch;
      }
      cached = kept;
    })();
  };
}

async function* replay(batches: readonly SparseBatch[]): AsyncGenerator<SparseBatch> {
  yield* batches;
}
