// Plinth's own OverheadLatency (the time a request spends in Plinth outside the model server,
// SageMaker's metric) read from GET /metrics, and the estimate from outside that stands in
// for it where the server does not publish it.
import {
  bucketsBetween,
  histogramQuantile,
  readBuckets,
  readSummaryQuantile,
} from './prometheus-histogram.js';

/** OverheadLatency's p99 Plinth should keep to, in milliseconds. */
export const OVERHEAD_P99_GOAL_MS = 2;
/** SageMaker publishes its latency metrics in microseconds; so does Plinth. */
const MS_PER_UNIT = 1 / 1000;

/** The text of `GET <url>/metrics`, or undefined when the server has no such page. */
export async function scrapeMetrics(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/metrics`);
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** A latency quantile Plinth published, in milliseconds, and how precise it is. */
interface PublishedQuantile {
  readonly ms: number;
  /** e.g. `bucket 0-0.1 ms` for a histogram; empty for a summary's own quantile. */
  readonly precision: string;
}

/**
 * The p99 of one of Plinth's latency metrics (microseconds) over what was observed between two
 * scrapes (a histogram), or the server's own p99 (a summary); undefined when not published.
 */
export function publishedP99(
  metric: string,
  scrapes: { before: string | undefined; after: string | undefined; endpoint: string },
): PublishedQuantile | undefined {
  if (scrapes.after === undefined) return undefined;
  const series = { name: metric, labels: { EndpointName: scrapes.endpoint } };
  const after = readBuckets(scrapes.after, series);
  if (after) {
    const before = scrapes.before === undefined ? undefined : readBuckets(scrapes.before, series);
    const q = histogramQuantile(0.99, bucketsBetween(before, after));
    if (q === undefined) return undefined;
    const ms = (us: number) => +(us * MS_PER_UNIT).toPrecision(3);
    return { ms: q.value * MS_PER_UNIT, precision: `bucket ${ms(q.lower)}-${ms(q.upper)} ms` };
  }
  const p99 = readSummaryQuantile(scrapes.after, series, 0.99);
  return p99 === undefined ? undefined : { ms: p99 * MS_PER_UNIT, precision: '' };
}

/**
 * The overhead lines of the report: Plinth's published OverheadLatency p99 against the goal
 * and its ModelLatency p99 when it publishes them, and always the estimate from outside,
 * p99(Plinth) - p99(model server directly).
 */
export function overheadReport(input: {
  before: string | undefined;
  after: string | undefined;
  endpoint: string;
  p99Ms: { plinth: number; direct: number };
}): string {
  const goal = (ms: number) =>
    `goal <= ${OVERHEAD_P99_GOAL_MS} ms: ${ms <= OVERHEAD_P99_GOAL_MS ? 'met' : 'not met'}`;
  const estimate = input.p99Ms.plinth - input.p99Ms.direct;
  const estimateLine = `p99(Plinth) - p99(model server directly) at the same load: ${estimate.toFixed(1)} ms`;
  const overhead = publishedP99('OverheadLatency', input);
  if (overhead === undefined) {
    return `Plinth publishes no OverheadLatency at GET /metrics. Estimate from outside, ${estimateLine} (${goal(estimate)}; queueing at this load included).`;
  }
  const precision = (q: PublishedQuantile) => (q.precision ? `${q.precision}; ` : '');
  const lines = [
    `OverheadLatency p99 from Plinth's GET /metrics over the measured rounds: ${overhead.ms.toFixed(2)} ms (${precision(overhead)}${goal(overhead.ms)} by this metric).`,
  ];
  const model = publishedP99('ModelLatency', input);
  if (model) {
    lines.push(
      `ModelLatency p99 from the same scrapes: ${model.ms.toFixed(1)} ms (${precision(model)}the model server measured directly at the same load: p99 ${input.p99Ms.direct} ms).`,
    );
  }
  lines.push(`From outside, ${estimateLine} (queueing at this load included).`);
  return lines.join('\n');
}
