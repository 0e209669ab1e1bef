import type { MetricData } from './training-job-types.js';

/** A metric definition whose regex captures the value in its first group, as SageMaker's do. */
export interface MetricDefinition {
  readonly Name: string;
  readonly Regex: string;
}

/**
 * Applies MetricDefinitions to log lines as SageMaker does, keeping each metric's last value
 * (FinalMetricDataList). A regex that does not compile is skipped rather than failing the job.
 */
export class MetricCollector {
  readonly #matchers: { name: string; regex: RegExp }[];
  readonly #latest = new Map<string, MetricData>();

  constructor(
    definitions: readonly MetricDefinition[],
    private readonly now: () => Date,
  ) {
    this.#matchers = definitions.flatMap((d) => {
      try {
        return [{ name: d.Name, regex: new RegExp(d.Regex) }];
      } catch {
        return [];
      }
    });
  }

  observe(line: string): void {
    for (const { name, regex } of this.#matchers) {
      const match = regex.exec(line);
      const value = match?.[1] === undefined ? Number.NaN : Number(match[1]);
      if (Number.isFinite(value))
        this.#latest.set(name, { MetricName: name, Value: value, Timestamp: this.now() });
    }
  }

  final(): MetricData[] {
    return [...this.#latest.values()];
  }
}

/** The evaluation metrics SageMaker's XGBoost reports for tuning, by `eval_metric` name. */
const XGBOOST_METRICS = [
  'accuracy',
  'auc',
  'aucpr',
  'balanced_accuracy',
  'error',
  'f1',
  'f1_binary',
  'f1_macro',
  'gamma-deviance',
  'gamma-nloglik',
  'logloss',
  'mae',
  'map',
  'mape',
  'merror',
  'mlogloss',
  'mphe',
  'mse',
  'ndcg',
  'poisson-nloglik',
  'precision',
  'precision_macro',
  'precision_micro',
  'r2',
  'recall',
  'recall_macro',
  'recall_micro',
  'rmse',
  'rmsle',
  'tweedie-nloglik',
];

/** The metrics Plinth's built-in algorithms print, as SageMaker predefines them for its own. */
export const BUILTIN_METRIC_DEFINITIONS: Readonly<Record<string, readonly MetricDefinition[]>> = {
  kmeans: [finalMetric('test', 'msd', 'loss'), finalMetric('test', 'ssd', 'loss')],
  'linear-learner': [
    ...['train', 'validation'].map((channel) => ({
      Name: `${channel}:objective_loss`,
      Regex: `#quality_metric: host=\\S+, epoch=\\S+, ${channel} \\S+_objective <loss>=(\\S+)`,
    })),
    {
      Name: 'test:objective_loss',
      Regex: '#quality_metric: host=\\S+, test \\S+_objective <loss>=(\\S+)',
    },
    ...['validation', 'test'].flatMap((channel) =>
      [
        ['binary_classification_accuracy', 'score'],
        ['precision', 'score'],
        ['recall', 'score'],
        ['binary_f_beta', 'score', 'binary_f_1.000'],
        ['multiclass_accuracy', 'score'],
        ['mse', 'loss'],
        ['absolute_loss', 'loss'],
      ].map(([name, kind, printed]) => ({
        Name: `${channel}:${name}`,
        Regex: `#quality_metric: host=\\S+, ${channel} ${printed ?? name} <${kind}>=(\\S+)`,
      })),
    ),
  ],
  pca: [
    finalMetric('train', 'explained_variance_ratio', 'score'),
    finalMetric('test', 'explained_variance_ratio', 'score'),
    finalMetric('test', 'msd', 'loss'),
  ],
  knn: [finalMetric('test', 'accuracy', 'score'), finalMetric('test', 'mse', 'loss')],
  randomcutforest: ['f1', 'precision', 'recall', 'accuracy'].map((name) =>
    finalMetric('test', name, 'score'),
  ),
  'factorization-machines': (['train', 'test'] as const).flatMap((channel) => {
    // Training values come once per epoch, test values once at the end.
    const epoch = channel === 'train' ? 'epoch=\\S+, ' : '';
    return [
      ['binary_classification_accuracy', 'score'],
      ['binary_classification_cross_entropy', 'loss'],
      ['binary_f_beta', 'score', 'binary_f_\\S+'],
      ['rmse', 'loss'],
    ].map(([name, kind, printed]) => ({
      Name: `${channel}:${name}`,
      Regex: `#quality_metric: host=\\S+, ${epoch}${channel} ${printed ?? name} <${kind}>=(\\S+)`,
    }));
  }),
  xgboost: ['train', 'validation'].flatMap((channel) =>
    XGBOOST_METRICS.map((name) => ({
      Name: `${channel}:${name}`,
      // SageMaker's own definition: the round's line as its log shows it, tabs as #011.
      Regex: `.*\\[[0-9]+\\].*#011${channel}-${name}:([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*`,
    })),
  ),
};

/** A metric a built-in prints once at the end, e.g. `#quality_metric: host=algo-1, test f1 <score>=0.8`. */
function finalMetric(channel: string, name: string, kind: 'loss' | 'score'): MetricDefinition {
  return {
    Name: `${channel}:${name}`,
    Regex: `#quality_metric: host=\\S+, ${channel} ${name} <${kind}>=(\\S+)`,
  };
}
