// Serverless cold start: an endpoint with a ServerlessConfig variant is left idle until Plinth
// has stopped its model server (checked through its pid files), then one request is timed from
// sending to answer; warm requests right after give the contrast. Plinth must run with a short
// PLINTH_SERVERLESS_IDLE_SECONDS.
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { setTimeout as sleep } from 'node:timers/promises';
import { runningInstancePids } from './instance-pids.js';
import { markdownTable } from './markdown.js';
import { scrapeMetrics } from './overhead-latency.js';
import { waitInService } from './plinth-hosting.js';
import { median } from './processes.js';
import {
  bucketsBetween,
  histogramQuantile,
  readBuckets,
  readSum,
  type Series,
} from './prometheus-histogram.js';
import { invokeEndpoint, type Invocation } from './runtime-calls.js';

/** The longest cold start the goal allows, in milliseconds. */
export const COLD_START_GOAL_MS = 1000;
const VARIANT = 'AllTraffic';
/** How long to wait for the idle model server to stop before giving up. */
const IDLE_LIMIT_MS = 60_000;
const POLL_MS = 20;

export interface ColdStartBench {
  readonly sm: SageMakerClient;
  readonly url: string;
  readonly dataDir: string;
  readonly endpoint: string;
  readonly model: string;
  readonly coldStarts: number;
  readonly warmRequests: number;
  readonly invocation: Invocation;
}

/** A serverless endpoint of `model`, InService. */
async function createServerlessEndpoint(bench: ColdStartBench): Promise<void> {
  await bench.sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: bench.endpoint,
      ProductionVariants: [
        {
          VariantName: VARIANT,
          ModelName: bench.model,
          ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
        },
      ],
    }),
  );
  await bench.sm.send(
    new CreateEndpointCommand({ EndpointName: bench.endpoint, EndpointConfigName: bench.endpoint }),
  );
  await waitInService(bench.sm, bench.endpoint);
}

/** Resolves once none of the endpoint's model servers runs; how long that took. */
async function untilScaledToZero(bench: ColdStartBench): Promise<number> {
  const started = performance.now();
  while (runningInstancePids(bench.dataDir, bench.endpoint, VARIANT).length > 0) {
    if (performance.now() - started > IDLE_LIMIT_MS)
      throw new Error(`${bench.endpoint}'s model server still runs after ${IDLE_LIMIT_MS} ms idle`);
    await sleep(POLL_MS);
  }
  return performance.now() - started;
}

async function timed(bench: ColdStartBench): Promise<number> {
  const started = performance.now();
  await invokeEndpoint(bench.url, bench.endpoint, bench.invocation);
  return performance.now() - started;
}

/** The section's markdown: cold and warm latencies, ModelSetupTime and the goal. */
export async function serverlessColdStart(bench: ColdStartBench): Promise<string> {
  await createServerlessEndpoint(bench);
  const before = await scrapeMetrics(bench.url);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < bench.coldStarts; i++) {
    await untilScaledToZero(bench);
    cold.push(await timed(bench));
    const running = runningInstancePids(bench.dataDir, bench.endpoint, VARIANT).length;
    if (running !== 1)
      throw new Error(`expected 1 model server after a cold start, found ${running}`);
    for (let j = 0; j < bench.warmRequests; j++) warm.push(await timed(bench));
  }
  const after = await scrapeMetrics(bench.url);
  const ms = (value: number) => value.toFixed(0);
  const table = markdownTable(
    ['request', 'count', 'median ms', 'max ms'],
    [
      [
        'cold (no model server running)',
        String(cold.length),
        ms(median(cold)),
        ms(Math.max(...cold)),
      ],
      ['warm (right after)', String(warm.length), ms(median(warm)), ms(Math.max(...warm))],
    ],
  );
  const worst = Math.max(...cold);
  return [
    table,
    '',
    modelSetupLine(bench.endpoint, { before, after }),
    '',
    `Slowest cold start ${ms(worst)} ms, median ${ms(median(cold))} ms (goal <= ${COLD_START_GOAL_MS} ms: ${worst <= COLD_START_GOAL_MS ? 'met' : 'not met'}).`,
  ].join('\n');
}

/** ModelSetupTime (microseconds) observed between two scrapes: count, mean and p50/max buckets. */
function modelSetupLine(
  endpoint: string,
  scrapes: { before: string | undefined; after: string | undefined },
): string {
  const series: Series = { name: 'ModelSetupTime', labels: { EndpointName: endpoint } };
  const after = scrapes.after && readBuckets(scrapes.after, series);
  if (!after) return 'Plinth published no ModelSetupTime at GET /metrics.';
  const before = scrapes.before && readBuckets(scrapes.before, series);
  const buckets = bucketsBetween(before || undefined, after);
  const count = buckets.get(Infinity) ?? 0;
  const sum = (text: string | undefined) =>
    text === undefined ? 0 : readSum(text, { ...series, name: 'ModelSetupTime_sum' });
  const meanMs = (sum(scrapes.after) - sum(scrapes.before)) / Math.max(count, 1) / 1000;
  const bucket = (q: number) => {
    const found = histogramQuantile(q, buckets);
    if (!found) return '-';
    const upper = found.upper === Infinity ? 'inf' : (found.upper / 1000).toFixed(0);
    return `${(found.lower / 1000).toFixed(0)}-${upper} ms`;
  };
  return `ModelSetupTime from Plinth's GET /metrics over these cold starts: ${count} observed, mean ${meanMs.toFixed(0)} ms, median in bucket ${bucket(0.5)}, max in bucket ${bucket(1)}.`;
}
