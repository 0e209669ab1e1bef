// SageMaker's k-NN built-in through the AWS SDK on real data (Palmer penguins: species from four
// measurements), checked against scikit-learn's KNeighborsClassifier on the same split: with the
// exact index both find the same neighbours, so the predictions agree.
import { describe, expect, it } from 'vitest';
import {
  builtinImage,
  deployJob,
  finalMetric,
  invokeText,
  trainBuiltin,
  useLivePlinth,
} from './support/builtins.js';
import { penguins, toCsv } from './support/datasets.js';
import { hasPython, runPython } from './support/python.js';

const hasSklearn = hasPython('sklearn');
const K = 5;

/** scikit-learn's k-NN predictions for the test rows; stdin: {"train": csv, "test": csv}. */
const SKLEARN_KNN = `
import sys, json, io, numpy as np
from sklearn.neighbors import KNeighborsClassifier
data = json.load(sys.stdin)
train = np.loadtxt(io.StringIO(data["train"]), delimiter=",", ndmin=2)
test = np.loadtxt(io.StringIO(data["test"]), delimiter=",", ndmin=2)
knn = KNeighborsClassifier(n_neighbors=int(sys.argv[1])).fit(train[:, 1:], train[:, 0])
print(json.dumps(knn.predict(test[:, 1:]).tolist()))
`;

/** The penguins standardized by the training rows' means and deviations, split 3:1 (every 4th row tests). */
function split(): { train: string; test: string; testRows: number[][]; testLabels: number[] } {
  const data = penguins();
  const isTest = (i: number): boolean => i % 4 === 3;
  const trainRows = data.features.filter((_, i) => !isTest(i));
  const dims = data.columns.length;
  const mean = Array.from(
    { length: dims },
    (_, j) => trainRows.reduce((sum, row) => sum + row[j]!, 0) / trainRows.length,
  );
  const sd = mean.map((m, j) =>
    Math.sqrt(trainRows.reduce((sum, row) => sum + (row[j]! - m) ** 2, 0) / trainRows.length),
  );
  const scaled = data.features.map((row) =>
    row.map((v, j) => +((v - mean[j]!) / sd[j]!).toFixed(6)),
  );
  const pick = (test: boolean) => ({
    rows: scaled.filter((_, i) => isTest(i) === test),
    labels: data.labels.filter((_, i) => isTest(i) === test),
  });
  const train = pick(false);
  const test = pick(true);
  return {
    train: toCsv(train.rows, train.labels),
    test: toCsv(test.rows, test.labels),
    testRows: test.rows,
    testLabels: test.labels,
  };
}

describe('k-NN built-in through @aws-sdk/client-sagemaker on the penguins data set', () => {
  const live = useLivePlinth();
  const data = split();

  it('classifies with the exact index as scikit-learn does, reports test:accuracy, and answers verbosely', async () => {
    const job = await trainBuiltin(live, {
      bucket: 'knn',
      name: 'knn-penguins',
      image: builtinImage('knn'),
      hyperParameters: {
        feature_dim: '4',
        k: String(K),
        predictor_type: 'classifier',
        sample_size: '1000',
        index_type: 'faiss.Flat',
      },
      channels: {
        train: { body: data.train, contentType: 'text/csv' },
        test: { body: data.test, contentType: 'text/csv' },
      },
    });
    const endpoint = await deployJob(live.sm, job);
    const answer = JSON.parse(
      await invokeText(live.runtime, endpoint, {
        body: toCsv(data.testRows),
        contentType: 'text/csv',
      }),
    ) as { predictions: { predicted_label: number }[] };
    const predicted = answer.predictions.map((p) => p.predicted_label);
    expect(predicted).toHaveLength(data.testLabels.length);
    const accuracy =
      predicted.filter((label, i) => label === data.testLabels[i]).length / predicted.length;
    expect(accuracy).toBeGreaterThan(0.95);
    expect(finalMetric(job, 'test:accuracy')).toBeCloseTo(accuracy, 6);

    const verbose = JSON.parse(
      await invokeText(live.runtime, endpoint, {
        body: toCsv(data.testRows.slice(0, 2)),
        contentType: 'text/csv',
        accept: 'application/json; verbose=true',
      }),
    ) as { predictions: { predicted_label: number; distances: number[]; labels: number[] }[] };
    for (const p of verbose.predictions) {
      expect(p.distances).toHaveLength(K);
      expect(p.labels).toHaveLength(K);
      expect([...p.distances].sort((a, b) => a - b)).toEqual(p.distances);
    }

    if (!hasSklearn) return;
    const reference = JSON.parse(
      runPython(SKLEARN_KNN, {
        args: [String(K)],
        input: JSON.stringify({ train: data.train, test: data.test }),
      }),
    ) as number[];
    const agree = predicted.filter((label, i) => label === reference[i]).length;
    // Only a tie among the k labels can be broken differently.
    expect(agree / predicted.length).toBeGreaterThanOrEqual(0.97);
  });
});
