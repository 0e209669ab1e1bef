// Plinth's other ways to run a model, each against its anchor or its goal, printed as markdown:
// 1. batch transform (CreateTransformJob on several instances) against the same model code in a
//    tight loop in one Node process, on the same flights rows, alternating, median rows/s;
// 2. serverless cold start: a request to an endpoint scaled to zero, to its answer;
// 3. asynchronous inference durability: InvokeEndpointAsync requests, a SIGKILL mid-way, a
//    restart on the same data directory, every output exactly once.
// Usage: npm run bench:inference-modes -- [--rows 1000000] [--files 2] [--rounds 3]
//        [--warmups 1] [--instances 2] [--max-concurrent-transforms 1] [--cold-starts 5]
//        [--idle-seconds 1] [--async-requests 1000] [--train-rows 20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { asyncDurability } from './src/async-durability.js';
import { csvRequestBody } from './src/inference-body.js';
import {
  LINEAR_FEATURES,
  linearFeatureCsvParts,
  linearLearnerCsv,
} from './src/linear-learner-data.js';
import {
  createClients,
  createModel,
  downloadModel,
  trainLinearLearner,
} from './src/plinth-hosting.js';
import { getBytes } from './src/plinth-objects.js';
import { plinthReadyUrl, spawnServer, type Server } from './src/processes.js';
import { serverlessColdStart } from './src/serverless-cold-start.js';
import { transformThroughput } from './src/transform-throughput.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    files: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    warmups: { type: 'string', default: '1' },
    instances: { type: 'string', default: '2' },
    'max-payload-mb': { type: 'string', default: '6' },
    'max-concurrent-transforms': { type: 'string', default: '1' },
    'cold-starts': { type: 'string', default: '5' },
    'warm-requests': { type: 'string', default: '10' },
    'idle-seconds': { type: 'string', default: '1' },
    'async-requests': { type: 'string', default: '1000' },
    'async-concurrency': { type: 'string', default: '8' },
    'request-rows': { type: 'string', default: '5' },
    'train-rows': { type: 'string', default: '20000' },
  },
});
const num = (name: keyof typeof values) => Number(values[name]);
const TEST_ROWS = 5000;
const MODEL = 'inference-modes';
const BUCKET = 'inference-modes';

const runStarted = performance.now();
const work = mkdtempSync(join(tmpdir(), 'plinth-bench-inference-modes-'));
const dataDir = join(work, 'plinth');
const servers: Server[] = [];
try {
  const trainRows = num('train-rows');
  const files = await linearLearnerCsv({ trainRows, testRows: TEST_ROWS });
  const inputs = await linearFeatureCsvParts({
    offset: trainRows + TEST_ROWS,
    rows: num('rows'),
    parts: num('files'),
  });
  const plinth = await spawnServer(
    ['packages/cli/dist/bin.js', 'serve', '--port', '0', '--data-dir', dataDir],
    plinthReadyUrl,
    { PLINTH_SERVERLESS_IDLE_SECONDS: values['idle-seconds'] },
  );
  servers.push(plinth);
  const clients = createClients(plinth.url);
  const modelData = await trainLinearLearner(clients, {
    name: MODEL,
    bucket: BUCKET,
    trainFile: files.train,
    featureDim: LINEAR_FEATURES.length,
  });
  await createModel(clients.sm, MODEL, modelData);
  const modelDir = await downloadModel(clients.s3, modelData, join(work, 'model'));
  const invocation = {
    body: await csvRequestBody(files.test, num('request-rows')),
    contentType: 'text/csv',
    accept: 'application/json',
  };
  const counts = { warmups: num('warmups'), rounds: num('rounds') };
  console.log(`\n## Inference modes (${cpus().length} cores)`);

  console.log(
    `\n### 1. Batch transform throughput\n\nlinear-learner (binary classifier, ${LINEAR_FEATURES.length} features) trained by Plinth on ${trainRows} flights; ${num('rows')} other flights as headerless CSV in ${inputs.length} files. Plinth: CreateTransformJob with ${num('instances')} instances, SplitType Line, MultiRecord, MaxPayloadInMB ${num('max-payload-mb')}, MaxConcurrentTransforms ${num('max-concurrent-transforms')}, Accept text/csv, AssembleWith Line; wall time from CreateTransformJob to DescribeTransformJob answering Completed (polled every 50 ms). Anchor: the serving code (parse CSV, predict, format CSV) in a loop in one Node process over the same files in the same 6 MB batches, spawn to exit. ${counts.warmups} warm-up and ${counts.rounds} measured rounds, sides alternating, medians; inner s = TransformStartTime to TransformEndTime for Plinth, time inside the process for the anchor.\n`,
  );
  console.log(
    await transformThroughput({
      clients,
      model: MODEL,
      modelDir,
      inputs,
      bucket: BUCKET,
      counts,
      instances: num('instances'),
      maxPayloadInMB: num('max-payload-mb'),
      maxConcurrentTransforms: num('max-concurrent-transforms'),
      work,
    }),
  );

  console.log(
    `\n### 2. Serverless cold start\n\nThe same model on a serverless endpoint (MemorySizeInMB 2048, MaxConcurrency 5), PLINTH_SERVERLESS_IDLE_SECONDS=${values['idle-seconds']}. Before each cold request the benchmark waits until no model server of the endpoint runs (its pid files under <data dir>/endpoints/), then times InvokeEndpoint (${num('request-rows')} CSV rows, JSON answer) from sending to the whole answer; ${num('warm-requests')} warm requests follow each.\n`,
  );
  console.log(
    await serverlessColdStart({
      sm: clients.sm,
      url: plinth.url,
      dataDir,
      endpoint: `${MODEL}-serverless`,
      model: MODEL,
      coldStarts: num('cold-starts'),
      warmRequests: num('warm-requests'),
      invocation,
    }),
  );

  console.log(
    `\n### 3. Asynchronous inference durability\n\nA second Plinth server with its own data directory: an asynchronous endpoint of the same model (1 instance, MaxConcurrentInvocationsPerInstance unset: 4), ${num('async-requests')} InvokeEndpointAsync requests (${num('async-concurrency')} in flight) for one input object of ${num('request-rows')} rows; once half have completed (by Plinth's log) the server gets SIGKILL and is started again on the same data directory. Written twice = completed twice by Plinth's logs across both servers, or completed before the kill and modified after it.\n`,
  );
  console.log(
    await asyncDurability({
      dataDir: join(work, 'plinth-async'),
      modelArtifact: await getBytes(clients.s3, modelData),
      requests: num('async-requests'),
      concurrency: num('async-concurrency'),
      invocation,
    }),
  );
  console.log(
    `\nWhole run, data, setup and training included: ${((performance.now() - runStarted) / 1000).toFixed(0)} s.`,
  );
} finally {
  for (const server of servers.reverse()) await server.stop();
  rmSync(work, { recursive: true, force: true });
}
