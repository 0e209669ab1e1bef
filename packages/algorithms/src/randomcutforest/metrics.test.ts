import { describe, expect, it } from 'vitest';
import { evaluateScores, testMetrics } from './metrics.js';

describe('test-channel metrics', () => {
  // 40 records: 36 scores of 1, then 12, 12, 1, 12; mean 1.825, population standard deviation
  // 2.90, so the threshold is 10.5: the three 12s are flagged.
  const scores = Float64Array.from([...Array<number>(36).fill(1), 12, 12, 1, 12]);
  const labels = Uint8Array.from([...Array<number>(35).fill(0), 1, 1, 0, 1, 0]);

  it('flags scores beyond mean + 3 standard deviations and counts agreements with the labels', () => {
    const mean = scores.reduce((a, b) => a + b) / scores.length;
    const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    expect(mean + 3 * sd).toBeLessThan(12);
    const evaluation = evaluateScores(scores, labels);
    expect(evaluation.threshold).toBeCloseTo(mean + 3 * sd, 12);
    // Flagged: records 36, 37, 39 (score 12). Anomalies: 35, 36, 38.
    expect(evaluation).toMatchObject({
      records: 40,
      truePositives: 1,
      falsePositives: 2,
      falseNegatives: 2,
      trueNegatives: 35,
    });
  });

  it("reports SageMaker's metrics for the requested eval_metrics", () => {
    const evaluation = evaluateScores(scores, labels);
    const values = (metrics: ReturnType<typeof testMetrics>) =>
      Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    expect(values(testMetrics(evaluation, ['accuracy']))).toEqual({ 'test accuracy': 36 / 40 });
    const all = testMetrics(evaluation, ['accuracy', 'precision_recall_fscore']);
    expect(all.every((m) => m.kind === 'score')).toBe(true);
    const got = values(all);
    expect(got['test precision']).toBeCloseTo(1 / 3, 12);
    expect(got['test recall']).toBeCloseTo(1 / 3, 12);
    expect(got['test f1']).toBeCloseTo(1 / 3, 12);
    expect(got['test precision_normal']).toBeCloseTo(35 / 37, 12);
    expect(got['test recall_normal']).toBeCloseTo(35 / 37, 12);
    expect(got['test f1_normal']).toBeCloseTo(35 / 37, 12);
  });

  it('reports 0 rather than NaN when nothing is flagged', () => {
    const flat = evaluateScores(new Float64Array(10).fill(2), new Uint8Array(10).fill(1));
    expect(flat.truePositives + flat.falsePositives).toBe(0);
    const got = testMetrics(flat, ['precision_recall_fscore']);
    expect(got.find((m) => m.name === 'test precision')?.value).toBe(0);
    expect(got.find((m) => m.name === 'test f1')?.value).toBe(0);
  });
});
