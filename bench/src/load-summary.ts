import type { LoadResult } from './load.js';
import { median } from './processes.js';

/** One side's figures over its rounds: medians of rate and latency, failures summed. */
export interface LoadSummary {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts and non-2xx answers, over all rounds. */
  readonly failed: number;
}

export function summarizeLoad(results: readonly LoadResult[]): LoadSummary {
  return {
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    failed: results.reduce((n, r) => n + failedRequests(r), 0),
  };
}

/** The failures of one run: connection errors (timeouts included) and non-2xx answers. */
export function failedRequests(result: LoadResult): number {
  return result.errors + result.non2xx;
}
