import type { AcceptType } from '../common/invocation.js';
import { RecordType } from '../data/record-schema.js';
import { writeRecordIO } from '../data/recordio.js';
import type { Predictions } from './predictor.js';
import { formatPythonFloat, pythonJsonDumps, pythonStr } from './python-format.js';

/**
 * One row's prediction as SageMaker's server holds it after `preds.tolist()`: a float for
 * one value per row, a list for multi:softprob (and multi-target models).
 */
export function rowValue(predictions: Predictions, r: number): number | number[] {
  const { values, width } = predictions;
  if (width === 1) return values[r]!;
  return Array.from(values.subarray(r * width, (r + 1) * width));
}

/**
 * The default response, written byte for byte as SageMaker's XGBoost server writes it:
 * `text/csv` one line per row (values comma-separated), `application/json`
 * `{"predictions": [{"score": 0.25}, ...]}`; in batch transform (`SAGEMAKER_BATCH`) one
 * `str(prediction)` per line whatever the Accept. `application/jsonlines` (one
 * `{"score": ...}` per line) and RecordIO (`score` in each Record's label map) are Plinth's:
 * SageMaker answers them only in selectable-output mode.
 */
export function encodePredictions(
  predictions: Predictions,
  accept: AcceptType,
  batch: boolean,
): Buffer {
  const rows = Array.from({ length: predictions.rows }, (_, r) => rowValue(predictions, r));
  if (batch) return Buffer.from(rows.map((row) => `${pythonStr(row)}\n`).join(''));
  switch (accept) {
    case 'text/csv':
      return Buffer.from(rows.map((row) => `${csvLine(row)}\n`).join(''));
    case 'application/json':
      return Buffer.from(pythonJsonDumps({ predictions: rows.map((score) => ({ score })) }));
    case 'application/jsonlines':
      return Buffer.from(rows.map((score) => `${pythonJsonDumps({ score })}\n`).join(''));
    case 'application/x-recordio-protobuf':
      return writeRecordIO(
        rows.map((row) =>
          RecordType.encode({
            label: { score: { float32_tensor: { values: typeof row === 'number' ? [row] : row } } },
          }).finish(),
        ),
      );
  }
}

function csvLine(row: number | number[]): string {
  return typeof row === 'number' ? formatPythonFloat(row) : row.map(formatPythonFloat).join(',');
}
