import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import type { SageMakerConnection } from '../client.js';
import { sleep } from '../sleep.js';

/** An endpoint as DescribeEndpoint returns it. */
export type EndpointDescription = DescribeEndpointCommandOutput;

/** How often a deploying endpoint is polled; Plinth starts built-in model servers in about a second. */
export const ENDPOINT_POLL_INTERVAL_MS = 500;

/** The statuses an endpoint passes through on its way to InService (or Failed). */
const CHANGING = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack']);

/** True once an endpoint is no longer on its way somewhere: InService, Failed, OutOfService… */
export function hasSettled(status: string | undefined): boolean {
  return status !== undefined && !CHANGING.has(status);
}

/** What following an endpoint needs. */
export interface FollowEndpointOptions {
  readonly sm: SageMakerConnection;
  readonly name: string;
  /** Called with each poll's description. */
  readonly onUpdate: (endpoint: EndpointDescription) => void;
  /** Stops following (the endpoint keeps being created). */
  readonly signal?: AbortSignal;
  readonly intervalMs?: number;
}

/**
 * Polls DescribeEndpoint until the endpoint settles, and resolves with its final description;
 * or with undefined once `signal` aborts.
 */
export async function followEndpoint(
  options: FollowEndpointOptions,
): Promise<EndpointDescription | undefined> {
  const { sm, name, signal } = options;
  for (;;) {
    const described = await sm.client.send(
      new sm.sdk.DescribeEndpointCommand({ EndpointName: name }),
    );
    if (signal?.aborted) return undefined;
    options.onUpdate(described);
    if (hasSettled(described.EndpointStatus)) return described;
    await sleep(options.intervalMs ?? ENDPOINT_POLL_INTERVAL_MS, signal);
    if (signal?.aborted) return undefined;
  }
}
