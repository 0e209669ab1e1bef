// The worker side of readDatasetAhead: reads the dataset described by workerData and posts its
// batches, never more than READ_AHEAD_BATCHES ahead of what the consumer has taken.
import { parentPort, workerData } from 'node:worker_threads';
import { type ReadDatasetOptions, readDataset } from './dataset.js';
import { READ_AHEAD_BATCHES, type ReadAheadMessage } from './read-ahead.js';

const port = parentPort!;
let credits = READ_AHEAD_BATCHES;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
});
const post = (message: ReadAheadMessage, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

try {
  for await (const batch of readDataset(workerData as ReadDatasetOptions)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    // Every batch has arrays of its own (the readers allocate them fresh), so they can move.
    const transfer = [batch.features.buffer as ArrayBuffer];
    if (batch.labels) transfer.push(batch.labels.buffer as ArrayBuffer);
    post({ type: 'batch', batch }, transfer);
  }
  post({ type: 'end' });
} catch (error) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  post({ type: 'error', name, message });
}
port.close();
