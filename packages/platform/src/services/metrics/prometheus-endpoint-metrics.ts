import { totalmem } from 'node:os';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../../core/clock.js';
import type {
  BacklogSource,
  EndpointBacklog,
  EndpointMetrics,
  InstanceSource,
  InvocationSample,
  MetricsExposition,
  RecentInvocations,
} from './endpoint-metrics.js';
import { InvocationWindow } from './invocation-window.js';
import { CpuUtilization, readProcessUsage } from './process-usage.js';

/** CloudWatch's dimensions for endpoint metrics, as Prometheus labels. */
const VARIANT_LABELS = ['EndpointName', 'VariantName'] as const;
/** Per-instance metrics add the instance's address (SageMaker keeps instances anonymous). */
const INSTANCE_LABELS = [...VARIANT_LABELS, 'Instance'] as const;
/**
 * ModelLatency and OverheadLatency buckets in microseconds, SageMaker's unit: 100 µs to 60 s,
 * finer around the 2 ms OverheadLatency goal so its p99 reads closely.
 */
const LATENCY_BUCKETS_US = [
  100, 250, 500, 750, 1_000, 1_500, 2_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
  500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000,
];
/** How long a variant's instance count (for InvocationsPerInstance) is reused before asking again. */
const INSTANCE_COUNT_TTL_MS = 1_000;

type VariantLabel = (typeof VARIANT_LABELS)[number];
type InstanceLabel = (typeof INSTANCE_LABELS)[number];

export interface PrometheusEndpointMetricsOptions {
  /** The model servers, for InvocationsPerInstance and per-instance CPU and memory. */
  readonly instances: InstanceSource;
  readonly clock: Clock;
  /** The longest window `recentInvocations` will be asked for, in seconds. */
  readonly windowSeconds: number;
  /** Where /proc is (tests may point elsewhere). */
  readonly procRoot?: string;
  /** Asynchronous endpoints' queues; without it every backlog reads empty. */
  readonly backlogs?: BacklogSource;
}

/**
 * Endpoint metrics under SageMaker's names in one prom-client registry owned by the platform
 * (never the global default one), plus per-second invocation windows for the autoscaler.
 * CPU and memory are read from /proc only when scraped.
 */
export class PrometheusEndpointMetrics implements EndpointMetrics, MetricsExposition {
  readonly registry = new Registry();
  readonly #invocations: Counter<VariantLabel>;
  readonly #errors4xx: Counter<VariantLabel>;
  readonly #errors5xx: Counter<VariantLabel>;
  readonly #perInstance: Counter<VariantLabel>;
  readonly #modelLatency: Histogram<VariantLabel>;
  readonly #overheadLatency: Histogram<VariantLabel>;
  readonly #modelSetup: Histogram<VariantLabel>;
  readonly #cpu: Gauge<InstanceLabel>;
  readonly #memory: Gauge<InstanceLabel>;
  readonly #backlogGauges: Record<BacklogMetric, Gauge<'EndpointName'>>;
  #backlogScrape: Promise<void> | undefined;
  readonly #windows = new Map<string, InvocationWindow>();
  readonly #cpuUtilization = new CpuUtilization();
  #instanceCounts = new Map<string, number>();
  #instanceCountsAt = Number.NEGATIVE_INFINITY;
  #usageScrape: Promise<void> | undefined;

