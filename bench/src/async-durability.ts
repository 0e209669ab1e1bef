// Asynchronous inference durability: requests accepted by InvokeEndpointAsync, the server
// killed with SIGKILL while they are being worked through, restarted on the same data directory;
// then every request must have its output object, each written once.
import { CreateEndpointCommand, CreateEndpointConfigCommand } from '@aws-sdk/client-sagemaker';
import { setTimeout as sleep } from 'node:timers/promises';
import { markdownTable } from './markdown.js';
import { scrapeMetrics } from './overhead-latency.js';
import { createClients, createModel, waitInService, type PlinthClients } from './plinth-hosting.js';
import { createBucket, listObjects, parseS3Uri, putObject } from './plinth-objects.js';
import { plinthReadyUrl, spawnServer, type Server } from './processes.js';
import { readSum } from './prometheus-histogram.js';
import { invokeEndpointAsync, type AcceptedAsync, type Invocation } from './runtime-calls.js';

const BUCKET = 'async-bench';
const ENDPOINT = 'async-durability';
const OUTPUT = `s3://${BUCKET}/out`;
const FAILURE = `s3://${BUCKET}/failed`;
const POLL_MS = 20;
/** How long the restarted server may take to write every output and drain its queue. */
const DRAIN_LIMIT_MS = 180_000;
const COMPLETED = 'Asynchronous inference completed';
const RECOVERED = 'Asynchronous inference had completed before the restart';

export interface AsyncBench {
  readonly dataDir: string;
  /** A linear-learner model.tar.gz. */
  readonly modelArtifact: Uint8Array;
  readonly requests: number;
  /** InvokeEndpointAsync calls in flight at once while accepting. */
  readonly concurrency: number;
  readonly invocation: Invocation;
}

/** A Plinth server and the log entries it wrote about asynchronous requests, in order. */
interface LoggedPlinth {
  readonly server: Server;
  readonly entries: { msg: string; inferenceId: string }[];
}

async function startPlinth(dataDir: string): Promise<LoggedPlinth> {
  const entries: LoggedPlinth['entries'] = [];
  // spawnServer hands every stdout line to its picker for the life of the process.
  const server = await spawnServer(
    ['packages/cli/dist/bin.js', 'serve', '--port', '0', '--data-dir', dataDir],
    (line) => {
      const entry = parseEntry(line);
      if (entry?.inferenceId !== undefined)
        entries.push({ msg: entry.msg ?? '', inferenceId: entry.inferenceId });
      return plinthReadyUrl(line);
    },
  );
  return { server, entries };
}

function parseEntry(line: string): { msg?: string; inferenceId?: string } | undefined {
  try {
    return JSON.parse(line) as { msg?: string; inferenceId?: string };
  } catch {
    return undefined;
  }
}

async function createAsyncEndpoint(clients: PlinthClients, bench: AsyncBench): Promise<string> {
  await createBucket(clients.s3, BUCKET);
  const modelData = `s3://${BUCKET}/model/model.tar.gz`;
  await putObject(clients.s3, modelData, { bytes: bench.modelArtifact });
  await createModel(clients.sm, ENDPOINT, modelData);
  await clients.sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: ENDPOINT,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: ENDPOINT,
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 1,
        },
      ],
      AsyncInferenceConfig: { OutputConfig: { S3OutputPath: OUTPUT, S3FailurePath: FAILURE } },
    }),
  );
  await clients.sm.send(
    new CreateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: ENDPOINT }),
  );
  await waitInService(clients.sm, ENDPOINT);
  return putObject(clients.s3, `s3://${BUCKET}/in/rows.csv`, { bytes: bench.invocation.body });
}

/** Sends `count` InvokeEndpointAsync requests, `concurrency` at a time; the accepted ones. */
async function acceptAll(
  url: string,
  bench: AsyncBench & { inputLocation: string },
): Promise<{ accepted: AcceptedAsync[]; refused: number }> {
  const accepted: AcceptedAsync[] = [];
  let refused = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < bench.requests; i = next++) {
      try {
        accepted.push(
          await invokeEndpointAsync(url, {
            endpoint: ENDPOINT,
            inputLocation: bench.inputLocation,
            inferenceId: `r-${i}`,
            contentType: bench.invocation.contentType,
            accept: bench.invocation.accept,
          }),
        );
      } catch {
        refused += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: bench.concurrency }, worker));
  return { accepted, refused };
}

