import type { FeatureBatch } from './batch.js';

/** Re-readable data: each call starts a fresh pass over the same records. */
export type BatchSource<Batch = FeatureBatch> = () => AsyncIterable<Batch>;

/**
 * How much training data (features and labels as float32) the built-in algorithms keep in
 * memory between epochs: 1 GiB, 6M records of 40 features.
 */
export const EPOCH_CACHE_BYTES = 2 ** 30;

/**
 * Wraps a re-readable source so that later passes replay the batches of the first complete
 * pass from memory instead of reading and parsing the files again, which dominates an epoch of
 * a cheap model. Only data whose arrays (dense features and labels, or a sparse batch's offsets,
 * indices, values and labels) fit in `budgetBytes` is kept; larger data is streamed on every
 * pass, as is everything until a first pass completes. Batches are kept as the source yields
 * them: Plinth's readers hand out fresh arrays for every batch, which k-means's seeding relies
 * on too.
 */
export function cacheBatches<Batch extends object>(
  source: BatchSource<Batch>,
  budgetBytes: number,
): BatchSource<Batch> {
  let cached: Batch[] | undefined;
  let tooLarge = false;
  return () => {
    if (cached !== undefined) return replay(cached);
    if (tooLarge) return source();
    return (async function* (): AsyncGenerator<Batch> {
      let kept: Batch[] | undefined = [];
      let bytes = 0;
      for await (const batch of source()) {
        bytes += arrayBytes(batch);
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

async function* replay<Batch>(batches: readonly Batch[]): AsyncGenerator<Batch> {
  yield* batches;
}

/** The bytes of a batch's typed arrays. */
function arrayBytes(batch: object): number {
  let bytes = 0;
  for (const value of Object.values(batch))
    if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  return bytes;
}
