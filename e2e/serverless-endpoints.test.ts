import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import {
  inService,
  isRunning,
  KMEANS_IMAGE,
  ROLE,
  runtimeClient,
  trainKmeansModel,
} from './support/hosting.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { sourceTarball } from './support/training.js';

const BUCKET = 'serverless';

/** A model server that takes half a second per request; `grow` makes it hold 1.5 GiB. */
const SLOW_SERVER = `
import { createServer } from 'node:http';
const held = [];
createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') return res.writeHead(200).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    if (body === 'grow') for (let i = 0; i < 24; i++) held.push(Buffer.alloc(64 * 1024 * 1024, 1));
    setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('done'), body === 'grow' ? 5000 : 500);
  });
}).listen(Number(process.env.SAGEMAKER_BIND_TO_PORT));
`;

describe('serverless endpoints through the AWS SDKs', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let runtime: SageMakerRuntimeClient;
  let modelData: string;

  async function serverlessEndpoint(
    name: string,
    model: string,
    config: { MemorySizeInMB: number; MaxConcurrency: number; ProvisionedConcurrency?: number },
  ): Promise<void> {
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: name,
        ProductionVariants: [
          { VariantName: 'AllTraffic', ModelName: model, ServerlessConfig: config },
        ],
      }),
    );
    await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
    await inService(sm, name);
  }

  /** The pids of the endpoint's model servers that are running now. */
  function runningServers(endpoint: string): number[] {
    const dir = join(plinth.dataDir, 'endpoints', endpoint);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pid'))
      .map((f) => Number(readFileSync(join(dir, f), 'utf8')))
      .filter(isRunning);
  }

  async function invoke(endpoint: string, body: string, contentType = 'text/csv') {
    const answer = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: endpoint,
        ContentType: contentType,
        Accept: 'application/json',
        Body: new TextEncoder().encode(body),
      }),
    );
    return new TextDecoder().decode(answer.Body);
  }

  beforeAll(async () => {
    plinth = await startPlinthProcess({ env: { PLINTH_SERVERLESS_IDLE_SECONDS: '2' } });
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    runtime = runtimeClient(plinth.url);
    modelData = await trainKmeansModel({ sm, s3 }, BUCKET);
    await sm.send(
      new CreateModelCommand({
        ModelName: 'km',
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: KMEANS_IMAGE, ModelDataUrl: modelData },
      }),
    );
    const scratch = mkdtempSync(join(tmpdir(), 'plinth-serverless-'));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'slow/sourcedir.tar.gz',
        Body: sourceTarball(scratch, { 'serve.mjs': SLOW_SERVER }),
      }),
    );
    await sm.send(
      new CreateModelCommand({
        ModelName: 'slow',
        ExecutionRoleArn: ROLE,
        PrimaryContainer: {
          Image: 'plinth/node',
          Environment: {
            SAGEMAKER_PROGRAM: 'serve.mjs',
            SAGEMAKER_SUBMIT_DIRECTORY: `s3://${BUCKET}/slow/sourcedir.tar.gz`,
          },
        },
      }),
    );
  });
  afterAll(async () => {
    await plinth?.stop();
  });

  it('runs nothing while idle, starts a model server for the first request, and scales back to zero', async () => {
    await serverlessEndpoint('sls', 'km', { MemorySizeInMB: 2048, MaxConcurrency: 5 });
    const described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'sls' }));
    expect(described.ProductionVariants![0]).toMatchObject({
      VariantName: 'AllTraffic',
      CurrentServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
      DesiredServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
    });
    expect(described.ProductionVariants![0]!.CurrentInstanceCount).toBeUndefined();
    expect(runningServers('sls')).toEqual([]);

    // The cold start: the request waits for its model server and is answered.
    const first = JSON.parse(await invoke('sls', '0.1,0.1\n10,10\n')) as { predictions: unknown[] };
    expect(first.predictions).toHaveLength(2);
    expect(runningServers('sls')).toHaveLength(1);
    const metrics = await (await fetch(`${plinth.url}/metrics`)).text();
    expect(metrics).toMatch(
      /ModelSetupTime_count\{EndpointName="sls",VariantName="AllTraffic"\} 1/,
    );

    // Idle past PLINTH_SERVERLESS_IDLE_SECONDS: back to zero.
    for (let i = 0; runningServers('sls').length > 0; i++) {
      if (i > 100) throw new Error('the idle model server was not stopped');
      await new Promise((r) => setTimeout(r, 100));
    }
    // And up again for the next request.
    expect(JSON.parse(await invoke('sls', '1,1\n'))).toMatchObject({ predictions: [{}] });
    await expect(
      sm.send(
        new UpdateEndpointWeightsAndCapacitiesCommand({
          EndpointName: 'sls',
          DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredInstanceCount: 2 }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('is serverless and has no instance count'),
    });
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'sls' }));
    expect(runningServers('sls')).toEqual([]);
  });

  it('throttles requests above MaxConcurrency, and keeps a provisioned server warm', async () => {
    await serverlessEndpoint('narrow', 'slow', {
      MemorySizeInMB: 1024,
      MaxConcurrency: 1,
      ProvisionedConcurrency: 1,
    });
    // Provisioned: a model server runs before any request, and stays past the idle time.
    expect(runningServers('narrow')).toHaveLength(1);
    const results = await Promise.allSettled([
      invoke('narrow', 'a', 'text/plain'),
      new Promise((r) => setTimeout(r, 100)).then(() => invoke('narrow', 'b', 'text/plain')),
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: 'done' });
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } },
    });
    await new Promise((r) => setTimeout(r, 3500));
    expect(runningServers('narrow')).toHaveLength(1);
    expect(await invoke('narrow', 'c', 'text/plain')).toBe('done');
  });

  it('stops a model server that uses more memory than MemorySizeInMB', async () => {
    await serverlessEndpoint('small', 'slow', { MemorySizeInMB: 1024, MaxConcurrency: 2 });
    await expect(invoke('small', 'grow', 'text/plain')).rejects.toMatchObject({
      $metadata: { httpStatusCode: expect.any(Number) },
    });
    expect(plinth.logs.join('\n')).toContain('used more memory than its MemorySizeInMB');
    // The next request gets a fresh model server.
    expect(await invoke('small', 'fine', 'text/plain')).toBe('done');
  });
});
