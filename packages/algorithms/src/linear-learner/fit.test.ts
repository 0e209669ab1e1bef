import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import type { FeatureBatch } from '../data/index.js';
import { type BatchSource, type FitResult, fitLinearLearner } from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';
import type { ModelPlan } from './linear-model.js';
import type { LinearLearnerModel } from './model.js';
import { LINEAR_LEARNER_SEED, planModels, trainingSettings } from './plans.js';
import { predict } from './predict.js';
import { BatchPreparer } from './prepare.js';
import { classWeights, sampleScaler } from './scaler.js';

interface Data {
  rows: number[][];
  labels: number[];
}

function source(data: Data, batchSize: number): BatchSource {
  const dim = data.rows[0]!.length;
  return async function* (): AsyncGenerator<FeatureBatch> {
    for (let start = 0; start < data.rows.length; start += batchSize) {
      const rows = data.rows.slice(start, start + batchSize);
      yield {
        features: Float32Array.from(rows.flat()),
        labels: Float32Array.from(data.labels.slice(start, start + batchSize)),
        rows: rows.length,
        dim,
      };
    }
  };
}

interface Fitted {
  result: FitResult;
  model: LinearLearnerModel;
  epochs: number;
  messages: string[];
}

/** Fits as train.ts does, on in-memory data; `plans` overrides the parallel models. */
async function fit(
  raw: Record<string, string>,
  data: { train: Data; validation?: Data },
  plans?: ModelPlan[],
): Promise<Fitted> {
  const hp = parseHyperparameters(raw);
  const train = source(data.train, hp.miniBatchSize);
  const { normalization, classCounts, dim } = await sampleScaler(train(), hp);
  const weights = classWeights(hp, classCounts);
  const random = createRandom(LINEAR_LEARNER_SEED);
  const messages: string[] = [];
  let epochs = 0;
  const result = await fitLinearLearner(
    {
      hp,
      train,
      ...(data.validation && { validation: source(data.validation, hp.miniBatchSize) }),
      preparer: new BatchPreparer({ hp, normalization, ...(weights && { classWeights: weights }) }),
      settings: trainingSettings(hp, dim),
      plans: plans ?? planModels(hp, random),
      random,
    },
    { info: (m) => messages.push(m), epoch: () => epochs++ },
  );
  const model = {
    predictorType: hp.predictorType,
    objective: hp.loss,
    fn: result.fn,
    normalization,
  };
  return { result, model, epochs, messages };
}

const random = createRandom(7);
const gaussian = (): number =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const rowsOf = (...rows: number[][]): Float32Array[] => rows.map((r) => Float32Array.from(r));

describe('fitLinearLearner', () => {
  it('recovers known regression weights and intercept in the original units', async () => {
    const rows = Array.from({ length: 2000 }, () => [gaussian() * 3 + 5, gaussian() * 0.5 - 2]);
    const labels = rows.map(([a, b]) => 2 * a! - 3 * b! + 0.5 + 0.01 * gaussian());
    const { model, result } = await fit(
      { predictor_type: 'regressor', mini_batch_size: '100', epochs: '20' },
      { train: { rows, labels } },
    );
    const [origin, e1, e2] = predict(model, rowsOf([0, 0], [1, 0], [0, 1])).map(
      (p) => p.score as number,
    );
    expect(e1! - origin!).toBeCloseTo(2, 2);
    expect(e2! - origin!).toBeCloseTo(-3, 2);
    expect(origin!).toBeCloseTo(0.5, 1);
    expect(result.trainObjective).toBeLessThan(0.001);
  });

  it('separates three blobs with softmax', async () => {
    const centers = [
      [0, 0],
      [6, 0],
      [0, 6],
    ];
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 900; i++) {
      const c = i % 3;
      rows.push([centers[c]![0]! + gaussian(), centers[c]![1]! + gaussian()]);
      labels.push(c);
    }
    const { model } = await fit(
      { predictor_type: 'multiclass_classifier', num_classes: '3', mini_batch_size: '50' },
      { train: { rows, labels } },
    );
    const predictions = predict(model, rowsOf(...centers, [5, 1], [1, 5]));
    expect(predictions.map((p) => p.predicted_label)).toEqual([0, 1, 2, 1, 2]);
    const scores = predictions[1]!.score as number[];
    expect(scores.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    expect(scores[1]).toBeGreaterThan(0.9);
  });

  it('selects among parallel models on the validation channel when there is one', async () => {
    // Training data says y = 3x + 1; validation data says y is always 1 (the training mean).
    // The unregularized model wins on training loss; the one whose huge wd pins its weight
    // to 0 predicts the mean and wins on validation.
    const xs = Array.from({ length: 200 }, (_, i) => -1 + (2 * i) / 199);
    const train = { rows: xs.map((x) => [x]), labels: xs.map((x) => 3 * x + 1) };
    const validation = { rows: xs.map((x) => [x]), labels: xs.map(() => 1) };
    const plans = [
      { learningRate: 0.05, wd: 0, l1: 0 },
      { learningRate: 0.05, wd: 100, l1: 0 },
    ];
    const hp = { predictor_type: 'regressor', mini_batch_size: '20', epochs: '10' };
    const withoutValidation = await fit(hp, { train }, plans);
    expect(withoutValidation.result).toMatchObject({
      model: 0,
      selectedOn: 'train objective loss',
    });
    const withValidation = await fit(hp, { train, validation }, plans);
    expect(withValidation.result).toMatchObject({
      model: 1,
      selectedOn: 'validation objective loss',
    });
    expect(withValidation.result.validation!.mse).toBeLessThan(0.01);
    expect(withoutValidation.result.trainObjective).toBeLessThan(0.01);
  });

  it('stops early when the loss stops improving', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => [i % 2]);
    const labels = rows.map(([x]) => x!);
    const { epochs, messages } = await fit(
      {
        predictor_type: 'binary_classifier',
        epochs: '50',
        num_models: '1',
        learning_rate: '1e-9',
        use_lr_scheduler: 'false',
      },
      { train: { rows, labels } },
    );
    expect(epochs).toBe(4);
    expect(messages.at(-1)).toContain('Early stopping after epoch 3');
  });

  it('fails on a label the predictor type cannot take', async () => {
    await expect(
      fit({ predictor_type: 'binary_classifier' }, { train: { rows: [[1], [2]], labels: [0, 2] } }),
    ).rejects.toThrow(
      "The 'train' channel has a label 2; predictor_type=binary_classifier needs labels 0 and 1.",
    );
  });
});
