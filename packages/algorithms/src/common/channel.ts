import {
  DataFormatError,
  type FeatureBatch,
  readDataset,
  readDatasetAhead,
} from '../data/index.js';
import type { ChannelInput } from './job-config.js';

/** How {@link readChannel} reads a channel and what it checks. */
export interface ReadChannelOptions {
  /** Every batch must have this many features; unchecked when undefined (learned from data). */
  featureDim?: number;
  batchSize: number;
  /** 1: the algorithm needs labels (CSV's first column, RecordIO's label); 0: ignores them. */
  labelSize: 0 | 1;
  /** What fixed `featureDim`, for the mismatch message; default `Hyperparameter feature_dim=<d>`. */
  expected?: string;
  /** Closes the mismatch message, e.g. how to mark CSV without a label column. */
  hint: string;
  /** Read and parse in a worker thread, ahead of the consumer (compiled programs only). */
  readAhead?: boolean;
}

/** Reads a channel, checking its feature count with a message the user can act on. */
export async function* readChannel(
  channel: ChannelInput,
  options: ReadChannelOptions,
): AsyncGenerator<FeatureBatch> {
  const recordIO = channel.contentType.startsWith('application/x-recordio-protobuf');
  const read = options.readAhead ? readDatasetAhead : readDataset;
  const batches = read({
    path: channel.path,
    contentType: channel.contentType,
    // Unsupervised algorithms ignore RecordIO labels, but CSV follows SageMaker: the first
    // column is a label unless the content type says label_size=0.
    labelSize: recordIO ? options.labelSize : 1,
    batchSize: options.batchSize,
  });
  const expected = options.expected ?? `Hyperparameter feature_dim=${String(options.featureDim)}`;
  for await (const batch of batches) {
    if (options.featureDim !== undefined && batch.dim !== options.featureDim)
      throw new DataFormatError(
        `${expected} but the '${channel.name}' channel's records have ${batch.dim} features (content type '${channel.contentType}'; ${options.hint}).`,
      );
    yield batch;
  }
}