  constructor(private readonly options: PrometheusEndpointMetricsOptions) {
    const registers = [this.registry];
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames: VARIANT_LABELS, registers });
    const latency = (name: string, help: string) =>
      new Histogram({
        name,
        help,
        labelNames: VARIANT_LABELS,
        buckets: LATENCY_BUCKETS_US,
        registers,
      });
    const usage = (name: string, help: string) =>
      new Gauge({
        name,
        help,
        labelNames: INSTANCE_LABELS,
        registers,
        collect: () => this.#scrapeUsage(),
      });
    this.#invocations = counter('Invocations', 'InvokeEndpoint requests sent to a model server.');
    this.#errors4xx = counter('Invocation4XXErrors', 'Invocations the model answered with 4xx.');
    this.#errors5xx = counter('Invocation5XXErrors', 'Invocations the model answered with 5xx.');
    this.#perInstance = counter(
      'InvocationsPerInstance',
      'Invocations, each counted 1/(instances of its variant at the time).',
    );
    this.#modelLatency = latency(
      'ModelLatency',
      'Microseconds the model server took to answer, as Plinth saw it.',
    );
    this.#overheadLatency = latency(
      'OverheadLatency',
      'Microseconds of the request spent in Plinth outside the model server.',
    );
    this.#modelSetup = latency(
      'ModelSetupTime',
      'Microseconds a serverless variant took to start a model server for a request (cold start).',
    );
    this.#cpu = usage('CPUUtilization', 'Percent of one core the model server used, over cores.');
    this.#memory = usage('MemoryUtilization', "Model server's resident memory, percent of RAM.");
    const backlog = (name: BacklogMetric, help: string) =>
      new Gauge({
        name,
        help,
        labelNames: ['EndpointName'] as const,
        registers,
        collect: () => this.#scrapeBacklogs(),
      });
    this.#backlogGauges = {
      ApproximateBacklogSize: backlog(
        'ApproximateBacklogSize',
        'Asynchronous requests waiting or with a model server.',
      ),
      ApproximateBacklogSizePerInstance: backlog(
        'ApproximateBacklogSizePerInstance',
        'ApproximateBacklogSize over the instances serving the endpoint.',
      ),
      ApproximateAgeOfOldestRequest: backlog(
        'ApproximateAgeOfOldestRequest',
        'Seconds the oldest asynchronous request in the backlog has waited.',
      ),
      HasBacklogWithoutCapacity: backlog(
        'HasBacklogWithoutCapacity',
        '1 when asynchronous requests wait and the endpoint has no instance, else 0.',
      ),
    };
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  renderJson(): Promise<unknown> {
    return this.registry.getMetricsAsJSON();
  }

  recordModelSetup(sample: { endpoint: string; variant: string; ms: number }): void {
    const labels = { EndpointName: sample.endpoint, VariantName: sample.variant };
    this.#modelSetup.observe(labels, sample.ms * 1000);
  }

  recordInvocation(sample: InvocationSample): void {
    const labels = { EndpointName: sample.endpoint, VariantName: sample.variant };
    const key = variantKey(sample.endpoint, sample.variant);
    const nowMs = this.options.clock.now().getTime();
    let window = this.#windows.get(key);
    if (!window) {
      window = new InvocationWindow(this.options.windowSeconds + 1);
      this.#windows.set(key, window);
      // Error counters show 0 from a variant's first invocation, not from its first error.
      this.#errors4xx.inc(labels, 0);
      this.#errors5xx.inc(labels, 0);
    }
    const instances = this.#instanceCount(key, nowMs);
    window.add(nowMs, instances);
    this.#invocations.inc(labels);
    this.#perInstance.inc(labels, 1 / instances);
    if (sample.status >= 500) this.#errors5xx.inc(labels);
    else if (sample.status >= 400) this.#errors4xx.inc(labels);
    this.#modelLatency.observe(labels, sample.modelLatencyMs * 1000);
    this.#overheadLatency.observe(labels, sample.overheadLatencyMs * 1000);
  }

  recentInvocations(endpoint: string, variant: string, windowMs: number): RecentInvocations {
    const window = this.#windows.get(variantKey(endpoint, variant));
    if (!window) return { invocations: 0, perInstance: 0 };
    return window.sum(this.options.clock.now().getTime(), windowMs);
  }

  async backlog(endpoint: string): Promise<EndpointBacklog> {
    return (await this.options.backlogs?.backlog(endpoint)) ?? emptyBacklog(endpoint);
  }

  /** The four backlog gauges are collected by one scrape: the queues are read once for them. */
  #scrapeBacklogs(): Promise<void> {
    this.#backlogScrape ??= this.#readBacklogs().finally(() => {
      this.#backlogScrape = undefined;
    });
    return this.#backlogScrape;
  }

  async #readBacklogs(): Promise<void> {
    const backlogs = (await this.options.backlogs?.backlogs()) ?? [];
    const gauges = this.#backlogGauges;
    for (const gauge of Object.values(gauges)) gauge.reset();
    for (const b of backlogs) {
      const labels = { EndpointName: b.endpoint };
      gauges.ApproximateBacklogSize.set(labels, b.backlogSize);
      gauges.ApproximateBacklogSizePerInstance.set(labels, b.backlogSizePerInstance);
      gauges.ApproximateAgeOfOldestRequest.set(labels, b.ageOfOldestRequestSeconds);
      gauges.HasBacklogWithoutCapacity.set(labels, b.hasBacklogWithoutCapacity ? 1 : 0);
    }
  }

  /** The variant's instances now (at least 1), asking the fleet at most once a second. */
  #instanceCount(key: string, nowMs: number): number {
    if (nowMs - this.#instanceCountsAt >= INSTANCE_COUNT_TTL_MS) {
      const counts = new Map<string, number>();
      for (const instance of this.options.instances.instances()) {
        const k = variantKey(instance.endpoint, instance.variant);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      this.#instanceCounts = counts;
      this.#instanceCountsAt = nowMs;
    }
    return Math.max(1, this.#instanceCounts.get(key) ?? 1);
  }

  /** Both usage gauges are collected in parallel by one scrape: /proc is read once for them. */
  #scrapeUsage(): Promise<void> {
    this.#usageScrape ??= this.#readUsage().finally(() => {
      this.#usageScrape = undefined;
    });
    return this.#usageScrape;
  }

  async #readUsage(): Promise<void> {
    const instances = this.options.instances.instances();
    const readings = await Promise.all(
      instances.map((i) => readProcessUsage(i.pid, this.options.procRoot)),
    );
    const nowMs = this.options.clock.now().getTime();
    const memory = totalmem();
    this.#cpu.reset();
    this.#memory.reset();
    instances.forEach((instance, index) => {
      const usage = readings[index];
      if (!usage) return;
      const labels = {
        EndpointName: instance.endpoint,
        VariantName: instance.variant,
        Instance: instance.url,
      };
      this.#cpu.set(labels, this.#cpuUtilization.percent(instance.pid, usage, nowMs));
      this.#memory.set(labels, (usage.rssBytes / memory) * 100);
    });
    this.#cpuUtilization.keepOnly(new Set(instances.map((i) => i.pid)));
  }
}

/** SageMaker's metrics of an asynchronous endpoint's queue. */
type BacklogMetric =
  | 'ApproximateBacklogSize'
  | 'ApproximateBacklogSizePerInstance'
  | 'ApproximateAgeOfOldestRequest'
  | 'HasBacklogWithoutCapacity';

function emptyBacklog(endpoint: string): EndpointBacklog {
  return {
    endpoint,
    backlogSize: 0,
    backlogSizePerInstance: 0,
    hasBacklogWithoutCapacity: false,
    ageOfOldestRequestSeconds: 0,
  };
}

function variantKey(endpoint: string, variant: string): string {
  return `${endpoint}\n${variant}`;
}
