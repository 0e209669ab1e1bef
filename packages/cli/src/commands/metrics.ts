import type { Command } from 'commander';
import { resolveClientSettings, type ClientOptions } from '../client.js';
import { METRICS_HEADERS, metricsRows, type MetricJson } from '../metrics/metrics-table.js';
import { formatJson, formatTable, print } from '../output.js';

/**
 * `plinth metrics [endpoint]`: each endpoint variant's invocations, errors, latencies and
 * model-server CPU and memory, from the server's `GET /metrics` (which Prometheus can scrape
 * too).
 */
export function registerMetrics(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('metrics [endpoint]')
    .description("show endpoints' invocations, errors, latencies, CPU and memory per variant")
    .option('--json', "print the server's metrics as JSON")
    .action(async (endpoint: string | undefined, flags: { json?: boolean }) => {
      const { endpointUrl } = resolveClientSettings(clientOptions());
      const response = await fetch(`${endpointUrl}/metrics`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) {
        throw new Error(
          `${endpointUrl}/metrics answered ${response.status}: ${await response.text()}`,
        );
      }
      const metrics = (await response.json()) as MetricJson[];
      if (flags.json) return print(formatJson(metrics));
      const rows = metricsRows(metrics, endpoint);
      print(
        rows.length > 0
          ? formatTable(METRICS_HEADERS, rows)
          : endpoint
            ? `No invocations of endpoint ${endpoint} yet.`
            : 'No endpoint invocations yet.',
      );
    });
}
