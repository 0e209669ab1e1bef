// DescribeModel and ListModels on Plinth's default (SQLite) against a bare Fastify server
// answering a constant JSON, side by side in one run: autocannon in its own process on
// loopback, rounds alternating, medians and ratios printed. Also: start-to-ready time.
// Usage: npm run bench:api -- [--seconds 10] [--rounds 3] [--connections 50]
import { CreateModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, type LoadResult } from './src/load.js';
import { median, plinthReadyUrl, spawnServer, type Server } from './src/processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    models: { type: 'string', default: '100' },
    starts: { type: 'string', default: '5' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const modelCount = Number(values.models);

function modelName(i: number): string {
  return `bench-model-${String(i).padStart(4, '0')}`;
}

async function startPlinth(dataDir: string): Promise<Server> {
  return spawnServer(
    ['packages/cli/dist/bin.js', 'serve', '--port', '0', '--data-dir', dataDir],
    plinthReadyUrl,
  );
}

async function measureStartup(): Promise<{ fresh: number; existing: number }> {
  const fresh: number[] = [];
  const existing: number[] = [];
  for (let i = 0; i < Number(values.starts); i++) {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-start-'));
    const first = await startPlinth(dir);
    fresh.push(first.readyMs);
    await first.stop();
    const second = await startPlinth(dir);
    existing.push(second.readyMs);
    await second.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { fresh: median(fresh), existing: median(existing) };
}

function row(
  name: string,
  results: readonly LoadResult[],
): { name: string; rps: number; p50: number; p99: number; failed: number } {
  return {
    name,
    rps: median(results.map((r) => r.requestsPerSecond)),
    p50: median(results.map((r) => r.p50Ms)),
    p99: median(results.map((r) => r.p99Ms)),
    failed: results.reduce((n, r) => n + r.errors + r.non2xx, 0),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'plinth-bench-api-'));
const plinth = await startPlinth(dataDir);
const bare = await spawnServer(['bench/dist/src/bare-server.js'], (line) =>
  line.startsWith('http') ? line : undefined,
);
try {
  const sm = new SageMakerClient({
    endpoint: plinth.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
  });
  for (let i = 0; i < modelCount; i++) {
    await sm.send(
      new CreateModelCommand({
        ModelName: modelName(i),
        PrimaryContainer: { Image: 'plinth/linear-learner:1' },
      }),
    );
  }
  const scenarios = [
    {
      name: 'bare Fastify, constant JSON',
      url: bare.url,
      target: 'SageMaker.DescribeModel',
      body: '{}',
    },
    {
      name: 'Plinth DescribeModel',
      url: plinth.url,
      target: 'SageMaker.DescribeModel',
      body: JSON.stringify({ ModelName: modelName(Math.floor(modelCount / 2)) }),
    },
    {
      name: `Plinth ListModels (10 of ${modelCount})`,
      url: plinth.url,
      target: 'SageMaker.ListModels',
      body: '{"MaxResults":10}',
    },
  ];
  const results = scenarios.map(() => [] as LoadResult[]);
  for (const s of scenarios) await runLoad({ ...s, connections, seconds: 1 }); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [i, s] of scenarios.entries())
      results[i]!.push(await runLoad({ ...s, connections, seconds }));
  }
  const rows = scenarios.map((s, i) => row(s.name, results[i]!));
  const anchor = rows[0]!;
  console.log(
    `\nAPI throughput: ${connections} connections, ${seconds}s x ${rounds} rounds (median), autocannon in its own process, loopback; ${cpus().length} cores; no request signing (no keys configured)`,
  );
  console.log('| server | requests/s | p50 ms | p99 ms | failed | requests/s vs bare |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.failed} | ${(r.rps / anchor.rps).toFixed(2)} |`,
    );
  }
} finally {
  await plinth.stop();
  await bare.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const startup = await measureStartup();
console.log(
  `\nStart to ready (median of ${values.starts}): fresh data dir ${startup.fresh.toFixed(0)} ms, existing data dir ${startup.existing.toFixed(0)} ms`,
);
