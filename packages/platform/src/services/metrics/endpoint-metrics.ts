/**
 * Endpoint metrics as SageMaker publishes them to CloudWatch (`AWS/SageMaker`, dimensions
 * EndpointName and VariantName). The runtime records each invocation; the autoscaler reads
 * recent invocations; `GET /metrics` renders everything for Prometheus.
 */

/** One InvokeEndpoint request that a model server answered. */
export interface InvocationSample {
  readonly endpoint: string;
  readonly variant: string;
  /** The model server's HTTP status: 4xx and 5xx count as Invocation4XXErrors / 5XXErrors. */
  readonly status: number;
  /** From sending the request to the model server until its whole answer was read. */
  readonly modelLatencyMs: number;
  /** The rest of the request's time in Plinth (routing, parsing, answering). */
  readonly overheadLatencyMs: number;
}

/** Invocations of one variant over a recent window. */
export interface RecentInvocations {
  readonly invocations: number;
  /**
   * SageMaker's InvocationsPerInstance summed over the window: each request counts
   * 1 / (the variant's instances when it arrived).
   */
  readonly perInstance: number;
}

/**
 * The port the runtime and the autoscaler share. `recordInvocation` runs on every invocation,
 * so it must be cheap and must not throw.
 */
export interface EndpointMetrics {
  recordInvocation(sample: InvocationSample): void;
  /** A serverless variant's cold start took `ms` (SageMaker's ModelSetupTime). */
  recordModelSetup(sample: { endpoint: string; variant: string; ms: number }): void;
  /** What the variant served in the last `windowMs` (up to the window the metrics keep). */
  recentInvocations(endpoint: string, variant: string, windowMs: number): RecentInvocations;
  /** An asynchronous endpoint's queue now (all zeros for an endpoint with none). */
  backlog(endpoint: string): Promise<EndpointBacklog>;
}

/** The metrics as text for a scraper (`GET /metrics`). */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
  /** The same metrics as JSON (prom-client's form: name, type, values with labels), for the CLI. */
  renderJson(): Promise<unknown>;
}

/** A model-server process in rotation. */
export interface ServingInstance {
  readonly endpoint: string;
  readonly variant: string;
  readonly pid: number;
  readonly url: string;
}

/** Where the metrics learn which model servers run (the endpoint fleet). */
export interface InstanceSource {
  instances(): readonly ServingInstance[];
}

/**
 * An asynchronous endpoint's queue, as SageMaker's asynchronous endpoint metrics describe it
 * (`AWS/SageMaker`, dimension EndpointName).
 */
export interface EndpointBacklog {
  readonly endpoint: string;
  /** ApproximateBacklogSize: requests waiting or with a model server. */
  readonly backlogSize: number;
  /** ApproximateBacklogSizePerInstance: the backlog over the instances (over 1 when there are none). */
  readonly backlogSizePerInstance: number;
  /** HasBacklogWithoutCapacity: requests wait and the endpoint has no instance. */
  readonly hasBacklogWithoutCapacity: boolean;
  /** ApproximateAgeOfOldestRequest, in seconds; 0 with an empty backlog. */
  readonly ageOfOldestRequestSeconds: number;
}

/** Where the metrics learn about asynchronous endpoints' queues (the async inference service). */
export interface BacklogSource {
  backlog(endpoint: string): Promise<EndpointBacklog>;
  /** The backlogs of every endpoint that had asynchronous requests since the server started. */
  backlogs(): Promise<readonly EndpointBacklog[]>;
}
