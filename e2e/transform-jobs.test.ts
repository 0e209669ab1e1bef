import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  ListTransformJobsCommand,
  StopTransformJobCommand,
  type CreateTransformJobCommandInput,
  type DescribeTransformJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import { deployModel, KMEANS_IMAGE, runtimeClient, trainKmeansModel } from './support/hosting.js';
import { readJobLogs } from './support/logs.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const BUCKET = 'batch';
const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/** 2-D points near (0,0) on even rows and near (10,10) on odd ones. */
function points(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const j = i + offset;
    return j % 2 === 0
      ? `${(j % 7) / 10},${(j % 5) / 10}`
      : `${10 + (j % 7) / 10},${10 + (j % 5) / 10}`;
  });
}

describe('batch transform through @aws-sdk/client-sagemaker', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let runtime: SageMakerRuntimeClient;
  let work: string;

  async function put(key: string, body: string): Promise<void> {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }

  async function text(key: string): Promise<string> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return object.Body!.transformToString();
  }

  async function waitForEnd(name: string): Promise<DescribeTransformJobCommandOutput> {
    for (let i = 0; i < 600; i++) {
      const job = await sm.send(new DescribeTransformJobCommand({ TransformJobName: name }));
      if (TERMINAL.has(job.TransformJobStatus!)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name} did not finish`);
  }

  function job(
    name: string,
    prefix: string,
    extra: Partial<CreateTransformJobCommandInput> = {},
  ): CreateTransformJobCommandInput {
    return {
      TransformJobName: name,
      ModelName: 'km',
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/${prefix}` } },
        ContentType: 'text/csv',
        SplitType: 'Line',
      },
      TransformOutput: {
        S3OutputPath: `s3://${BUCKET}/out/${name}`,
        Accept: 'text/csv',
        AssembleWith: 'Line',
      },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
      ...extra,
    };
  }

  function cli(args: readonly string[]) {
    return spawnSync(process.execPath, [PLINTH_BIN, '--endpoint-url', plinth.url, ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'plinth', AWS_SECRET_ACCESS_KEY: 'plinth' },
    });
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'plinth-transform-'));
    // A data directory of the test's own, so that a restarted server finds its jobs.
    plinth = await startPlinthProcess({ dataDir: join(work, 'data') });
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    runtime = runtimeClient(plinth.url);
    const modelData = await trainKmeansModel({ sm, s3 }, BUCKET);
    await deployModel(sm, {
      model: 'km',
      image: KMEANS_IMAGE,
      modelData,
      config: 'km',
      variant: 'AllTraffic',
      instances: 1,
      endpoint: 'km',
    });
  });
  afterAll(async () => {
    await plinth?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('transforms a multi-file CSV prefix on 2 instances: a line per record, in order, as InvokeEndpoint answers', async () => {
    const files = {
      'in/part-1.csv': points(50),
      'in/part-2.csv': points(31, 3),
      'in/sub/part-3.csv': points(20, 1),
    };
    for (const [key, rows] of Object.entries(files)) await put(key, `${rows.join('\n')}\n`);
    await sm.send(
      new CreateTransformJobCommand(
        job('multi', 'in', {
          BatchStrategy: 'MultiRecord',
          MaxPayloadInMB: 1,
          MaxConcurrentTransforms: 2,
          TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 2 },
          Tags: [{ Key: 'team', Value: 'risk' }],
        }),
      ),
    );
    const done = await waitForEnd('multi');
    expect(done.TransformJobStatus, done.FailureReason).toBe('Completed');
    expect(done.TransformStartTime!.getTime()).toBeLessThanOrEqual(
      done.TransformEndTime!.getTime(),
    );
    expect(done.BatchStrategy).toBe('MultiRecord');
    expect(done.ModelClientConfig).toEqual({
      InvocationsTimeoutInSeconds: 600,
      InvocationsMaxRetries: 3,
    });
    for (const [key, rows] of Object.entries(files)) {
      const output = await text(`out/multi/${key.slice('in/'.length)}.out`);
      const lines = output.trimEnd().split('\n');
      expect(lines).toHaveLength(rows.length);
      const direct = await runtime.send(
        new InvokeEndpointCommand({
          EndpointName: 'km',
          ContentType: 'text/csv',
          Accept: 'text/csv',
          Body: new TextEncoder().encode(rows.join('\n')),
        }),
      );
      expect(output).toBe(new TextDecoder().decode(direct.Body));
    }
    const logs = await readJobLogs(plinth.url, {
      logGroupName: '/aws/sagemaker/TransformJobs',
      job: 'multi',
    });
    expect(Object.keys(logs).sort()).toEqual(['algo-1', 'algo-2']);
    expect(
      Object.values(logs)
        .flat()
        .filter((l) => l.startsWith('Transformed s3://batch/in/')),
    ).toHaveLength(3);
    const listed = await sm.send(new ListTransformJobsCommand({ NameContains: 'mult' }));
    expect(listed.TransformJobSummaries).toMatchObject([
      { TransformJobName: 'multi', TransformJobStatus: 'Completed' },
    ]);
  });

  it('drops an ID column for the model and joins it back with the prediction (CSV)', async () => {
    const rows = points(12).map((row, i) => `id-${i},${row}`);
    await put('ids/rows.csv', `${rows.join('\n')}\n`);
    await sm.send(
      new CreateTransformJobCommand(
        job('csv-join', 'ids', {
          DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-2]' },
        }),
      ),
    );
    const done = await waitForEnd('csv-join');
    expect(done.TransformJobStatus, done.FailureReason).toBe('Completed');
    const lines = (await text('out/csv-join/rows.csv.out')).trimEnd().split('\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(rows.map((_, i) => `id-${i}`));
    const clusters = lines.map((l) => l.split(',')[1]);
    // Even rows share a cluster, odd rows the other.
    expect(new Set(clusters.filter((_, i) => i % 2 === 0)).size).toBe(1);
    expect(clusters[0]).not.toBe(clusters[1]);
  });

  it('filters JSON Lines input and keeps the id beside SageMakerOutput', async () => {
    const records = points(6).map((row, i) => ({
      id: `r${i}`,
      point: { features: row.split(',').map(Number) },
      note: 'dropped',
    }));
    await put('json/rows.jsonl', records.map((r) => JSON.stringify(r)).join('\n'));
    await sm.send(
      new CreateTransformJobCommand(
        job('json-join', 'json', {
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/json` } },
            ContentType: 'application/jsonlines',
            SplitType: 'Line',
          },
          TransformOutput: {
            S3OutputPath: `s3://${BUCKET}/out/json-join`,
            Accept: 'application/jsonlines',
            AssembleWith: 'Line',
          },
          DataProcessing: {
            InputFilter: '$.point',
            JoinSource: 'Input',
            OutputFilter: "$['id','SageMakerOutput']",
          },
        }),
      ),
    );
    const done = await waitForEnd('json-join');
    expect(done.TransformJobStatus, done.FailureReason).toBe('Completed');
    const lines = (await text('out/json-join/rows.jsonl.out')).trimEnd().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, { closest_cluster: number }>);
    expect(parsed.map((p) => Object.keys(p))).toEqual(records.map(() => ['id', 'SageMakerOutput']));
    expect(parsed.map((p) => p.id)).toEqual(records.map((r) => r.id));
    expect(typeof parsed[0]!.SageMakerOutput!.closest_cluster).toBe('number');
  });

  it('fails on a bad row, naming the object and line, and writes no output for it', async () => {
    await put('bad/rows.csv', '0.1,0.2\n10,10\n1,2,3\n0,0\n');
    await sm.send(new CreateTransformJobCommand(job('bad-row', 'bad')));
    const done = await waitForEnd('bad-row');
    expect(done.TransformJobStatus).toBe('Failed');
    expect(done.FailureReason).toMatch(
      /^ClientError: s3:\/\/batch\/bad\/rows\.csv, line 3: the model answered 400/,
    );
    expect(done.FailureReason).toContain('feature_dim=2');
    await expect(text('out/bad-row/rows.csv.out')).rejects.toThrow();
  });

  it('fails a record larger than MaxPayloadInMB, naming its line', async () => {
    await put('big/rows.csv', `0,0\n${'1'.repeat(1_100_000)},1\n`);
    await sm.send(new CreateTransformJobCommand(job('too-big', 'big', { MaxPayloadInMB: 1 })));
    const done = await waitForEnd('too-big');
    expect(done.TransformJobStatus).toBe('Failed');
    expect(done.FailureReason).toMatch(
      /rows\.csv, line 2: the record is 1100003 bytes, more than MaxPayloadInMB/,
    );
  });

  it('stops a running job: Stopping, then Stopped', async () => {
    await put('many/rows.csv', `${points(5000).join('\n')}\n`);
    await sm.send(
      new CreateTransformJobCommand(job('to-stop', 'many', { BatchStrategy: 'SingleRecord' })),
    );
    await sm.send(new StopTransformJobCommand({ TransformJobName: 'to-stop' }));
    const stopping = await sm.send(
      new DescribeTransformJobCommand({ TransformJobName: 'to-stop' }),
    );
    expect(['Stopping', 'Stopped']).toContain(stopping.TransformJobStatus);
    const done = await waitForEnd('to-stop');
    expect(done.TransformJobStatus).toBe('Stopped');
    expect(done.TransformEndTime).toBeInstanceOf(Date);
    await expect(
      sm.send(new StopTransformJobCommand({ TransformJobName: 'to-stop' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('answers bad requests with AWS errors', async () => {
    const expectError = async (
      input: CreateTransformJobCommandInput,
      name: string,
      message: RegExp,
    ) => {
      const error = (await sm
        .send(new CreateTransformJobCommand(input))
        .catch((e: unknown) => e)) as Error;
      expect(error.name, error.message).toBe(name);
      expect(error.message).toMatch(message);
    };
    await expectError(
      job('no-model', 'in', { ModelName: 'nope' }),
      'ValidationException',
      /Could not find model/,
    );
    await expectError(
      job('bad-uri', 'in', { TransformOutput: { S3OutputPath: 'https://example.com/out' } }),
      'ValidationException',
      /TransformOutput.S3OutputPath must be an s3:\/\/ URI/,
    );
    await expectError(job('multi', 'in'), 'ResourceInUse', /Transform job names must be unique/);
    await expectError(
      job('huge', 'in', { MaxPayloadInMB: 101 }),
      'ValidationException',
      /MaxPayloadInMB/,
    );
    await expectError(
      job('bad-filter', 'in', { DataProcessing: { InputFilter: '$..x' } }),
      'ValidationException',
      /DataProcessing.InputFilter/,
    );
    const missing = (await sm
      .send(new DescribeTransformJobCommand({ TransformJobName: 'ghost' }))
      .catch((e: unknown) => e)) as Error;
    expect(missing.name).toBe('ResourceNotFound');
  });

  it('runs a job again from the start after the server was killed while it ran', async () => {
    const rows = points(3000);
    await put('restart/rows.csv', `${rows.join('\n')}\n`);
    await sm.send(
      new CreateTransformJobCommand(job('restarted', 'restart', { BatchStrategy: 'SingleRecord' })),
    );
    for (let i = 0; i < 200; i++) {
      const seen = await sm.send(
        new DescribeTransformJobCommand({ TransformJobName: 'restarted' }),
      );
      if (seen.TransformStartTime) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const exited = new Promise((r) => plinth.child.once('exit', r));
    plinth.child.kill('SIGKILL');
    await exited;
    plinth = await startPlinthProcess({ dataDir: join(work, 'data') });
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    const done = await waitForEnd('restarted');
    expect(done.TransformJobStatus, done.FailureReason).toBe('Completed');
    expect((await text('out/restarted/rows.csv.out')).trimEnd().split('\n')).toHaveLength(
      rows.length,
    );
  });

  it('runs from the CLI: uploads a folder, follows the job, exits 0; a bad row exits 1 with the reason', async () => {
    const folder = join(work, 'rows');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'a.csv'), `${points(10).join('\n')}\n`);
    writeFileSync(join(folder, 'b.csv'), `${points(7).join('\n')}\n`);
    const run = cli([
      'transform',
      '--model',
      'km',
      '--input',
      folder,
      '--accept',
      'text/csv',
      '--instance-count',
      '2',
      '--name',
      'cli-run',
      '--bucket',
      BUCKET,
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Transform job cli-run: Completed');
    expect(run.stdout).toContain(`Wrote s3://${BUCKET}/cli-run/output/a.csv.out`);
    expect((await text('cli-run/output/b.csv.out')).trimEnd().split('\n')).toHaveLength(7);
    const bad = cli([
      'transform',
      '--model',
      'km',
      '--input',
      `s3://${BUCKET}/bad`,
      '--name',
      'cli-bad',
      '--bucket',
      BUCKET,
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/Reason: ClientError: s3:\/\/batch\/bad\/rows\.csv, line 3/);
    const listed = cli(['transform-jobs', 'list', '--name-contains', 'cli-']);
    expect(listed.stdout).toMatch(/cli-run\s+Completed/);
    expect(listed.stdout).toMatch(/cli-bad\s+Failed/);
  });
});
