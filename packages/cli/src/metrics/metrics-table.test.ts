import { describe, expect, it } from 'vitest';
import { metricsRows, type MetricJson } from './metrics-table.js';

const labels = (endpoint: string, variant: string) => ({
  EndpointName: endpoint,
  VariantName: variant,
});

const METRICS: MetricJson[] = [
  {
    name: 'Invocations',
    type: 'counter',
    values: [
      { value: 4, labels: labels('b', 'AllTraffic') },
      { value: 10, labels: labels('a', 'Blue') },
    ],
  },
  {
    name: 'Invocation4XXErrors',
    type: 'counter',
    values: [{ value: 1, labels: labels('a', 'Blue') }],
  },
  {
    name: 'ModelLatency',
    type: 'histogram',
    values: [
      { value: 10, metricName: 'ModelLatency_bucket', labels: { ...labels('a', 'Blue'), le: 5 } },
      { value: 25_000, metricName: 'ModelLatency_sum', labels: labels('a', 'Blue') },
      { value: 10, metricName: 'ModelLatency_count', labels: labels('a', 'Blue') },
    ],
  },
  {
    name: 'CPUUtilization',
    type: 'gauge',
    values: [
      { value: 30, labels: { ...labels('a', 'Blue'), Instance: 'x' } },
      { value: 12.5, labels: { ...labels('a', 'Blue'), Instance: 'y' } },
    ],
  },
  { name: 'process_cpu', type: 'gauge', values: [{ value: 1, labels: {} }] },
];

describe('metricsRows', () => {
  it('sums each variant, averages latencies in ms and adds up its instances', () => {
    expect(metricsRows(METRICS)).toEqual([
      ['a', 'Blue', '10', '1', '0', '2.50', '-', '42.5', '-'],
      ['b', 'AllTraffic', '4', '0', '0', '-', '-', '-', '-'],
    ]);
  });

  it("keeps one endpoint's variants when asked", () => {
    expect(metricsRows(METRICS, 'b').map((row) => row[0])).toEqual(['b']);
    expect(metricsRows(METRICS, 'nope')).toEqual([]);
  });
});
