import type { AcceptType } from '../common/invocation.js';
import { packRows } from '../common/invocation.js';
import { RecordType, writeRecordIO } from '../data/index.js';
import { toScores } from './loss.js';
import type { LinearLearnerModel } from './model.js';
import { normalizeRows } from './prepare.js';

/** One prediction in SageMaker linear-learner's response shape. */
export interface Prediction {
  /** Probability of class 1 (binary), per-class probabilities (multiclass), or the value. */
  score: number | number[];
  predicted_label?: number;
}

/** Scores every row; rows must have the model's feature count. */
export function predict(model: LinearLearnerModel, rows: readonly Float32Array[]): Prediction[] {
  const { fn, normalization: n } = model;
  const x = new Float64Array(rows.length * fn.dim);
  normalizeRows(packRows(rows, fn.dim), n, x);
  return rows.map((_, r) => {
    const z = fn.outputsAt(x, r);
    toScores(model.objective, z);
    switch (model.predictorType) {
      case 'binary_classifier':
        return { score: z[0]!, predicted_label: z[0]! > 0.5 ? 1 : 0 };
      case 'multiclass_classifier': {
        const score = Array.from(z);
        return { score, predicted_label: score.indexOf(Math.max(...score)) };
      }
      case 'regressor':
        return { score: z[0]! * n.labelScale + n.labelShift };
    }
  });
}

/**
 * Serializes predictions for the Accept type: JSON `{"predictions":[…]}`, one JSON object per
 * line, CSV lines (score(s), then predicted_label), or RecordIO records whose label map holds
 * `score` and `predicted_label`, as SageMaker's linear-learner writes them.
 */
export function formatPredictions(predictions: Prediction[], accept: AcceptType): Buffer {
  switch (accept) {
    case 'application/json':
      return Buffer.from(JSON.stringify({ predictions }));
    case 'application/jsonlines':
      return Buffer.from(predictions.map((p) => `${JSON.stringify(p)}\n`).join(''));
    case 'text/csv':
      return Buffer.from(
        predictions
          .map(
            (p) =>
              `${[p.score, p.predicted_label]
                .flat()
                .filter((v) => v !== undefined)
                .join(',')}\n`,
          )
          .join(''),
      );
    case 'application/x-recordio-protobuf':
      return writeRecordIO(
        predictions.map((p) => {
          const label: Record<string, object> = {
            score: { float32_tensor: { values: [p.score].flat() } },
          };
          if (p.predicted_label !== undefined)
            label.predicted_label = { float32_tensor: { values: [p.predicted_label] } };
          return RecordType.encode({ label }).finish();
        }),
      );
  }
}
