// SageMaker's Random Cut Forest built-in through the AWS SDK on real labelled anomalies
// (Suthaharan's single-hop sensor network, mote 1: humidity and temperature): the forest,
// trained without labels, scores the labelled anomalies above the normal readings, and the
// test channel's F1 is what the endpoint's scores give with SageMaker's three-sigma rule.
import { describe, expect, it } from 'vitest';
import {
  builtinImage,
  deployJob,
  finalMetric,
  invokeText,
  trainBuiltin,
  useLivePlinth,
} from './support/builtins.js';
import { sensorReadings, toCsv } from './support/datasets.js';

/** The probability that a random anomaly scores above a random normal reading (ROC AUC). */
function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const positives = scores.filter((_, i) => labels[i] === 1);
  const negatives = scores.filter((_, i) => labels[i] !== 1);
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/** F1 of labelling scores above mean + 3 standard deviations as anomalies. */
function threeSigmaF1(scores: readonly number[], labels: readonly number[]): number {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  const flagged = scores.map((s) => s > mean + 3 * sd);
  const tp = flagged.filter((f, i) => f && labels[i] === 1).length;
  const fp = flagged.filter((f, i) => f && labels[i] !== 1).length;
  const fn = flagged.filter((f, i) => !f && labels[i] === 1).length;
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

describe('Random Cut Forest built-in through @aws-sdk/client-sagemaker on sensor anomalies', () => {
  const live = useLivePlinth();
  const data = sensorReadings(1);

  it('scores the labelled anomalies high and reports test:f1 as the three-sigma rule gives it', async () => {
    const job = await trainBuiltin(live, {
      bucket: 'rcf',
      name: 'rcf-sensors',
      image: builtinImage('randomcutforest'),
      hyperParameters: { feature_dim: '2', num_trees: '100', num_samples_per_tree: '256' },
      channels: {
        train: { body: toCsv(data.features), contentType: 'text/csv;label_size=0' },
        test: { body: toCsv(data.features, data.labels), contentType: 'text/csv;label_size=1' },
      },
    });
    const endpoint = await deployJob(live.sm, job);
    const answer = JSON.parse(
      await invokeText(live.runtime, endpoint, {
        body: toCsv(data.features),
        contentType: 'text/csv',
      }),
    ) as { scores: { score: number }[] };
    const scores = answer.scores.map((s) => s.score);
    expect(scores).toHaveLength(data.labels.length);
    expect(rocAuc(scores, data.labels)).toBeGreaterThan(0.98);
    const f1 = threeSigmaF1(scores, data.labels);
    expect(f1).toBeGreaterThan(0.8);
    expect(finalMetric(job, 'test:f1')).toBeCloseTo(f1, 3);
  });
});
