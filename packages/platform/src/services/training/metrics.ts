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

/** The metrics Plinth's built-in algorithms print, as SageMaker predefines them for its own. */
export const BUILTIN_METRIC_DEFINITIONS: Readonly<Record<string, readonly MetricDefinition[]>> = {
  kmeans: [
    { Name: 'test:msd', Regex: '#quality_metric: host=\\S+, test msd <loss>=(\\S+)' },
    { Name: 'test:ssd', Regex: '#quality_metric: host=\\S+, test ssd <loss>=(\\S+)' },
  ],
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
};
