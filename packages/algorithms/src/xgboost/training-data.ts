import type { ChannelInput } from '../common/job-config.js';
import {
  DataFormatError,
  type FeatureBatch,
  TRAINING_CONTENT_TYPES,
  readDataset,
  readDatasetAhead,
} from '../data/index.js';
import { LIBSVM_CONTENT_TYPES, parseContentType } from '../data/content-type.js';
import { sharedFloats } from './training-buffers.js';

/** The content types SageMaker's XGBoost trains on (Parquet aside). */
export const XGBOOST_CONTENT_TYPES: readonly string[] = [
  ...TRAINING_CONTENT_TYPES,
  ...LIBSVM_CONTENT_TYPES,
];

/** A channel read into memory: row-major features (NaN = missing) in shared memory. */
export interface ChannelData {
  rows: number;
  dim: number;
  features: Float32Array;
  labels: Float32Array;
  weights?: Float32Array | undefined;
  /** LIBSVM `qid:` per row, when the data has them. */
  qids?: Float64Array | undefined;
}

/** How to read a channel. */
export interface ChannelReadOptions {
  /** CSV: the second column is each row's weight (hyperparameter csv_weights=1). */
  csvWeights: boolean;
  /** The feature count the rows must have (the training channel's, for validation). */
  featureDim?: number;
  /** Parse in a worker thread (compiled programs only). */
  readAhead: boolean;
}

const BATCH_ROWS = 8192;

/**
 * Reads a whole channel (CSV with the label first and empty fields as missing values, LIBSVM,
 * or RecordIO-protobuf) into shared memory, checking what XGBoost needs of it.
 */
export async function readChannelData(
  channel: ChannelInput,
  options: ChannelReadOptions,
): Promise<ChannelData> {
  const type = parseContentType(channel.contentType);
  const csv = type.mediaType === 'text/csv';
  // SageMaker's XGBoost takes text/csv with label_size=1 only: the label is the first column.
  if (csv && type.params.label_size !== undefined && type.params.label_size !== '1')
    throw new DataFormatError(
      `${channel.contentType} is not an accepted csv ContentType for the '${channel.name}' channel: XGBoost needs the label in the first column, so label_size must be 1 (or absent).`,
    );
  const weightColumn = csv && options.csvWeights ? 1 : 0;
  const read = options.readAhead ? readDatasetAhead : readDataset;
  const batches: FeatureBatch[] = [];
  let rows = 0;
  let dim: number | undefined;
  const expected = options.featureDim === undefined ? undefined : options.featureDim + weightColumn;
  for await (const batch of read({
    path: channel.path,
    contentType: channel.contentType,
    labelSize: 1,
    batchSize: BATCH_ROWS,
    contentTypes: XGBOOST_CONTENT_TYPES,
    emptyAsMissing: true,
    ...(expected !== undefined && !csv && { featureDim: expected }),
  })) {
    dim ??= batch.dim;
    if (expected !== undefined && batch.dim !== expected)
      throw widthError(channel, batch.dim - weightColumn, options);
    batches.push(batch);
    rows += batch.rows;
  }
  if (rows === 0 || dim === undefined)
    throw new DataFormatError(
      `The '${channel.name}' channel has no records; XGBoost needs at least one row.`,
    );
  const featureDim = dim - weightColumn;
  if (featureDim < 1)
    throw new DataFormatError(
      `The '${channel.name}' channel's rows have no feature columns after the label${weightColumn ? ' and the weight (csv_weights=1)' : ''}.`,
    );
  return assemble(batches, { rows, dim, weightColumn, channel: channel.name });
}

function assemble(
  batches: FeatureBatch[],
  shape: { rows: number; dim: number; weightColumn: number; channel: string },
): ChannelData {
  const { rows, dim, weightColumn } = shape;
  const featureDim = dim - weightColumn;
  const features = sharedFloats(rows * featureDim);
  const labels = sharedFloats(rows);
  const first = batches[0] as FeatureBatch & { weights?: Float32Array; qids?: Float64Array };
  const weights = weightColumn || first.weights ? sharedFloats(rows) : undefined;
  const qids = first.qids ? new Float64Array(rows) : undefined;
  let at = 0;
  for (const batch of batches as (FeatureBatch & {
    weights?: Float32Array;
    qids?: Float64Array;
  })[]) {
    if (weightColumn === 0) features.set(batch.features, at * featureDim);
    else
      for (let r = 0; r < batch.rows; r++) {
        weights![at + r] = batch.features[r * dim]!;
        features.set(batch.features.subarray(r * dim + 1, (r + 1) * dim), (at + r) * featureDim);
      }
    labels.set(batch.labels!, at);
    if (batch.weights && weights) weights.set(batch.weights, at);
    if (batch.qids && qids) qids.set(batch.qids, at);
    at += batch.rows;
  }
  checkFinite(labels, shape.channel, 'label');
  if (weights) checkWeights(weights, shape.channel);
  return { rows, dim: featureDim, features, labels, weights, qids };
}

function checkFinite(values: Float32Array, channel: string, what: string): void {
  for (let r = 0; r < values.length; r++)
    if (!Number.isFinite(values[r]!))
      throw new DataFormatError(
        `The '${channel}' channel's row ${r + 1} has ${what} ${values[r]}; XGBoost needs a finite ${what} on every row.`,
      );
}

function checkWeights(weights: Float32Array, channel: string): void {
  checkFinite(weights, channel, 'weight');
  for (let r = 0; r < weights.length; r++)
    if (weights[r]! < 0)
      throw new DataFormatError(
        `The '${channel}' channel's row ${r + 1} has weight ${weights[r]}; instance weights must be non-negative.`,
      );
}

function widthError(
  channel: ChannelInput,
  found: number,
  options: ChannelReadOptions,
): DataFormatError {
  return new DataFormatError(
    `The 'train' channel's records have ${options.featureDim} features but the '${channel.name}' channel's records have ${found} (content type '${channel.contentType}'; the label is the first CSV column${options.csvWeights ? ' and the weight the second' : ''}).`,
  );
}
