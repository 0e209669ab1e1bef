import { describe, expect, it } from 'vitest';
import { RecordType, readRecordIO } from '../data/index.js';
import { LinearFunction } from './linear-function.js';
import type { LinearLearnerModel } from './model.js';
import { formatPredictions, predict } from './predict.js';

/** A model over 2 features with the given weight rows and biases, and a normalization. */
function model(
  predictorType: LinearLearnerModel['predictorType'],
  weights: number[][],
  bias: number[],
): LinearLearnerModel {
  const fn = new LinearFunction(2, weights.length);
  fn.weights.set(weights.flat());
  fn.bias.set(bias);
  const objectives = {
    binary_classifier: 'logistic',
    multiclass_classifier: 'softmax_loss',
    regressor: 'squared_loss',
  } as const;
  return {
    predictorType,
    objective: objectives[predictorType],
    fn,
    normalization: {
      featureShift: Float64Array.of(1, 0),
      featureScale: Float64Array.of(2, 1),
      labelShift: predictorType === 'regressor' ? 10 : 0,
      labelScale: predictorType === 'regressor' ? 3 : 1,
    },
  };
}

const row = (a: number, b: number): Float32Array => Float32Array.of(a, b);

describe('predict', () => {
  it('normalizes features, then scores each predictor type in SageMaker shape', () => {
    // x' = ((x0 - 1) / 2, x1)
    const [binary] = predict(model('binary_classifier', [[2, 0]], [0]), [row(3, 5)]);
    expect(binary!.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(binary!.predicted_label).toBe(1);
    const [multi] = predict(
      model(
        'multiclass_classifier',
        [
          [0, 0],
          [0, 1],
          [0, 0],
        ],
        [0, 0, 0],
      ),
      [row(1, Math.log(2))],
    );
    const scores = multi!.score as number[];
    [0.25, 0.5, 0.25].forEach((v, i) => expect(scores[i]).toBeCloseTo(v, 6));
    expect(multi!.predicted_label).toBe(1);
    const [regression] = predict(model('regressor', [[1, 1]], [0.5]), [row(3, 1)]);
    expect(regression).toEqual({ score: (1 + 1 + 0.5) * 3 + 10 });
  });

  it('rejects a row with the wrong feature count', () => {
    expect(() => predict(model('regressor', [[1, 1]], [0]), [Float32Array.of(1)])).toThrow(
      'Record 0 has 1 features; this model expects feature_dim=2.',
    );
  });
});

describe('formatPredictions', () => {
  const binary = [{ score: 0.75, predicted_label: 1 }];
  const multi = [{ score: [0.25, 0.5, 0.25], predicted_label: 1 }];
  const regression = [{ score: 3.5 }];

  it('writes JSON, JSON Lines and CSV', () => {
    expect(formatPredictions(binary, 'application/json').toString()).toBe(
      '{"predictions":[{"score":0.75,"predicted_label":1}]}',
    );
    expect(formatPredictions([...multi, ...multi], 'application/jsonlines').toString()).toBe(
      '{"score":[0.25,0.5,0.25],"predicted_label":1}\n'.repeat(2),
    );
    expect(formatPredictions(binary, 'text/csv').toString()).toBe('0.75,1\n');
    expect(formatPredictions(multi, 'text/csv').toString()).toBe('0.25,0.5,0.25,1\n');
    expect(formatPredictions(regression, 'text/csv').toString()).toBe('3.5\n');
  });

  it('writes RecordIO with score and predicted_label in the label map', async () => {
    const records = [];
    for await (const payload of readRecordIO(
      formatPredictions(multi, 'application/x-recordio-protobuf'),
    ))
      records.push(RecordType.toObject(RecordType.decode(payload)));
    expect(records).toHaveLength(1);
    expect(records[0]!.label.score.float32_tensor.values).toEqual([0.25, 0.5, 0.25]);
    expect(records[0]!.label.predicted_label.float32_tensor.values).toEqual([1]);
  });
});
