import { describe, expect, it } from 'vitest';
import { BUILTIN_METRIC_DEFINITIONS, MetricCollector } from './metrics.js';

describe('MetricCollector', () => {
  const at = new Date('2026-01-01T00:00:00Z');

  it('keeps the last value each definition captured', () => {
    const metrics = new MetricCollector(
      [{ Name: 'train:loss', Regex: 'loss=([0-9.]+)' }],
      () => at,
    );
    for (const line of ['epoch 1 loss=0.9', 'no metric here', 'epoch 2 loss=0.4'])
      metrics.observe(line);
    expect(metrics.final()).toEqual([{ MetricName: 'train:loss', Value: 0.4, Timestamp: at }]);
  });

  it('skips regexes that do not compile and captures that are not numbers', () => {
    const metrics = new MetricCollector(
      [
        { Name: 'broken', Regex: '([' },
        { Name: 'word', Regex: 'value=(\\w+)' },
      ],
      () => at,
    );
    metrics.observe('value=high');
    expect(metrics.final()).toEqual([]);
  });

  it("reads the built-in k-means program's quality lines", () => {
    const metrics = new MetricCollector(BUILTIN_METRIC_DEFINITIONS.kmeans!, () => at);
    metrics.observe(
      '[11/23/2026 14:00:00 INFO 42] #quality_metric: host=algo-1, test msd <loss>=0.25',
    );
    metrics.observe(
      '[11/23/2026 14:00:00 INFO 42] #quality_metric: host=algo-1, test ssd <loss>=7.5',
    );
    expect(metrics.final().map((m) => [m.MetricName, m.Value])).toEqual([
      ['test:msd', 0.25],
      ['test:ssd', 7.5],
    ]);
  });

  it("reads the built-in linear-learner's per-epoch and final lines as SageMaker's definitions do", () => {
    const metrics = new MetricCollector(BUILTIN_METRIC_DEFINITIONS['linear-learner']!, () => at);
    for (const line of [
      '#quality_metric: host=algo-1, epoch=0, train binary_classification_cross_entropy_objective <loss>=0.6',
      '#quality_metric: host=algo-1, epoch=0, validation binary_classification_accuracy <score>=0.7',
      '#quality_metric: host=algo-1, epoch=1, train binary_classification_cross_entropy_objective <loss>=0.3',
      '#quality_metric: host=algo-1, validation binary_classification_accuracy <score>=0.95',
      '#quality_metric: host=algo-1, test binary_f_1.000 <score>=0.9',
    ]) {
      metrics.observe(line);
    }
    expect(Object.fromEntries(metrics.final().map((m) => [m.MetricName, m.Value]))).toEqual({
      'train:objective_loss': 0.3,
      'validation:binary_classification_accuracy': 0.95,
      'test:binary_f_beta': 0.9,
    });
  });

  it.each([
    [
      'pca',
      ['#quality_metric: host=algo-1, train explained_variance_ratio <score>=0.91'],
      { 'train:explained_variance_ratio': 0.91 },
    ],
    [
      'knn',
      ['#quality_metric: host=algo-1, test accuracy <score>=0.97'],
      { 'test:accuracy': 0.97 },
    ],
    [
      'randomcutforest',
      [
        '#quality_metric: host=algo-1, test f1 <score>=0.875',
        '#quality_metric: host=algo-1, test f1_normal <score>=0.99',
      ],
      { 'test:f1': 0.875 },
    ],
    [
      'factorization-machines',
      [
        '#quality_metric: host=algo-1, epoch=0, train binary_classification_accuracy <score>=0.7',
        '#quality_metric: host=algo-1, epoch=1, train binary_classification_accuracy <score>=0.8',
        '#quality_metric: host=algo-1, test binary_f_1.000 <score>=0.6',
      ],
      { 'train:binary_classification_accuracy': 0.8, 'test:binary_f_beta': 0.6 },
    ],
    [
      'xgboost',
      [
        '[0]#011train-auc:0.61#011validation-auc:0.60',
        '[1]#011train-auc:0.66#011validation-auc:0.64#011validation-logloss:0.5',
      ],
      { 'train:auc': 0.66, 'validation:auc': 0.64, 'validation:logloss': 0.5 },
    ],
  ])("reads the built-in %s's quality lines", (algorithm, lines, expected) => {
    const metrics = new MetricCollector(BUILTIN_METRIC_DEFINITIONS[algorithm]!, () => at);
    for (const line of lines) metrics.observe(`[11/23/2026 14:00:00 INFO 42] ${line}`);
    expect(Object.fromEntries(metrics.final().map((m) => [m.MetricName, m.Value]))).toEqual(
      expected,
    );
  });
});
