// Plinth's hosting side by side with its anchors in one run, autocannon in its own process on
// loopback, rounds alternating, medians and ratios printed as markdown tables:
// 1. InvokeEndpoint on a linear-learner model Plinth trained, against a bare Fastify server
//    scoring with the same model code in-process and against the model-server program directly;
// 2. requests/s with 1 and 2 instances (UpdateEndpointWeightsAndCapacities) on large requests;
// 3. failed requests under load while UpdateEndpoint switches configuration and while one of
//    two instances is killed with SIGKILL.
// Usage: npm run bench:hosting -- [--seconds 5] [--rounds 3] [--connections 50]
//        [--availability-seconds 10] [--rows 5] [--large-rows 2000] [--train-rows 20000]
//        [--warmup-seconds 3]
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { runningInstancePids } from './src/instance-pids.js';
import { csvRequestBody } from './src/inference-body.js';
import { LINEAR_FEATURES, linearLearnerCsv } from './src/linear-learner-data.js';
import { runLoad, type LoadResult } from './src/load.js';
import { failedRequests, summarizeLoad, type LoadSummary } from './src/load-summary.js';
import { markdownTable } from './src/markdown.js';
import { overheadReport, scrapeMetrics } from './src/overhead-latency.js';
import {
  createClients,
  createEndpoint,
  createModelConfig,
  downloadModel,
  setInstanceCount,
  switchConfig,
  trainLinearLearner,
} from './src/plinth-hosting.js';
import { plinthReadyUrl, spawnServer, type Server } from './src/processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'availability-seconds': { type: 'string', default: '10' },
    rows: { type: 'string', default: '5' },
    'large-rows': { type: 'string', default: '2000' },
    'train-rows': { type: 'string', default: '20000' },
    // Node's JIT takes seconds to settle under load: Plinth's front door went from 215 to 983
    // requests/s over its first 11 s in a trial run.
    'warmup-seconds': { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const availabilitySeconds = Number(values['availability-seconds']);
const warmupSeconds = Number(values['warmup-seconds']);

const ENDPOINT = 'hosting';
const BLUE = { model: 'hosting-blue', config: 'hosting-blue', variant: 'Blue', instances: 1 };
const GREEN = { model: 'hosting-green', config: 'hosting-green', variant: 'Green', instances: 2 };
/** Plinth's requests/s as a share of the bare server's that the front door should keep. */
const THROUGHPUT_GOAL = 0.7;

/** Where a side's invocations go. */
interface Target {
  readonly name: string;
  readonly url: string;
  readonly path: string;
}

function measure(target: Target, body: string, duration = seconds): Promise<LoadResult> {
  return runLoad({
    url: target.url,
    path: target.path,
    contentType: 'text/csv',
    accept: 'application/json',
    body,
    connections,
    seconds: duration,
  });
}

/** Each round runs every target once, in order; a summary per target. */
async function alternate(targets: readonly Target[], body: string): Promise<LoadSummary[]> {
  const results = targets.map(() => [] as LoadResult[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries()) results[i]!.push(await measure(target, body));
  }
  return results.map(summarizeLoad);
}

function loadRow(name: string, s: LoadSummary, anchor: LoadSummary): string[] {
  return [
    name,
    s.requestsPerSecond.toFixed(0),
    String(s.p50Ms),
    String(s.p99Ms),
    String(s.failed),
    (s.requestsPerSecond / anchor.requestsPerSecond).toFixed(2),
  ];
}

const LOAD_HEADER = ['requests/s', 'p50 ms', 'p99 ms', 'failed'];

/** Every target answers the body with the same bytes; returns the number of predictions. */
async function sameAnswers(targets: readonly Target[], body: string): Promise<number> {
  const answers = await Promise.all(
    targets.map(async (t) => {
      const response = await fetch(t.url + t.path, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'application/json' },
        body,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${t.name} answered ${response.status}: ${text}`);
      return text;
    }),
  );
  if (answers.some((a) => a !== answers[0]))
    throw new Error(`the servers answered differently:\n${answers.join('\n')}`);
  return (JSON.parse(answers[0]!) as { predictions: unknown[] }).predictions.length;
}

async function throughput(sides: { bare: Target; direct: Target; plinth: Target }, body: string) {
  const targets = [sides.bare, sides.direct, sides.plinth];
  const predictions = await sameAnswers(targets, body);
  if (warmupSeconds > 0) for (const target of targets) await measure(target, body, warmupSeconds);
  const before = await scrapeMetrics(sides.plinth.url);
  const [bare, direct, plinth] = await alternate(targets, body);
  const after = await scrapeMetrics(sides.plinth.url);
  console.log(
    `\n### 1. InvokeEndpoint throughput\n\nlinear-learner (binary classifier, ${LINEAR_FEATURES.length} features), ${predictions} CSV rows per request (${Buffer.byteLength(body)} bytes), JSON answer; the three sides answered with the same bytes. ${connections} connections, ${seconds} s x ${rounds} rounds (median), autocannon in its own process, loopback; ${cpus().length} cores shared by the load generator and the servers.\n`,
  );
  console.log(
    markdownTable(
      ['server', ...LOAD_HEADER, 'requests/s vs bare'],
      targets.map((t, i) => loadRow(t.name, [bare!, direct!, plinth!][i]!, bare!)),
    ),
  );
  const share = plinth!.requestsPerSecond / bare!.requestsPerSecond;
  console.log(
    `\nPlinth's requests/s are ${(100 * share).toFixed(0)}% of the bare server's (goal >= ${100 * THROUGHPUT_GOAL}%: ${share >= THROUGHPUT_GOAL ? 'met' : 'not met'}).`,
  );
  console.log(
    overheadReport({
      before,
      after,
      endpoint: ENDPOINT,
      p99Ms: { plinth: plinth!.p99Ms, direct: direct!.p99Ms },
    }),
  );
}

async function scaling(
  sides: { direct: Target; plinth: Target },
  sm: SageMakerClient,
  body: string,
) {
  const scale = (count: number) =>
    setInstanceCount(sm, { endpoint: ENDPOINT, variant: BLUE.variant, count });
  if (warmupSeconds > 0) await measure(sides.plinth, body, warmupSeconds);
  const direct: LoadResult[] = [];
  const one: LoadResult[] = [];
  const two: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    direct.push(await measure(sides.direct, body));
    one.push(await measure(sides.plinth, body));
    await scale(2);
    // The new instance's first requests run cold.
    if (warmupSeconds > 0) await measure(sides.plinth, body, Math.min(1, warmupSeconds));
    two.push(await measure(sides.plinth, body));
    if (round < rounds - 1) await scale(1);
  }
  const [d, o, t] = [direct, one, two].map(summarizeLoad);
  console.log(
    `\n### 2. Scaling: 1 vs 2 instances\n\nThe same model, ${values['large-rows']} CSV rows per request (${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB), so that parsing and scoring in the model server outweigh the front door's forwarding; instances changed with UpdateEndpointWeightsAndCapacities between runs (1 and 2 alternating). ${connections} connections, ${seconds} s x ${rounds} rounds (median). The machine has ${cpus().length} cores, shared by autocannon, the front door and the model servers.\n`,
  );
  console.log(
    markdownTable(
      ['side', ...LOAD_HEADER, 'requests/s vs 1 instance'],
      [
        loadRow('model server directly (1 process)', d!, o!),
        loadRow('Plinth, 1 instance', o!, o!),
        loadRow('Plinth, 2 instances', t!, o!),
      ],
    ),
  );
}

/** Runs `action` a little after a steady load begins; the load's result and what it did. */
async function underLoad(
  plinth: Target,
  body: string,
  action: () => Promise<string>,
): Promise<{ result: LoadResult; detail: string }> {
  const load = measure(plinth, body, availabilitySeconds);
  load.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const startMs = Math.min(2_000, (availabilitySeconds * 1000) / 4);
  await sleep(startMs);
  const started = performance.now();
  const detail = await action();
  const doneAtS = (startMs + performance.now() - started) / 1000;
  const within = doneAtS < availabilitySeconds ? 'within' : 'NOT within';
  return {
    result: await load,
    detail: `${detail}, done ${doneAtS.toFixed(1)} s in (${within} the load)`,
  };
}

async function availability(run: {
  plinth: Target;
  sm: SageMakerClient;
  dataDir: string;
  body: string;
}) {
  const { plinth, sm, dataDir, body } = run;
  const update = await underLoad(plinth, body, async () => {
    const started = performance.now();
    const described = await switchConfig(sm, ENDPOINT, GREEN.config);
    if (described.EndpointConfigName !== GREEN.config)
      throw new Error(`${ENDPOINT} still serves ${described.EndpointConfigName}`);
    return `InService on ${GREEN.config} after ${((performance.now() - started) / 1000).toFixed(1)} s`;
  });
  const kill = await underLoad(plinth, body, async () => {
    const pids = runningInstancePids(dataDir, ENDPOINT, GREEN.variant);
    if (pids.length !== GREEN.instances)
      throw new Error(`expected ${GREEN.instances} running instances, found ${pids.length}`);
    process.kill(pids[0]!, 'SIGKILL');
    return `killed pid ${pids[0]} (1 of ${pids.length})`;
  });
  console.log(
    `\n### 3. Availability under load\n\nPlinth InvokeEndpoint, ${values.rows} rows per request, ${connections} connections for ${availabilitySeconds} s each; failed = connection errors, timeouts and non-2xx answers.\n`,
  );
  const row = (event: string, r: { result: LoadResult; detail: string }) => [
    event,
    String(r.result.requests),
    String(failedRequests(r.result)),
    r.detail,
  ];
  console.log(
    markdownTable(
      ['event under load', 'requests', 'failed', 'detail'],
      [
        row(
          `UpdateEndpoint ${BLUE.config} (2 instances) -> ${GREEN.config} (${GREEN.instances})`,
          update,
        ),
        row(`SIGKILL to 1 of ${GREEN.instances} instances`, kill),
      ],
    ),
  );
  const failed = failedRequests(update.result) + failedRequests(kill.result);
  console.log(`\nFailed requests: ${failed} (goal 0: ${failed === 0 ? 'met' : 'not met'}).`);
}

const runStarted = performance.now();
const work = mkdtempSync(join(tmpdir(), 'plinth-bench-hosting-'));
const dataDir = join(work, 'plinth');
const servers: Server[] = [];
try {
  const files = await linearLearnerCsv({ trainRows: Number(values['train-rows']), testRows: 5000 });
  const plinthServer = await spawnServer(
    ['packages/cli/dist/bin.js', 'serve', '--port', '0', '--data-dir', dataDir],
    plinthReadyUrl,
  );
  servers.push(plinthServer);
  const clients = createClients(plinthServer.url);
  const modelData = await trainLinearLearner(clients, {
    name: 'hosting-linear-learner',
    bucket: 'hosting-bench',
    trainFile: files.train,
    featureDim: LINEAR_FEATURES.length,
  });
  for (const spec of [BLUE, GREEN]) await createModelConfig(clients.sm, { ...spec, modelData });
  await createEndpoint(clients.sm, ENDPOINT, BLUE.config);
  const modelDir = await downloadModel(clients.s3, modelData, join(work, 'model'));
  const bareServer = await spawnServer(['bench/dist/src/bare-model-server.js', modelDir], (line) =>
    line.startsWith('http') ? line : undefined,
  );
  servers.push(bareServer);
  const directServer = await spawnServer(
    ['packages/algorithms/dist/programs/linear-learner-serve.js'],
    (line) => {
      const port = /listening on port (\d+)/.exec(line)?.[1];
      return port ? `http://127.0.0.1:${port}` : undefined;
    },
    { SAGEMAKER_BIND_TO_PORT: '0', SM_MODEL_DIR: modelDir },
  );
  servers.push(directServer);

  const sides = {
    bare: {
      name: 'bare Fastify, same model code in-process',
      url: bareServer.url,
      path: '/invocations',
    },
    direct: { name: 'model server directly', url: directServer.url, path: '/invocations' },
    plinth: {
      name: 'Plinth InvokeEndpoint',
      url: plinthServer.url,
      path: `/endpoints/${ENDPOINT}/invocations`,
    },
  };
  const small = await csvRequestBody(files.test, Number(values.rows));
  console.log(`\n## Hosting (${cpus().length} cores)`);
  await throughput(sides, small);
  await scaling(sides, clients.sm, await csvRequestBody(files.test, Number(values['large-rows'])));
  await availability({ plinth: sides.plinth, sm: clients.sm, dataDir, body: small });
  console.log(
    `\nWhole run, setup and training included: ${((performance.now() - runStarted) / 1000).toFixed(0)} s.`,
  );
} finally {
  for (const server of servers.reverse()) await server.stop();
  rmSync(work, { recursive: true, force: true });
}
