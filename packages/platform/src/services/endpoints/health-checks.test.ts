import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthChecks, UNHEALTHY_AFTER } from './health-checks.js';

/** A real model-server stand-in whose /ping answers `status()`; counts the pings. */
async function pingServer(
  status: () => number,
): Promise<{ url: string; pings: () => number; server: Server }> {
  let pings = 0;
  const server = createServer((request, response) => {
    if (request.url === '/ping') pings += 1;
    response.statusCode = status();
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, pings: () => pings, server };
}

describe('HealthChecks', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it('reports once an instance that fails its pings in a row, and never a healthy one', async () => {
    let sick = false;
    const healthy = await pingServer(() => 200);
    const flaky = await pingServer(() => (sick ? 503 : 200));
    servers.push(healthy.server, flaky.server);
    const keys = { healthy: { name: 'healthy' }, flaky: { name: 'flaky' } };
    const reported: string[] = [];
    const checks = new HealthChecks({
      intervalMs: 10,
      instances: () => [
        { key: keys.healthy, urls: [healthy.url] },
        { key: keys.flaky, urls: [flaky.url] },
      ],
      onUnhealthy: (key) => reported.push(key.name),
    });
    checks.start();
    while (flaky.pings() < 3) await new Promise((r) => setTimeout(r, 5));
    expect(reported).toEqual([]);
    sick = true;
    const from = flaky.pings();
    while (flaky.pings() < from + UNHEALTHY_AFTER + 3) await new Promise((r) => setTimeout(r, 5));
    await checks.stop();
    expect(reported).toEqual(['flaky']);
    const after = healthy.pings();
    await new Promise((r) => setTimeout(r, 50));
    expect(healthy.pings()).toBe(after);
  });

  it('counts an instance that cannot be reached as failing', async () => {
    const gone = await pingServer(() => 200);
    await new Promise((resolve) => gone.server.close(resolve));
    const key = { name: 'gone' };
    const reported: object[] = [];
    const checks = new HealthChecks({
      intervalMs: 5,
      instances: () => [{ key, urls: [gone.url] }],
      onUnhealthy: (k) => reported.push(k),
    });
    checks.start();
    while (reported.length === 0) await new Promise((r) => setTimeout(r, 5));
    await checks.stop();
    expect(reported).toEqual([key]);
  });
});
