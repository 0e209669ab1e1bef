// The worker side of readSparseDatasetAhead: reads the dataset described by workerData and posts
// its batches, never more than SPARSE_READ_AHEAD_BATCHES ahead of what the consumer has taken.
import { parentPort, workerData } from 'node:worker_threads';
import { sparseBuffers } from './sparse-batch.js';
import { type ReadSparseDatasetOptions, readSparseDataset } from './sparse-dataset.js';
import { SPARSE_READ_AHEAD_BATCHES, type SparseReadAheadMessage } from './sparse-read-ahead.js';

const port = parentPort!;
let credits = SPARSE_READ_AHEAD_BATCHES;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
});
const post = (message: SparseReadAheadMessage, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

try {
  for await (const batch of readSparseDataset(workerData as ReadSparseDatasetOptions)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    // The builder hands out arrays of their own for every batch, so they can move.
    post({ type: 'batch', batch }, sparseBuffers(batch));
  }
  post({ type: 'end' });
} catch (error) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  post({ type: 'error', name, message });
}
port.close();
