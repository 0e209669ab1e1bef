import { InvocationError } from '../common/invocation.js';
import { parseContentType } from '../data/content-type.js';
import { parseNumber } from '../data/csv-number.js';
import { DataFormatError } from '../data/errors.js';
import { parseLibsvmRows } from '../data/libsvm.js';
import { RecordType } from '../data/record-schema.js';
import { readRecordIO } from '../data/recordio.js';
import type { FeatureMatrix } from './predictor.js';

/** The request types SageMaker's XGBoost server reads (1.7 has no JSON input). */
export const XGBOOST_REQUEST_TYPES = [
  'text/csv',
  'text/libsvm',
  'text/x-libsvm',
  'application/x-recordio-protobuf',
] as const;

const SOURCE = 'The request body';

/**
 * Reads a request body into dense rows of `numFeature` values, NaN where a value is missing:
 * an empty CSV field (or `nan`), an index a LIBSVM line or a sparse RecordIO record does not
 * name. A row of another width is a 400 naming the model's num_feature.
 */
export async function parseRequestRows(
  body: Buffer,
  contentType: string,
  numFeature: number,
): Promise<FeatureMatrix> {
  const type = parseContentType(contentType).mediaType;
  switch (type) {
    case 'text/csv':
      return parseCsvRows(body.toString('utf8'), numFeature);
    case 'text/libsvm':
    case 'text/x-libsvm': {
      const batch = parseLibsvmRows(body.toString('utf8'), {
        featureDim: numFeature,
        labelled: false,
        source: SOURCE,
        widthReason: `this model has num_feature=${numFeature}`,
      });
      return { features: batch.features, rows: batch.rows };
    }
    case 'application/x-recordio-protobuf':
      return parseRecordRows(body, numFeature);
    default:
      throw new InvocationError(
        415,
        `Content-Type '${contentType}' is not supported; use one of: ${XGBOOST_REQUEST_TYPES.join(', ')}.`,
      );
  }
}

function widthError(record: number, width: number, numFeature: number): InvocationError {
  return new InvocationError(
    400,
    `Record ${record} has ${width} features; this model expects num_feature=${numFeature}.`,
  );
}

/** CSV without a label column, as SageMaker's XGBoost reads it: empty fields are missing. */
function parseCsvRows(text: string, numFeature: number): FeatureMatrix {
  const lines = text.split('\n');
  const features = new Float32Array(lines.length * numFeature);
  let rows = 0;
  lines.forEach((line, l) => {
    const end = line.endsWith('\r') ? line.length - 1 : line.length;
    if (line.trim() === '') return;
    const base = rows * numFeature;
    let column = 0;
    for (let start = 0; start <= end; column++) {
      let stop = line.indexOf(',', start);
      if (stop === -1 || stop > end) stop = end;
      if (column < numFeature) features[base + column] = csvValue(line, [start, stop], l);
      start = stop + 1;
    }
    if (column !== numFeature) throw widthError(rows, column, numFeature);
    rows++;
  });
  return { features: features.subarray(0, rows * numFeature), rows };
}

function csvValue(line: string, [start, stop]: [number, number], lineIndex: number): number {
  let i = start;
  while (i < stop && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (i === stop) return NaN;
  const value = parseNumber(line, start, stop);
  if (value === undefined)
    throw new DataFormatError(
      `${SOURCE}, line ${lineIndex + 1}: '${line.slice(start, stop).slice(0, 40)}' is not a number. CSV requests hold numbers only: no header row and no label column; leave a field empty for a missing value.`,
    );
  return value;
}

interface TensorObject {
  values?: number[];
  keys?: number[];
  shape?: number[];
}

/** RecordIO-protobuf: dense records must have num_feature values; sparse ones name theirs. */
async function parseRecordRows(body: Buffer, numFeature: number): Promise<FeatureMatrix> {
  const rows: Float32Array[] = [];
  for await (const payload of readRecordIO(body, { source: SOURCE })) {
    const record = RecordType.toObject(RecordType.decode(payload), { longs: Number }) as {
      features?: Record<string, Record<string, TensorObject>>;
    };
    const value = record.features?.values;
    const tensor = value?.float32_tensor ?? value?.float64_tensor ?? value?.int32_tensor;
    if (tensor === undefined)
      throw new DataFormatError(
        `${SOURCE}: record ${rows.length} has no features["values"] tensor; SageMaker's XGBoost reads the features from the key "values".`,
      );
    rows.push(recordRow(tensor, rows.length, numFeature));
  }
  const features = new Float32Array(rows.length * numFeature);
  rows.forEach((row, r) => features.set(row, r * numFeature));
  return { features, rows: rows.length };
}

function recordRow(tensor: TensorObject, index: number, numFeature: number): Float32Array {
  const values = tensor.values ?? [];
  const keys = tensor.keys ?? [];
  if (keys.length === 0) {
    if (values.length !== numFeature) throw widthError(index, values.length, numFeature);
    return Float32Array.from(values);
  }
  const width = tensor.shape?.[0] ?? 0;
  if (width > numFeature) throw widthError(index, width, numFeature);
  if (keys.length !== values.length)
    throw new DataFormatError(
      `${SOURCE}: record ${index} has ${keys.length} keys but ${values.length} values.`,
    );
  const row = new Float32Array(numFeature).fill(NaN);
  keys.forEach((key, i) => {
    if (!Number.isInteger(key) || key < 0 || key >= numFeature)
      throw new InvocationError(
        400,
        `Record ${index} has a value for feature ${key}; this model expects num_feature=${numFeature} (keys 0 to ${numFeature - 1}).`,
      );
    row[key] = values[i]!;
  });
  return row;
}
