import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/service-context.js';
import type { ServingInstance } from './endpoint-metrics.js';
import { PrometheusEndpointMetrics } from './prometheus-endpoint-metrics.js';

function setup(instances: ServingInstance[], windowSeconds = 60) {
  const clock = new ManualClock();
  const metrics = new PrometheusEndpointMetrics({
    instances: { instances: () => instances },
    clock,
    windowSeconds,
  });
  return { clock, metrics };
}

const sample = {
  endpoint: 'shop',
  variant: 'AllTraffic',
  modelLatencyMs: 3,
  overheadLatencyMs: 0.4,
};

describe('PrometheusEndpointMetrics', () => {
  it("renders SageMaker's invocation metrics per endpoint and variant, latencies in µs", async () => {
    const two = [1, 2].map((i) => ({ ...sample, pid: -1, url: `http://127.0.0.1:${i}` }));
    const { metrics } = setup(two);
    metrics.recordInvocation({ ...sample, status: 200 });
    metrics.recordInvocation({ ...sample, status: 200 });
    metrics.recordInvocation({ ...sample, status: 404 });
    metrics.recordInvocation({ ...sample, status: 503 });
    const text = await metrics.render();
    const labels = '{EndpointName="shop",VariantName="AllTraffic"}';
    expect(text).toContain(`\nInvocations${labels} 4\n`);
    expect(text).toContain(`\nInvocation4XXErrors${labels} 1\n`);
    expect(text).toContain(`\nInvocation5XXErrors${labels} 1\n`);
    expect(text).toContain(`\nInvocationsPerInstance${labels} 2\n`);
    expect(text).toContain(`\nModelLatency_sum${labels} 12000\n`);
    expect(text).toContain(
      `\nModelLatency_bucket{le="2500",EndpointName="shop",VariantName="AllTraffic"} 0\n`,
    );
    expect(text).toContain(
      `\nModelLatency_bucket{le="5000",EndpointName="shop",VariantName="AllTraffic"} 4\n`,
    );
    expect(text).toContain(`\nOverheadLatency_sum${labels} 1600\n`);
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('shows error counters at 0 from the first invocation', async () => {
    const { metrics } = setup([]);
    metrics.recordInvocation({ ...sample, status: 200 });
    expect(await metrics.render()).toContain(
      '\nInvocation5XXErrors{EndpointName="shop",VariantName="AllTraffic"} 0\n',
    );
  });

  it('sums recent invocations over the window asked for, each counted 1/instances', () => {
    const instances: ServingInstance[] = [{ ...sample, pid: -1, url: 'a' }];
    const { clock, metrics } = setup(instances, 10);
    metrics.recordInvocation({ ...sample, status: 200 });
    clock.advance(1_000);
    instances.push({ ...sample, pid: -1, url: 'b' });
    metrics.recordInvocation({ ...sample, status: 200 });
    metrics.recordInvocation({ ...sample, status: 500 });
    expect(metrics.recentInvocations('shop', 'AllTraffic', 10_000)).toEqual({
      invocations: 3,
      perInstance: 2,
    });
    expect(metrics.recentInvocations('shop', 'AllTraffic', 1_000)).toEqual({
      invocations: 2,
      perInstance: 1,
    });
    clock.advance(10_000);
    expect(metrics.recentInvocations('shop', 'AllTraffic', 10_000).invocations).toBe(0);
    expect(metrics.recentInvocations('shop', 'Other', 10_000)).toEqual({
      invocations: 0,
      perInstance: 0,
    });
  });

  it('reports CPUUtilization and MemoryUtilization of each model-server process', async () => {
    const me = { endpoint: 'shop', variant: 'AllTraffic', pid: process.pid, url: 'http://me' };
    const gone = { ...me, pid: 2 ** 22 + 7, url: 'http://gone' };
    const { metrics } = setup([me, gone]);
    const text = await metrics.render();
    const labels = '{EndpointName="shop",VariantName="AllTraffic",Instance="http://me"}';
    const cpu = Number(
      new RegExp(`\\nCPUUtilization${escape(labels)} ([0-9.e+-]+)\\n`).exec(text)?.[1],
    );
    const memory = Number(
      new RegExp(`\\nMemoryUtilization${escape(labels)} ([0-9.e+-]+)\\n`).exec(text)?.[1],
    );
    expect(cpu).toBeGreaterThan(0);
    expect(memory).toBeGreaterThan(0);
    expect(memory).toBeLessThan(100);
    expect(text).not.toContain('http://gone');
  });
});

function escape(text: string): string {
  return text.replace(/[{}()[\]\\.^$|?*+]/g, '\\$&');
}
