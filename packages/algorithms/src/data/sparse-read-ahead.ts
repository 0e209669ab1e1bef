import { Worker } from 'node:worker_threads';
import { DataFormatError } from './errors.js';
import type { SparseBatch } from './sparse-batch.js';
import type { ReadSparseDatasetOptions } from './sparse-dataset.js';

/** What the sparse read-ahead worker posts: a batch (its arrays transferred), the end, or a failure. */
export type SparseReadAheadMessage =
  | { type: 'batch'; batch: SparseBatch }
  | { type: 'end' }
  | { type: 'error'; name: string; message: string };

/** How many batches the worker may read before the consumer has taken them. */
export const SPARSE_READ_AHEAD_BATCHES = 4;

/**
 * Reads a dataset as `readSparseDataset` does, but in a worker thread that stays up to
 * {@link SPARSE_READ_AHEAD_BATCHES} batches ahead, so decoding overlaps training on another core.
 * Batches arrive by transfer, not copy; a failure keeps its class (DataFormatError, RangeError,
 * TypeError) and message. Runs from the compiled package only, where the worker's file exists.
 */
export async function* readSparseDatasetAhead(
  options: ReadSparseDatasetOptions,
): AsyncGenerator<SparseBatch> {
  const worker = new Worker(new URL('./sparse-read-ahead-worker.js', import.meta.url), {
    workerData: options,
  });
  const inbox: SparseReadAheadMessage[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: SparseReadAheadMessage): void => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error) =>
    deliver({ type: 'error', name: error.name, message: error.message }),
  );
  worker.on('exit', (code) =>
    deliver({
      type: 'error',
      name: 'Error',
      message: `The read-ahead worker exited with code ${code}`,
    }),
  );
  try {
    for (;;) {
      if (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if (message.type === 'end') return;
      if (message.type === 'error') throw rebuild(message);
      worker.postMessage('next');
      yield message.batch;
    }
  } finally {
    await worker.terminate();
  }
}

function rebuild(failure: { name: string; message: string }): Error {
  switch (failure.name) {
    case 'DataFormatError':
      return new DataFormatError(failure.message);
    case 'RangeError':
      return new RangeError(failure.message);
    case 'TypeError':
      return new TypeError(failure.message);
    default:
      return new Error(failure.message);
  }
}
