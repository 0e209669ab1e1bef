export { DataFormatError } from './errors.js';
export type { FeatureBatch } from './batch.js';
export { DEFAULT_BATCH_SIZE } from './batch.js';
export { RECORDIO_MAGIC, readRecordIO, writeRecordIO } from './recordio.js';
export type { ByteSource, ReadRecordIOOptions } from './recordio.js';
export { RecordType } from './record-schema.js';
export { decodeRecord } from './record-decode.js';
export type { DecodedRecord } from './record-decode.js';
export { encodeDenseRecord, encodeDenseRecords, encodeSparseRecord } from './record-encode.js';
export type { EncodeOptions, SparseRow, TensorType } from './record-encode.js';
export { readRecordBatches } from './record-batches.js';
export type { RecordBatchOptions } from './record-batches.js';
export { formatCsv, readCsvBatches } from './csv.js';
export type { CsvReadOptions } from './csv.js';
export { parseNumber } from './csv-number.js';
export { parseJsonLines, parseJsonRequest } from './json.js';
export {
  INFERENCE_CONTENT_TYPES,
  TRAINING_CONTENT_TYPES,
  csvLabelColumns,
  parseContentType,
  unsupportedContentType,
} from './content-type.js';
export type { ContentType } from './content-type.js';
export { listChannelFiles, openChannelFile } from './channel-files.js';
export { readDataset } from './dataset.js';
export { readDatasetAhead } from './read-ahead.js';
export type { ReadDatasetOptions } from './dataset.js';
export { parseInferenceRows } from './inference.js';
