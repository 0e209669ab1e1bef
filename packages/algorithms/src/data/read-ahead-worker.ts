// The worker side of readDatasetAhead: reads the dataset described by workerData and feeds its
// batches to the consumer.
import { workerData } from 'node:worker_threads';
import { type ReadDatasetOptions, readDataset } from './dataset.js';
import { feedReadAhead } from './read-ahead.js';

// Every batch has arrays of its own (the readers allocate them fresh), so they can move.
await feedReadAhead(readDataset(workerData as ReadDatasetOptions), (batch) => {
  const transfer = [batch.features.buffer as ArrayBuffer];
  if (batch.labels) transfer.push(batch.labels.buffer as ArrayBuffer);
  return transfer;
});
