import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/service-context.js';
import type { EndpointBacklog } from './endpoint-metrics.js';
import { PrometheusEndpointMetrics } from './prometheus-endpoint-metrics.js';

const BACKLOG: EndpointBacklog = {
  endpoint: 'batchy',
  backlogSize: 6,
  backlogSizePerInstance: 3,
  hasBacklogWithoutCapacity: false,
  ageOfOldestRequestSeconds: 12.5,
};

describe('asynchronous endpoint metrics', () => {
  it("renders each endpoint's backlog under SageMaker's names, by EndpointName", async () => {
    const metrics = new PrometheusEndpointMetrics({
      instances: { instances: () => [] },
      clock: new ManualClock(),
      windowSeconds: 60,
      backlogs: {
        backlog: async () => BACKLOG,
        backlogs: async () => [
          BACKLOG,
          {
            ...BACKLOG,
            endpoint: 'idle',
            backlogSize: 1,
            backlogSizePerInstance: 1,
            hasBacklogWithoutCapacity: true,
          },
        ],
      },
    });
    const text = await metrics.render();
    expect(text).toContain('\nApproximateBacklogSize{EndpointName="batchy"} 6\n');
    expect(text).toContain('\nApproximateBacklogSizePerInstance{EndpointName="batchy"} 3\n');
    expect(text).toContain('\nApproximateAgeOfOldestRequest{EndpointName="batchy"} 12.5\n');
    expect(text).toContain('\nHasBacklogWithoutCapacity{EndpointName="batchy"} 0\n');
    expect(text).toContain('\nHasBacklogWithoutCapacity{EndpointName="idle"} 1\n');
    expect(await metrics.backlog('batchy')).toEqual(BACKLOG);
  });

  it('reads every backlog as empty without a source', async () => {
    const metrics = new PrometheusEndpointMetrics({
      instances: { instances: () => [] },
      clock: new ManualClock(),
      windowSeconds: 60,
    });
    expect(await metrics.backlog('any')).toEqual({
      endpoint: 'any',
      backlogSize: 0,
      backlogSizePerInstance: 0,
      hasBacklogWithoutCapacity: false,
      ageOfOldestRequestSeconds: 0,
    });
    expect(await metrics.render()).not.toMatch(/ApproximateBacklogSize\{/);
  });
});
