import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateProcessingJobCommand,
  DescribeProcessingJobCommand,
  ListProcessingJobsCommand,
  StopProcessingJobCommand,
  type CreateProcessingJobCommandInput,
  type DescribeProcessingJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import { readJobLogs } from './support/logs.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const BUCKET = 'etl';
const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);
const SKLEARN_IMAGE =
  '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

// Doubles the second column of every CSV row, as a preprocessing step before training would.
const PYTHON_ETL = `
import argparse, json, os, pathlib
parser = argparse.ArgumentParser()
parser.add_argument("--input")
parser.add_argument("--output")
parser.add_argument("--factor", type=float)
args = parser.parse_args()
config = json.load(open("/opt/ml/config/processingjobconfig.json"))
rows = 0
out = pathlib.Path(args.output)
for name in sorted(os.listdir(args.input)):
    with open(os.path.join(args.input, name)) as f, open(out / ("scaled-" + name), "w") as g:
        for line in f:
            a, b = line.strip().split(",")
            g.write(f"{a},{float(b) * args.factor:g}\\n")
            rows += 1
print(f"processed {rows} rows for {config['ProcessingJobName']}")
pathlib.Path("/opt/ml/output/message").write_text(f"rows={rows}")
`;

describe('processing jobs through @aws-sdk/client-sagemaker', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;

  async function upload(key: string, body: string): Promise<string> {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    return `s3://${BUCKET}/${key}`;
  }

  async function text(key: string): Promise<string> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return object.Body!.transformToString();
  }

  async function waitForEnd(name: string): Promise<DescribeProcessingJobCommandOutput> {
    for (let i = 0; i < 300; i++) {
      const job = await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }));
      if (TERMINAL.has(job.ProcessingJobStatus!)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name} did not finish`);
  }

  /** A Node program, given as a code input, run by `plinth/node` with its arguments. */
  async function nodeJob(
    name: string,
    extra: { script: string } & Partial<CreateProcessingJobCommandInput>,
  ): Promise<CreateProcessingJobCommandInput> {
    const { script, ...rest } = extra;
    const code = await upload(`code/${name}/run.js`, script);
    return {
      ProcessingJobName: name,
      RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
      AppSpecification: {
        ImageUri: 'plinth/node:20',
        ContainerEntrypoint: ['node', '/opt/ml/processing/input/code/run.js'],
      },
      ProcessingResources: {
        ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 },
      },
      ProcessingInputs: [
        {
          InputName: 'code',
          S3Input: {
            S3Uri: code,
            LocalPath: '/opt/ml/processing/input/code',
            S3DataType: 'S3Prefix',
            S3InputMode: 'File',
          },
        },
      ],
      ...rest,
    };
  }

  beforeAll(async () => {
    plinth = await startPlinthProcess();
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await upload('raw/a.csv', '1,2\n2,3.5\n');
    await upload('raw/b.csv', '3,10\n');
  });
  afterAll(async () => {
    await plinth?.stop();
  });

  it('runs a Python script from a framework image over inputs and uploads its outputs', async () => {
    const code = await upload('code/etl/preprocess.py', PYTHON_ETL);
    const created = await sm.send(
      new CreateProcessingJobCommand({
        ProcessingJobName: 'scale',
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        AppSpecification: {
          ImageUri: SKLEARN_IMAGE,
          ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocess.py'],
          ContainerArguments: [
            '--input',
            '/opt/ml/processing/input/data',
            '--output',
            '/opt/ml/processing/output/scaled',
            '--factor',
            '2',
          ],
        },
        ProcessingResources: {
          ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 1 },
        },
        ProcessingInputs: [
          {
            InputName: 'code',
            S3Input: {
              S3Uri: code,
              LocalPath: '/opt/ml/processing/input/code',
              S3DataType: 'S3Prefix',
              S3InputMode: 'File',
            },
          },
          {
            InputName: 'data',
            S3Input: {
              S3Uri: `s3://${BUCKET}/raw`,
              LocalPath: '/opt/ml/processing/input/data',
              S3DataType: 'S3Prefix',
              S3InputMode: 'File',
              S3DataDistributionType: 'FullyReplicated',
            },
          },
        ],
        ProcessingOutputConfig: {
          Outputs: [
            {
              OutputName: 'scaled',
              S3Output: {
                S3Uri: `s3://${BUCKET}/scaled`,
                LocalPath: '/opt/ml/processing/output/scaled',
                S3UploadMode: 'EndOfJob',
              },
            },
          ],
        },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    expect(created.ProcessingJobArn).toBe(
      'arn:aws:sagemaker:us-east-1:000000000000:processing-job/scale',
    );
    const job = await waitForEnd('scale');
    expect([job.ProcessingJobStatus, job.FailureReason, job.ExitMessage]).toEqual([
      'Completed',
      undefined,
      'rows=3',
    ]);
    expect(job.ProcessingStartTime!.getTime()).toBeLessThanOrEqual(
      job.ProcessingEndTime!.getTime(),
    );
    expect(job.AppSpecification!.ImageUri).toBe(SKLEARN_IMAGE);
    expect(await text('scaled/scaled-a.csv')).toBe('1,4\n2,7\n');
    expect(await text('scaled/scaled-b.csv')).toBe('3,20\n');

    const logs = await readJobLogs(plinth.url, {
      logGroupName: '/aws/sagemaker/ProcessingJobs',
      job: 'scale',
    });
    expect(logs).toEqual({ 'algo-1': ['processed 3 rows for scale'] });

    const cli = spawnSync(
      process.execPath,
      [PLINTH_BIN, '--endpoint-url', plinth.url, 'processing-jobs', 'list'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/scale\s+Completed/);
    const logged = spawnSync(
      process.execPath,
      [PLINTH_BIN, '--endpoint-url', plinth.url, 'logs', 'scale'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect([logged.status, logged.stdout]).toEqual([0, 'processed 3 rows for scale\n']);
    const listed = await sm.send(new ListProcessingJobsCommand({ StatusEquals: 'Completed' }));
    expect(listed.ProcessingJobSummaries!.map((s) => [s.ProcessingJobName, s.ExitMessage])).toEqual(
      [['scale', 'rows=3']],
    );
    await expect(
      sm.send(new CreateProcessingJobCommand(await nodeJob('scale', { script: 'console.log(1)' }))),
    ).rejects.toMatchObject({
      name: 'ResourceInUse',
      message: expect.stringContaining('a processing job with this name already exists'),
    });
  });

  it('runs one process per instance, each with its shard of a ShardedByS3Key input', async () => {
    const script = `
const fs = require('node:fs');
const root = '/opt/ml';
const host = JSON.parse(fs.readFileSync(root + '/config/resourceconfig.json', 'utf8')).current_host;
const files = fs.readdirSync(root + '/processing/input/data').sort();
fs.writeFileSync(root + '/processing/output/' + host + '.txt', files.join(','));
`;
    const input = await nodeJob('sharded', {
      script,
      ProcessingResources: {
        ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 },
      },
      ProcessingOutputConfig: {
        Outputs: [
          {
            OutputName: 'hosts',
            S3Output: {
              S3Uri: `s3://${BUCKET}/sharded-out/`,
              LocalPath: '/opt/ml/processing/output',
              S3UploadMode: 'EndOfJob',
            },
          },
        ],
      },
    });
    input.ProcessingInputs!.push({
      InputName: 'data',
      S3Input: {
        S3Uri: `s3://${BUCKET}/raw/`,
        LocalPath: '/opt/ml/processing/input/data',
        S3DataType: 'S3Prefix',
        S3InputMode: 'File',
        S3DataDistributionType: 'ShardedByS3Key',
      },
    });
    await sm.send(new CreateProcessingJobCommand(input));
    const job = await waitForEnd('sharded');
    expect([job.ProcessingJobStatus, job.FailureReason]).toEqual(['Completed', undefined]);
    expect(await text('sharded-out/algo-1.txt')).toBe('a.csv');
    expect(await text('sharded-out/algo-2.txt')).toBe('b.csv');
  });

  it('fails with the exit code and ExitMessage, stops on request, and uploads nothing then', async () => {
    const failing = `require('node:fs').writeFileSync(process.env.PLINTH_ML_ROOT + '/output/message', 'bad row 7'); process.exit(3);`;
    await sm.send(new CreateProcessingJobCommand(await nodeJob('failing', { script: failing })));
    const failed = await waitForEnd('failing');
    expect(failed.ProcessingJobStatus).toBe('Failed');
    expect(failed.FailureReason).toBe(
      'AlgorithmError: the program on algo-1 exited with code 3; see its log and ExitMessage.',
    );
    expect(failed.ExitMessage).toBe('bad row 7');

    const forever = `console.log('working'); setInterval(() => {}, 1000);`;
    await sm.send(
      new CreateProcessingJobCommand(
        await nodeJob('forever', {
          script: forever,
          ProcessingOutputConfig: {
            Outputs: [
              {
                OutputName: 'out',
                S3Output: {
                  S3Uri: `s3://${BUCKET}/forever-out`,
                  LocalPath: '/opt/ml/processing/output',
                  S3UploadMode: 'EndOfJob',
                },
              },
            ],
          },
        }),
      ),
    );
    for (let i = 0; ; i++) {
      const job = await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'forever' }));
      if (job.ProcessingStartTime) break;
      if (i > 100) throw new Error('never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    await sm.send(new StopProcessingJobCommand({ ProcessingJobName: 'forever' }));
    const stopped = await waitForEnd('forever');
    expect(stopped.ProcessingJobStatus).toBe('Stopped');
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'forever-out' }),
    );
    expect(listed.KeyCount).toBe(0);
    await expect(
      sm.send(new StopProcessingJobCommand({ ProcessingJobName: 'forever' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('stops the other instances when one fails, and names the one that failed', async () => {
    const script = `
const host = JSON.parse(require('node:fs').readFileSync('/opt/ml/config/resourceconfig.json', 'utf8')).current_host;
if (host === 'algo-2') process.exit(4);
setInterval(() => {}, 1000);
`;
    await sm.send(
      new CreateProcessingJobCommand(
        await nodeJob('one-fails', {
          script,
          ProcessingResources: {
            ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 },
          },
        }),
      ),
    );
    const job = await waitForEnd('one-fails');
    expect([job.ProcessingJobStatus, job.FailureReason]).toEqual([
      'Failed',
      'AlgorithmError: the program on algo-2 exited with code 4; see its log.',
    ]);
  });

  it('fails jobs it cannot run with a reason, and refuses bad requests naming the field', async () => {
    const kmeans = await nodeJob('builtin-image', { script: 'void 0' });
    kmeans.AppSpecification!.ImageUri = '382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1';
    await sm.send(new CreateProcessingJobCommand(kmeans));
    expect((await waitForEnd('builtin-image')).FailureReason).toMatch(
      /^ClientError: .*built-in algorithm: it runs training jobs/,
    );
    const noEntrypoint = await nodeJob('no-entrypoint', { script: 'void 0' });
    delete noEntrypoint.AppSpecification!.ContainerEntrypoint;
    await sm.send(new CreateProcessingJobCommand(noEntrypoint));
    expect((await waitForEnd('no-entrypoint')).FailureReason).toMatch(
      /^ClientError: AppSpecification.ContainerEntrypoint is required/,
    );

    const outside = await nodeJob('outside', { script: 'void 0' });
    outside.ProcessingInputs![0]!.S3Input!.LocalPath = '/opt/ml/processing/../../../etc';
    await expect(sm.send(new CreateProcessingJobCommand(outside))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        "ProcessingInputs 'code' S3Input.LocalPath must be a folder below /opt/ml/processing/",
      ),
    });
    await expect(
      sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'outside' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
    const twice = await nodeJob('twice', { script: 'void 0' });
    twice.ProcessingInputs!.push(twice.ProcessingInputs![0]!);
    await expect(sm.send(new CreateProcessingJobCommand(twice))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('input names must be unique'),
    });
  });

  it('marks a job that was running when the server died as Failed after restart', async () => {
    const forever = `console.log('working'); setInterval(() => {}, 1000);`;
    await sm.send(
      new CreateProcessingJobCommand(await nodeJob('interrupted', { script: forever })),
    );
    for (let i = 0; ; i++) {
      const job = await sm.send(
        new DescribeProcessingJobCommand({ ProcessingJobName: 'interrupted' }),
      );
      if (job.ProcessingStartTime) break;
      if (i > 100) throw new Error('never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { dataDir } = plinth;
    plinth.child.kill('SIGKILL');
    await new Promise((r) => plinth.child.once('exit', r));
    plinth = await startPlinthProcess({ dataDir });
    sm = sagemakerClient(plinth.url);
    const job = await sm.send(
      new DescribeProcessingJobCommand({ ProcessingJobName: 'interrupted' }),
    );
    expect(job.ProcessingJobStatus).toBe('Failed');
    expect(job.FailureReason).toContain('Plinth restarted while this job was running');
    expect(
      (await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'scale' })))
        .ProcessingJobStatus,
    ).toBe('Completed');
  });
});
