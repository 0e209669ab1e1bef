import {
  ListObjectsV2Command,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import {
  inService,
  KMEANS_IMAGE,
  ROLE,
  runtimeClient,
  trainKmeansModel,
} from './support/hosting.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { sourceTarball } from './support/training.js';

const BUCKET = 'runtime';

/** One line of a capture file, as far as these tests read it. */
interface CaptureLine {
  captureData: {
    endpointInput: Record<string, string>;
    endpointOutput: { encoding: string; data: string };
  };
  eventMetadata: { eventId: string; inferenceId?: string };
  eventVersion: string;
}

/** A shadow model server: notes every request it gets in received.log, then fails it. */
const SHADOW_SERVER = `
import { createServer } from 'node:http';
import { appendFileSync } from 'node:fs';
createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') return res.writeHead(200).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    appendFileSync('received.log', JSON.stringify(body) + '\\n');
    res.writeHead(500).end('shadow answers are thrown away');
  });
}).listen(Number(process.env.SAGEMAKER_BIND_TO_PORT));
`;

/** A model server that answers in three pieces, 100 ms apart, as token streams do. */
const STREAMING_SERVER = `
import { createServer } from 'node:http';
createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') return res.writeHead(200).end();
  req.resume();
  req.on('end', async () => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    for (const word of ['one ', 'two ', 'three']) {
      res.write(word);
      await new Promise((r) => setTimeout(r, 100));
    }
    res.end();
  });
}).listen(Number(process.env.SAGEMAKER_BIND_TO_PORT));
`;

describe('shadow variants, data capture and response streams through the AWS SDKs', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let runtime: SageMakerRuntimeClient;
  let modelData: string;

  async function nodeServerModel(name: string, server: string): Promise<void> {
    const scratch = mkdtempSync(join(tmpdir(), 'plinth-runtime-'));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${name}/sourcedir.tar.gz`,
        Body: sourceTarball(scratch, { 'serve.mjs': server }),
      }),
    );
    await sm.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: ROLE,
        PrimaryContainer: {
          Image: 'plinth/node',
          Environment: {
            SAGEMAKER_PROGRAM: 'serve.mjs',
            SAGEMAKER_SUBMIT_DIRECTORY: `s3://${BUCKET}/${name}/sourcedir.tar.gz`,
          },
        },
      }),
    );
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 150; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    plinth = await startPlinthProcess();
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    runtime = runtimeClient(plinth.url);
    modelData = await trainKmeansModel({ sm, s3 }, BUCKET);
  });
  afterAll(async () => {
    await plinth?.stop();
  });

  it('copies requests to the shadow variant and captures sampled traffic as SageMaker does', async () => {
    await sm.send(
      new CreateModelCommand({
        ModelName: 'prod',
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: KMEANS_IMAGE, ModelDataUrl: modelData },
      }),
    );
    await nodeServerModel('shadow', SHADOW_SERVER);
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'watched',
        ProductionVariants: [
          {
            VariantName: 'Prod',
            ModelName: 'prod',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
        ShadowProductionVariants: [
          {
            VariantName: 'Shadow',
            ModelName: 'shadow',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: 100,
          DestinationS3Uri: `s3://${BUCKET}/capture`,
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          CaptureContentTypeHeader: {
            CsvContentTypes: ['text/csv'],
            JsonContentTypes: ['application/json'],
          },
        },
      }),
    );
    await sm.send(
      new CreateEndpointCommand({ EndpointName: 'watched', EndpointConfigName: 'watched' }),
    );
    await inService(sm, 'watched');
    const described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'watched' }));
    expect(
      described.ShadowProductionVariants?.map((v) => [v.VariantName, v.CurrentInstanceCount]),
    ).toEqual([['Shadow', 1]]);
    expect(described.DataCaptureConfig).toEqual({
      EnableCapture: true,
      CaptureStatus: 'Started',
      CurrentSamplingPercentage: 100,
      DestinationS3Uri: `s3://${BUCKET}/capture`,
    });

    for (let i = 0; i < 5; i++) {
      const answer = await runtime.send(
        new InvokeEndpointCommand({
          EndpointName: 'watched',
          ContentType: 'text/csv',
          Accept: 'application/json',
          Body: new TextEncoder().encode(`${i},${i}\n`),
          ...(i === 4 ? { InferenceId: 'the-fifth' } : {}),
        }),
      );
      // The shadow's 500 never reaches the caller: the production variant answers.
      expect(answer.InvokedProductionVariant).toBe('Prod');
      expect(JSON.parse(new TextDecoder().decode(answer.Body)).predictions).toHaveLength(1);
    }

    const dir = join(plinth.dataDir, 'endpoints', 'watched');
    const shadowLog = await until('the shadow to see every request', async () => {
      const instance = readdirSync(dir).find((f) => f.startsWith('Shadow-') && !f.includes('.'));
      const file = instance && join(dir, instance, 'code', 'received.log');
      if (!file || !existsSync(file)) return undefined;
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      return lines.length === 5 ? lines.map((l) => JSON.parse(l) as string) : undefined;
    });
    expect(shadowLog.sort()).toEqual(['0,0\n', '1,1\n', '2,2\n', '3,3\n', '4,4\n']);

    const keys = await until('captured traffic in the object store', async () => {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'capture/watched/Prod/' }),
      );
      return listed.Contents?.length ? listed.Contents.map((o) => o.Key!) : undefined;
    });
    expect(keys[0]).toMatch(
      /^capture\/watched\/Prod\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl$/,
    );
    const lines: CaptureLine[] = [];
    for (const key of keys) {
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      const text = await object.Body!.transformToString();
      lines.push(
        ...text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as CaptureLine),
      );
    }
    expect(lines).toHaveLength(5);
    const fifth = lines.find((l) => l.eventMetadata.inferenceId === 'the-fifth')!;
    expect(fifth.captureData.endpointInput).toEqual({
      observedContentType: 'text/csv',
      mode: 'INPUT',
      data: '4,4\n',
      encoding: 'CSV',
    });
    expect(fifth.captureData.endpointOutput.encoding).toBe('JSON');
    expect(
      (JSON.parse(fifth.captureData.endpointOutput.data) as { predictions: unknown[] }).predictions,
    ).toHaveLength(1);
    expect(fifth.eventVersion).toBe('0');
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'watched' }));
  });

  it('streams a model server answer as it arrives, with InvokeEndpointWithResponseStream', async () => {
    await nodeServerModel('streamer', STREAMING_SERVER);
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'streamer',
        ProductionVariants: [
          {
            VariantName: 'Words',
            ModelName: 'streamer',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sm.send(
      new CreateEndpointCommand({ EndpointName: 'streamer', EndpointConfigName: 'streamer' }),
    );
    await inService(sm, 'streamer');
    const answer = await runtime.send(
      new InvokeEndpointWithResponseStreamCommand({
        EndpointName: 'streamer',
        ContentType: 'text/plain',
        Body: new TextEncoder().encode('speak'),
      }),
    );
    expect(answer.InvokedProductionVariant).toBe('Words');
    expect(answer.ContentType).toBe('text/plain');
    const parts: string[] = [];
    for await (const event of answer.Body!) {
      if (event.PayloadPart?.Bytes) parts.push(new TextDecoder().decode(event.PayloadPart.Bytes));
    }
    expect(parts.join('')).toBe('one two three');
    // Arriving 100 ms apart, the pieces come as separate events.
    expect(parts.length).toBeGreaterThan(1);

    // A built-in model's error before any answer: ModelError, as from InvokeEndpoint.
    await sm.send(
      new CreateModelCommand({
        ModelName: 'km-stream',
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: 'kmeans', ModelDataUrl: modelData },
      }),
    );
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'km-stream',
        ProductionVariants: [
          {
            VariantName: 'Km',
            ModelName: 'km-stream',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sm.send(
      new CreateEndpointCommand({ EndpointName: 'km-stream', EndpointConfigName: 'km-stream' }),
    );
    await inService(sm, 'km-stream');
    await expect(
      runtime.send(
        new InvokeEndpointWithResponseStreamCommand({
          EndpointName: 'km-stream',
          ContentType: 'text/csv',
          Body: new TextEncoder().encode('not,numbers\n'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ModelError', $metadata: { httpStatusCode: 424 } });
    await expect(
      runtime.send(
        new InvokeEndpointWithResponseStreamCommand({
          EndpointName: 'nowhere',
          ContentType: 'text/csv',
          Body: new TextEncoder().encode('1,1\n'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
