import { type FeatureBatch, checkBatchSize } from './batch.js';
import { DataFormatError, located } from './errors.js';
import { decodeRecord } from './record-decode.js';
import { type ByteSource, readRecordIO } from './recordio.js';

/** Options for {@link readRecordBatches}. */
export interface RecordBatchOptions {
  /** Rows per yielded batch (the last may be shorter). */
  batchSize?: number;
  /** Expected feature count; taken from the first record when absent. */
  featureDim?: number;
  /** 1: every record must carry a label; 0: labels are ignored; absent: kept if the first record has one. */
  labelSize?: 0 | 1;
  /** Named in errors, e.g. the file's path. */
  source?: string;
}

/**
 * Streams RecordIO-protobuf (`application/x-recordio-protobuf`) as row-major Float32Array
 * batches: one row per Record, features from features["values"] (sparse rows expanded),
 * the label from label["values"][0].
 */
export async function* readRecordBatches(
  input: ByteSource,
  options: RecordBatchOptions = {},
): AsyncGenerator<FeatureBatch> {
  const batchSize = checkBatchSize(options.batchSize);
  let dim = options.featureDim;
  let withLabels = options.labelSize === undefined ? undefined : options.labelSize === 1;
  let features = new Float32Array(0);
  let labels = new Float32Array(0);
  let rows = 0;
  let index = 0;
  const fail = (message: string): never => {
    throw new DataFormatError(located(options.source, `record ${index}: ${message}`));
  };
  for await (const payload of readRecordIO(input, { source: options.source })) {
    index++;
    let record;
    try {
      record = decodeRecord(payload);
    } catch (error) {
      if (error instanceof DataFormatError) fail(error.message);
      throw error;
    }
    dim ??= record.features.length;
    withLabels ??= record.label !== undefined;
    if (record.features.length !== dim)
      fail(
        `has ${record.features.length} features but earlier records have ${dim}; every record must have the same number.`,
      );
    if (withLabels && record.label === undefined)
      fail('has no label (label["values"]); this algorithm needs a label on every record.');
    if (rows === 0) {
      features = new Float32Array(batchSize * dim);
      if (withLabels) labels = new Float32Array(batchSize);
    }
    features.set(record.features, rows * dim);
    if (withLabels) labels[rows] = record.label![0] ?? NaN;
    rows++;
    if (rows === batchSize) {
      yield batch(features, withLabels ? labels : undefined, { rows, dim });
      rows = 0;
    }
  }
  if (rows > 0 && dim !== undefined)
    yield batch(features, withLabels ? labels : undefined, { rows, dim });
}

function batch(
  features: Float32Array,
  labels: Float32Array | undefined,
  size: { rows: number; dim: number },
): FeatureBatch {
  const out: FeatureBatch = { features: features.subarray(0, size.rows * size.dim), ...size };
  if (labels !== undefined) out.labels = labels.subarray(0, size.rows);
  return out;
}
