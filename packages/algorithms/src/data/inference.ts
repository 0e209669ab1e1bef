import { Readable } from 'node:stream';
import {
  INFERENCE_CONTENT_TYPES,
  csvLabelColumns,
  parseContentType,
  unsupportedContentType,
} from './content-type.js';
import { readCsvBatches } from './csv.js';
import { parseJsonLines, parseJsonRequest } from './json.js';
import { decodeRecord } from './record-decode.js';
import { readRecordIO } from './recordio.js';

/**
 * Feature rows from an inference request body, by its Content-Type. CSV requests carry no
 * label column unless the content type says `label_size=1`.
 */
export async function parseInferenceRows(
  body: Buffer,
  contentType: string,
): Promise<Float32Array[]> {
  const type = parseContentType(contentType);
  switch (type.mediaType) {
    case 'text/csv': {
      const rows: Float32Array[] = [];
      const options = { labelColumns: csvLabelColumns(type, 0), source: 'The request body' };
      for await (const batch of readCsvBatches(Readable.from([body]), options))
        for (let r = 0; r < batch.rows; r++)
          rows.push(batch.features.slice(r * batch.dim, (r + 1) * batch.dim));
      return rows;
    }
    case 'application/json':
      return parseJsonRequest(body.toString('utf8'));
    case 'application/jsonlines':
      return parseJsonLines(body.toString('utf8'));
    case 'application/x-recordio-protobuf': {
      const rows: Float32Array[] = [];
      for await (const payload of readRecordIO(body, { source: 'The request body' }))
        rows.push(decodeRecord(payload).features);
      return rows;
    }
    default:
      throw unsupportedContentType(contentType, INFERENCE_CONTENT_TYPES);
  }
}
