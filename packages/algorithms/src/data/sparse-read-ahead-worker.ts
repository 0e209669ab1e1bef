// The worker side of readSparseDatasetAhead: reads the dataset described by workerData and feeds
// its batches to the consumer.
import { workerData } from 'node:worker_threads';
import { feedReadAhead } from './read-ahead.js';
import { sparseBuffers } from './sparse-batch.js';
import { type ReadSparseDatasetOptions, readSparseDataset } from './sparse-dataset.js';

// The builder hands out arrays of their own for every batch, so they can move.
await feedReadAhead(readSparseDataset(workerData as ReadSparseDatasetOptions), sparseBuffers);
