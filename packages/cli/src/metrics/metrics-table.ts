/** One metric as the server's `GET /metrics` gives it in JSON (prom-client's form). */
export interface MetricJson {
  readonly name: string;
  readonly type: string;
  readonly values: readonly {
    readonly value: number;
    readonly metricName?: string;
    readonly labels: Readonly<Record<string, string | number>>;
  }[];
}

/** The columns `plinth metrics` shows, one row per endpoint variant. */
export const METRICS_HEADERS = [
  'ENDPOINT',
  'VARIANT',
  'INVOCATIONS',
  '4XX',
  '5XX',
  'MODEL ms',
  'OVERHEAD ms',
  'CPU %',
  'MEMORY %',
] as const;

/**
 * Rows of per-variant figures, SageMaker's metric names summed since the server started:
 * invocation and error counts, average ModelLatency and OverheadLatency (in ms; the server
 * keeps microseconds, as SageMaker does), and CPU and memory summed over the variant's model
 * servers. `endpoint` keeps one endpoint's variants.
 */
export function metricsRows(metrics: readonly MetricJson[], endpoint?: string): string[][] {
  const rows = new Map<string, Map<string, number>>();
  const add = (labels: Readonly<Record<string, string | number>>, key: string, value: number) => {
    const name = String(labels.EndpointName ?? '');
    const variant = String(labels.VariantName ?? '');
    if (!name || (endpoint && name !== endpoint)) return;
    const id = `${name}\u0000${variant}`;
    const row = rows.get(id) ?? new Map<string, number>();
    rows.set(id, row);
    row.set(key, (row.get(key) ?? 0) + value);
  };
  for (const metric of metrics) {
    for (const sample of metric.values) {
      const name = sample.metricName ?? metric.name;
      if (name.endsWith('_bucket')) continue;
      add(sample.labels, name, sample.value);
    }
  }
  const average = (row: Map<string, number>, metric: string) => {
    const count = row.get(`${metric}_count`) ?? 0;
    return count > 0 ? ((row.get(`${metric}_sum`) ?? 0) / count / 1000).toFixed(2) : '-';
  };
  const count = (row: Map<string, number>, metric: string) => String(row.get(metric) ?? 0);
  const percent = (row: Map<string, number>, metric: string) =>
    row.has(metric) ? row.get(metric)!.toFixed(1) : '-';
  return [...rows]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, row]) => [
      ...id.split('\u0000'),
      count(row, 'Invocations'),
      count(row, 'Invocation4XXErrors'),
      count(row, 'Invocation5XXErrors'),
      average(row, 'ModelLatency'),
      average(row, 'OverheadLatency'),
      percent(row, 'CPUUtilization'),
      percent(row, 'MemoryUtilization'),
    ]);
}
