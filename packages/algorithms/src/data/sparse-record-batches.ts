import { checkBatchSize } from './batch.js';
import { DataFormatError, located } from './errors.js';
import { type ByteSource, readRecordIO } from './recordio.js';
import type { SparseBatch } from './sparse-batch.js';
import { SparseBatchBuilder, type SparseRowRules } from './sparse-batch-builder.js';
import { SparseRecordDecoder } from './sparse-record-decode.js';

/** Options for {@link readSparseRecordBatches}. */
export interface SparseRecordBatchOptions extends SparseRowRules {
  /** Rows per yielded batch (the last may be shorter). */
  batchSize?: number;
  /** Named in errors, e.g. the file's path. */
  source?: string;
}

/**
 * Streams RecordIO-protobuf (`application/x-recordio-protobuf`) as CSR batches without ever
 * expanding a row: one row per Record, its entries from features["values"] (sparse keys kept,
 * dense values with their positions as keys, zeros dropped), the label from label["values"][0].
 */
export async function* readSparseRecordBatches(
  input: ByteSource,
  options: SparseRecordBatchOptions = {},
): AsyncGenerator<SparseBatch> {
  const batchSize = checkBatchSize(options.batchSize);
  const decoder = new SparseRecordDecoder();
  const builder = new SparseBatchBuilder({ ...options, batchSize });
  let index = 0;
  for await (const payload of readRecordIO(input, { source: options.source })) {
    index++;
    try {
      decoder.decode(payload);
      builder.add(decoder);
    } catch (error) {
      if (error instanceof DataFormatError)
        throw new DataFormatError(located(options.source, `record ${index} ${error.message}`));
      throw error;
    }
    if (builder.rows === batchSize) yield builder.take();
  }
  if (builder.rows > 0) yield builder.take();
}
