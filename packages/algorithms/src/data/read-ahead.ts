import { Worker } from 'node:worker_threads';
import type { FeatureBatch } from './batch.js';
import type { ReadDatasetOptions } from './dataset.js';
import { DataFormatError } from './errors.js';

/** What the read-ahead worker posts: a batch (its arrays transferred), the end, or a failure. */
export type ReadAheadMessage =
  | { type: 'batch'; batch: FeatureBatch }
  | { type: 'end' }
  | { type: 'error'; name: string; message: string };

/** How many batches the worker may read before the consumer has taken them. */
export const READ_AHEAD_BATCHES = 4;

/**
 * Reads a dataset as {@link readDataset} does, but in a worker thread that stays up to
 * {@link READ_AHEAD_BATCHES} batches ahead, so reading and parsing overlap training on another
 * core. Batches arrive by transfer, not copy. A failure arrives with its class (DataFormatError,
 * RangeError, TypeError) and message intact, so callers report it as they would in-thread.
 * Runs from the compiled package only, where the worker's JavaScript file exists.
 */
export async function* readDatasetAhead(options: ReadDatasetOptions): AsyncGenerator<FeatureBatch> {
  const worker = new Worker(new URL('./read-ahead-worker.js', import.meta.url), {
    workerData: options,
  });
  const inbox: ReadAheadMessage[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: ReadAheadMessage): void => {
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