async function until(done: () => Promise<boolean> | boolean, limitMs: number): Promise<boolean> {
  for (const deadline = performance.now() + limitMs; performance.now() < deadline;) {
    if (await done()) return true;
    await sleep(POLL_MS);
  }
  return false;
}

/** The section's markdown: what was accepted, written and written twice, and how long it took. */
export async function asyncDurability(bench: AsyncBench): Promise<string> {
  const first = await startPlinth(bench.dataDir);
  let second: LoggedPlinth | undefined;
  try {
    const clients = createClients(first.server.url);
    const inputLocation = await createAsyncEndpoint(clients, bench);
    const completions = (run: LoggedPlinth, msgs: readonly string[]) =>
      run.entries.filter((e) => msgs.includes(e.msg) && e.inferenceId.startsWith('r-'));
    const started = performance.now();
    const { accepted, refused } = await acceptAll(first.server.url, { ...bench, inputLocation });
    const acceptedMs = performance.now() - started;
    // Mid-way: once half the requests are done (at once if more already are).
    await until(() => completions(first, [COMPLETED]).length >= bench.requests / 2, 60_000);
    const exited = new Promise((resolve) => first.server.child.once('exit', resolve));
    first.server.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const killedMs = performance.now();
    const before = completions(first, [COMPLETED]).map((e) => e.inferenceId);

    second = await startPlinth(bench.dataDir);
    const restartMs = second.server.readyMs;
    const s3 = createClients(second.server.url).s3;
    const expected = new Map(accepted.map((a) => [parseS3Uri(a.outputLocation).key, a]));
    const present = async () =>
      (await listObjects(s3, OUTPUT)).filter((o) => expected.has(o.key)).length;
    const allWritten = await until(async () => (await present()) === expected.size, DRAIN_LIMIT_MS);
    const doneMs = performance.now();
    const url = second.server.url;
    await until(async () => backlog(await scrapeMetrics(url)) === 0, DRAIN_LIMIT_MS);

    const outputs = await listObjects(s3, OUTPUT);
    const failures = await listObjects(s3, FAILURE);
    const after = completions(second, [COMPLETED, RECOVERED]).map((e) => e.inferenceId);
    const runs = new Map<string, number>();
    for (const id of [...before, ...after]) runs.set(id, (runs.get(id) ?? 0) + 1);
    const twice = new Set([...runs].filter(([, n]) => n > 1).map(([id]) => id));
    // A request the first server completed must not have been written again after the kill.
    const firstDone = new Set(before);
    for (const o of outputs) {
      const request = expected.get(o.key);
      if (request && firstDone.has(request.inferenceId) && o.lastModified.getTime() > killedAt)
        twice.add(request.inferenceId);
    }
    const found = outputs.filter((o) => expected.has(o.key)).length;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const table = markdownTable(
      ['figure', 'value'],
      [
        ['requests sent', String(bench.requests)],
        ['accepted (202)', String(accepted.length)],
        ['refused', String(refused)],
        ['completed before the SIGKILL', String(before.length)],
        ['outputs present (expected OutputLocations)', String(found)],
        ['other objects under the output path', String(outputs.length - found)],
        ['failure objects', String(failures.length)],
        ['outputs written twice', String(twice.size)],
        ['completions in the logs (first + second server)', `${before.length} + ${after.length}`],
        ['accepting all requests', seconds(acceptedMs)],
        ['restart (spawn to ready)', seconds(restartMs)],
        ['SIGKILL to every output present', seconds(doneMs - killedMs)],
        ['first request to every output present', seconds(doneMs - started)],
      ],
    );
    const exactlyOnce =
      allWritten &&
      accepted.length === bench.requests &&
      found === bench.requests &&
      outputs.length === found &&
      twice.size === 0;
    const midway = before.length > 0 && before.length < bench.requests;
    return [
      table,
      '',
      `The SIGKILL came ${midway ? 'mid-way' : 'NOT mid-way'}: ${before.length} of ${bench.requests} requests had completed. Every accepted request's output exactly once (goal): ${exactlyOnce ? 'met' : 'not met'}.`,
    ].join('\n');
  } finally {
    await second?.server.stop();
    await first.server.stop();
  }
}

/** The endpoint's ApproximateBacklogSize from a GET /metrics page (-1 when not published). */
function backlog(metrics: string | undefined): number {
  if (metrics === undefined || !metrics.includes('ApproximateBacklogSize{')) return -1;
  return readSum(metrics, { name: 'ApproximateBacklogSize', labels: { EndpointName: ENDPOINT } });
}
