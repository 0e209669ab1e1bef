// SageMaker's Factorization Machines built-in through the AWS SDK on real, sparse data: flights
// (vega-datasets' flights-20k) one-hot encoded by origin, destination, departure hour and
// weekday, written as sparse RecordIO-protobuf as the SageMaker SDK writes it; is the flight
// more than 15 minutes late. The endpoint answers sparse JSON and RecordIO requests alike.
import { encodeSparseRecord, writeRecordIO } from '@plinth/algorithms';
import { describe, expect, it } from 'vitest';
import {
  builtinImage,
  deployJob,
  finalMetric,
  invokeText,
  trainBuiltin,
  useLivePlinth,
} from './support/builtins.js';
import { flights } from './support/datasets.js';

interface SparseFlights {
  readonly dim: number;
  readonly keys: number[][];
  readonly labels: number[];
}

/** Each flight as the column indices of its origin, destination, hour and weekday. */
function oneHot(): SparseFlights {
  const all = flights();
  const columns = new Map<string, number>();
  const column = (name: string): number => {
    if (!columns.has(name)) columns.set(name, columns.size);
    return columns.get(name)!;
  };
  const keys = all.map((f) =>
    [
      column(`origin=${f.origin}`),
      column(`destination=${f.destination}`),
      column(`hour=${f.hour}`),
      column(`weekday=${f.weekday}`),
    ].sort((a, b) => a - b),
  );
  return { dim: columns.size, keys, labels: all.map((f) => (f.delay > 15 ? 1 : 0)) };
}

function recordIO(data: SparseFlights, rows: number[], withLabels: boolean): Buffer {
  return writeRecordIO(
    rows.map((i) =>
      encodeSparseRecord(
        { keys: data.keys[i]!, values: data.keys[i]!.map(() => 1), dim: data.dim },
        withLabels ? data.labels[i] : undefined,
      ),
    ),
  );
}

/** The probability that a random late flight scores above a random punctual one (ROC AUC). */
function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  let negatives = 0;
  let wins = 0;
  for (const [, label] of order) {
    if (label === 1) wins += negatives;
    else negatives++;
  }
  const positives = labels.filter((l) => l === 1).length;
  return wins / (positives * (labels.length - positives));
}

describe('Factorization Machines built-in through @aws-sdk/client-sagemaker on sparse flights', () => {
  const live = useLivePlinth();
  const data = oneHot();
  const rows = data.labels.map((_, i) => i);
  const trainRows = rows.filter((i) => i % 5 !== 4);
  const testRows = rows.filter((i) => i % 5 === 4);

  it('trains a binary classifier on sparse RecordIO and scores sparse JSON like RecordIO', async () => {
    const job = await trainBuiltin(live, {
      bucket: 'fm-flights',
      name: 'fm-flights',
      image: builtinImage('factorization-machines'),
      hyperParameters: {
        feature_dim: String(data.dim),
        num_factors: '8',
        predictor_type: 'binary_classifier',
        epochs: '10',
        mini_batch_size: '200',
      },
      channels: {
        train: {
          body: recordIO(data, trainRows, true),
          contentType: 'application/x-recordio-protobuf',
        },
        test: {
          body: recordIO(data, testRows, true),
          contentType: 'application/x-recordio-protobuf',
        },
      },
    });
    const accuracy = finalMetric(job, 'test:binary_classification_accuracy');
    const lateShare = testRows.filter((i) => data.labels[i] === 1).length / testRows.length;
    // Never worse than answering "on time" for every flight.
    expect(accuracy).toBeGreaterThanOrEqual(1 - lateShare - 0.005);

    const endpoint = await deployJob(live.sm, job);
    const answer = JSON.parse(
      await invokeText(live.runtime, endpoint, {
        body: recordIO(data, testRows, false),
        contentType: 'application/x-recordio-protobuf',
      }),
    ) as { predictions: { score: number; predicted_label: number }[] };
    const scores = answer.predictions.map((p) => p.score);
    expect(scores).toHaveLength(testRows.length);
    expect(
      rocAuc(
        scores,
        testRows.map((i) => data.labels[i]!),
      ),
    ).toBeGreaterThan(0.6);

    const sample = testRows.slice(0, 20);
    const sparseJson = JSON.parse(
      await invokeText(live.runtime, endpoint, {
        body: JSON.stringify({
          instances: sample.map((i) => ({
            data: {
              features: {
                keys: data.keys[i],
                shape: [data.dim],
                values: data.keys[i]!.map(() => 1),
              },
            },
          })),
        }),
        contentType: 'application/json',
      }),
    ) as { predictions: { score: number; predicted_label: number }[] };
    sparseJson.predictions.forEach((p, n) => {
      expect(p.score).toBeCloseTo(scores[n]!, 5);
      expect(p.predicted_label).toBe(p.score > 0.5 ? 1 : 0);
    });
  });
});
