import { type AcceptType, InvocationError } from '../common/invocation.js';
import { RecordType } from '../data/record-schema.js';
import { writeRecordIO } from '../data/recordio.js';
import type { SparseBatch } from '../data/sparse-batch.js';
import { sigmoid } from './kernel.js';
import type { FmModel } from './model.js';
import { scoreBatch } from './score.js';

/** One prediction in SageMaker FM's response shape. */
export interface FmPrediction {
  /** P(label 1) for binary_classifier, the predicted value for regressor. */
  score: number;
  /** binary_classifier only: 1 when the score is at least 0.5, as SageMaker's FM decides. */
  predicted_label?: number;
}

/** Response types FM writes: SageMaker documents JSON, JSON Lines and RecordIO, not CSV. */
export const FM_ACCEPT_TYPES: readonly AcceptType[] = [
  'application/json',
  'application/jsonlines',
  'application/x-recordio-protobuf',
];

/** Predicts every row of a batch that has the model's feature count. */
export function predictFm(model: FmModel, batch: SparseBatch): FmPrediction[] {
  const outputs = scoreBatch(model.weights, batch);
  const predictions: FmPrediction[] = new Array<FmPrediction>(batch.rows);
  for (let r = 0; r < batch.rows; r++) {
    if (model.predictorType === 'regressor') predictions[r] = { score: outputs[r]! };
    else {
      const score = sigmoid(outputs[r]!);
      predictions[r] = { score, predicted_label: score >= 0.5 ? 1 : 0 };
    }
  }
  return predictions;
}

/**
 * Serializes predictions as SageMaker's FM does: JSON `{"predictions": [...]}`, one JSON object
 * per line, or RecordIO records whose label map holds `score` (and `predicted_label`) float32
 * tensors.
 */
export function formatPredictions(predictions: FmPrediction[], accept: AcceptType): Buffer {
  switch (accept) {
    case 'application/json':
      return Buffer.from(JSON.stringify({ predictions }));
    case 'application/jsonlines':
      return Buffer.from(predictions.map((p) => `${JSON.stringify(p)}\n`).join(''));
    case 'application/x-recordio-protobuf':
      return writeRecordIO(
        predictions.map((p) => {
          const label: Record<string, object> = {
            score: { float32_tensor: { values: [p.score] } },
          };
          if (p.predicted_label !== undefined)
            label.predicted_label = { float32_tensor: { values: [p.predicted_label] } };
          return RecordType.encode({ label }).finish();
        }),
      );
    case 'text/csv':
      throw new InvocationError(
        406,
        `Accept 'text/csv' is not supported by Factorization Machines; use one of: ${FM_ACCEPT_TYPES.join(', ')}.`,
      );
  }
}
