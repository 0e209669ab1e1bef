import { Worker, parentPort } from 'node:worker_threads';
import type { FeatureBatch } from './batch.js';
import type { ReadDatasetOptions } from './dataset.js';
import { DataFormatError } from './errors.js';

/** What a read-ahead worker posts: a batch (its arrays transferred), the end, or a failure. */
export type ReadAheadMessage<Batch = FeatureBatch> =
  | { type: 'batch'; batch: Batch }
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
export function readDatasetAhead(options: ReadDatasetOptions): AsyncGenerator<FeatureBatch> {
  return readAhead(new URL('./read-ahead-worker.js', import.meta.url), options);
}

/**
 * The consumer side of any read-ahead worker (one that feeds its batches with
 * {@link feedReadAhead}): starts the worker script with `workerData` and yields what it posts,
 * granting it one more batch for each taken.
 */
export async function* readAhead<Batch>(script: URL, workerData: unknown): AsyncGenerator<Batch> {
  const worker = new Worker(script, { workerData });
  const inbox: ReadAheadMessage<Batch>[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: ReadAheadMessage<Batch>): void => {
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

/**
 * The worker side of a read-ahead: posts each batch (moving the arrays `buffers` names), never
 * more than {@link READ_AHEAD_BATCHES} ahead of what the consumer has taken, then the end, or
 * the failure with its class name and message; then closes the port.
 */
export async function feedReadAhead<Batch>(
  batches: AsyncIterable<Batch>,
  buffers: (batch: Batch) => ArrayBuffer[],
): Promise<void> {
  const port = parentPort!;
  let credits = READ_AHEAD_BATCHES;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  const post = (message: ReadAheadMessage<Batch>, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);
  try {
    for await (const batch of batches) {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      post({ type: 'batch', batch }, buffers(batch));
    }
    post({ type: 'end' });
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', name, message });
  }
  port.close();
}
