import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
  StopTrainingJobCommand,
  type CreateTrainingJobCommandInput,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { s3Client, sagemakerClient, TEST_KEYS } from './support/clients.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { sourceTarball, waitForJob } from './support/training.js';

const BUCKET = 'training';

const NODE_TRAINER = `
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const epochs = Number(args[args.indexOf('--epochs') + 1]);
const dir = process.env.SM_CHANNEL_TRAIN;
let sum = 0;
for (const file of fs.readdirSync(dir)) for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\\n')) if (line) sum += Number(line);
for (let e = 1; e <= epochs; e++) console.log('epoch=' + e + ' loss=' + (1 / e).toFixed(3));
fs.writeFileSync(path.join(process.env.SM_MODEL_DIR, 'model.json'), JSON.stringify({ sum, epochs, hosts: JSON.parse(process.env.SM_HOSTS) }));
fs.writeFileSync(path.join(process.env.SM_OUTPUT_DATA_DIR, 'summary.txt'), 'sum=' + sum);
`;

describe('training jobs through @aws-sdk/client-sagemaker', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let work: string;

  async function upload(key: string, body: string | Buffer): Promise<string> {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    return `s3://${BUCKET}/${key}`;
  }

  function waitForEnd(name: string, client = sm): Promise<DescribeTrainingJobCommandOutput> {
    return waitForJob(client, name);
  }

  async function waitForTraining(name: string): Promise<void> {
    await waitForJob(sm, name, (job) => job.SecondaryStatus === 'Training');
  }

  function scriptJob(
    name: string,
    extra: Partial<CreateTrainingJobCommandInput> & { source: string; script?: string },
  ): CreateTrainingJobCommandInput {
    const { source, script = 'train.js', ...rest } = extra;
    return {
      TrainingJobName: name,
      RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
      AlgorithmSpecification: { TrainingImage: 'plinth/node:20', TrainingInputMode: 'File' },
      HyperParameters: {
        sagemaker_program: JSON.stringify(script),
        sagemaker_submit_directory: JSON.stringify(source),
      },
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
      ...rest,
    };
  }

  beforeAll(async () => {
    plinth = await startPlinthProcess();
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    work = mkdtempSync(join(tmpdir(), 'plinth-training-'));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await upload('data/train/a.txt', '1\n2\n3\n');
    await upload('data/train/b.txt', '4\n');
  });
  afterAll(async () => {
    await plinth?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('runs a Node script in script mode and leaves model.tar.gz where SageMaker does', async () => {
    const source = await upload(
      'code/node/sourcedir.tar.gz',
      sourceTarball(work, { 'train.js': NODE_TRAINER }),
    );
    const created = await sm.send(
      new CreateTrainingJobCommand(
        scriptJob('node-script', {
          source,
          HyperParameters: {
            sagemaker_program: '"train.js"',
            sagemaker_submit_directory: JSON.stringify(source),
            epochs: '3',
          },
          AlgorithmSpecification: {
            TrainingImage: 'plinth/node:20',
            TrainingInputMode: 'File',
            MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=(\\S+)' }],
          },
          InputDataConfig: [
            {
              ChannelName: 'train',
              DataSource: {
                S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/data/train` },
              },
            },
          ],
        }),
      ),
    );
    expect(created.TrainingJobArn).toBe(
      'arn:aws:sagemaker:us-east-1:000000000000:training-job/node-script',
    );
    const job = await waitForEnd('node-script');
    expect(job.FailureReason).toBeUndefined();
    expect(job.TrainingJobStatus).toBe('Completed');
    expect(job.SecondaryStatus).toBe('Completed');
    expect(job.SecondaryStatusTransitions!.map((t) => t.Status)).toEqual([
      'Starting',
      'Downloading',
      'Training',
      'Uploading',
      'Completed',
    ]);
    expect(job.ModelArtifacts!.S3ModelArtifacts).toBe(
      `s3://${BUCKET}/output/node-script/output/model.tar.gz`,
    );
    expect(job.TrainingStartTime!.getTime()).toBeLessThanOrEqual(job.TrainingEndTime!.getTime());
    expect(job.TrainingTimeInSeconds).toBeGreaterThanOrEqual(1);
    expect(job.FinalMetricDataList!.map((m) => [m.MetricName, m.Value])).toEqual([
      ['train:loss', 0.333],
    ]);

    const artifact = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'output/node-script/output/model.tar.gz' }),
    );
    const tarball = join(work, 'model.tar.gz');
    writeFileSync(tarball, Buffer.from(await artifact.Body!.transformToByteArray()));
    const extracted = spawnSync('tar', ['-xzOf', tarball, './model.json'], { encoding: 'utf8' });
    expect(JSON.parse(extracted.stdout)).toEqual({ sum: 10, epochs: 3, hosts: ['algo-1'] });
    // What the program left in output/data goes beside the model, as output.tar.gz.
    const output = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'output/node-script/output/output.tar.gz' }),
    );
    writeFileSync(tarball, Buffer.from(await output.Body!.transformToByteArray()));
    const summary = spawnSync('tar', ['-xzOf', tarball, './summary.txt'], { encoding: 'utf8' });
    expect(summary.stdout).toBe('sum=10');

    const listed = await sm.send(new ListTrainingJobsCommand({ StatusEquals: 'Completed' }));
    expect(listed.TrainingJobSummaries!.map((s) => s.TrainingJobName)).toContain('node-script');
    await expect(
      sm.send(new CreateTrainingJobCommand(scriptJob('node-script', { source }))),
    ).rejects.toMatchObject({
      name: 'ResourceInUse',
      message: expect.stringContaining(
        'a training job with this name already exists (arn:aws:sagemaker:us-east-1:000000000000:training-job/node-script)',
      ),
    });
  });

  it('serves job logs through the CloudWatch Logs API and plinth logs', async () => {
    const logs = new CloudWatchLogsClient({
      endpoint: plinth.url,
      region: 'us-east-1',
      credentials: TEST_KEYS,
      maxAttempts: 1,
    });
    const group = '/aws/sagemaker/TrainingJobs';
    const { logStreams } = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'node-script' }),
    );
    expect(logStreams!.map((s) => s.logStreamName)).toEqual([
      expect.stringMatching(/^node-script\/algo-1-\d+$/),
    ]);
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: logStreams![0]!.logStreamName!,
        startFromHead: true,
      }),
    );
    expect(page.events!.map((e) => e.message)).toEqual([
      'epoch=1 loss=1.000',
      'epoch=2 loss=0.500',
      'epoch=3 loss=0.333',
    ]);
    const after = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: logStreams![0]!.logStreamName!,
        nextToken: page.nextForwardToken,
      }),
    );
    expect([after.events, after.nextForwardToken]).toEqual([[], page.nextForwardToken]);
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: '/other', logStreamName: 'x' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    const cli = (args: string[]) =>
      spawnSync(process.execPath, [PLINTH_BIN, '--endpoint-url', plinth.url, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    const printed = cli(['logs', 'node-script']);
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toBe('epoch=1 loss=1.000\nepoch=2 loss=0.500\nepoch=3 loss=0.333\n');
    expect(cli(['training-jobs', 'list']).stdout).toMatch(/node-script\s+Completed/);
    const ghost = cli(['logs', 'ghost']);
    expect([ghost.status, ghost.stderr]).toEqual([1, expect.stringContaining('ResourceNotFound')]);

    const slow = `for (let i = 1; i <= 3; i++) setTimeout(() => console.log('tick ' + i), i * 400);`;
    const source = await upload(
      'code/slow/sourcedir.tar.gz',
      sourceTarball(work, { 'train.js': slow }),
    );
    await sm.send(new CreateTrainingJobCommand(scriptJob('followed', { source })));
    const follow = spawn(process.execPath, [
      PLINTH_BIN,
      '--endpoint-url',
      plinth.url,
      'logs',
      'followed',
      '--follow',
    ]);
    let out = '';
    let err = '';
    follow.stdout.on('data', (c: Buffer) => (out += c.toString()));
    follow.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((resolve) => follow.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toBe('tick 1\ntick 2\ntick 3\n');
    expect(err).toContain('Training job followed: Completed');
  });

  it('trains the built-in k-means from its SageMaker image URI on CSV data, with its metrics', async () => {
    const centers = [
      [0, 0],
      [10, 10],
      [0, 10],
    ];
    const rows = Array.from({ length: 300 }, (_, i) => {
      const [x, y] = centers[i % 3]!;
      return `${x! + ((i * 7) % 10) / 20},${y! + ((i * 13) % 10) / 20}`;
    });
    await upload('kmeans/train/data.csv', rows.join('\n') + '\n');
    await upload('kmeans/test/data.csv', rows.slice(0, 30).join('\n') + '\n');
    const channel = (name: string) => ({
      ChannelName: name,
      ContentType: 'text/csv;label_size=0',
      DataSource: {
        S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: `s3://${BUCKET}/kmeans/${name}` },
      },
    });
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'kmeans-builtin',
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        AlgorithmSpecification: {
          TrainingImage: '382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1',
          TrainingInputMode: 'File',
        },
        HyperParameters: { k: '3', feature_dim: '2', mini_batch_size: '100', epochs: '5' },
        InputDataConfig: [channel('train'), channel('test')],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/kmeans-output` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      }),
    );
    const job = await waitForEnd('kmeans-builtin');
    expect([job.TrainingJobStatus, job.FailureReason]).toEqual(['Completed', undefined]);
    const msd = job.FinalMetricDataList!.find((m) => m.MetricName === 'test:msd');
    expect(msd!.Value).toBeLessThan(1);

    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'kmeans-bad-k',
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        AlgorithmSpecification: { TrainingImage: 'kmeans', TrainingInputMode: 'File' },
        HyperParameters: { k: 'three', feature_dim: '2' },
        InputDataConfig: [channel('train')],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/kmeans-output` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      }),
    );
    const bad = await waitForEnd('kmeans-bad-k');
    expect(bad.TrainingJobStatus).toBe('Failed');
    expect(bad.FailureReason).toMatch(/^AlgorithmError: .*\bk\b/);
  });

  it('trains the built-in linear-learner as a binary classifier, picking its model on validation', async () => {
    const rows = (count: number, offset: number) =>
      Array.from({ length: count }, (_, i) => {
        const x = ((i * 37 + offset) % 100) / 100;
        const y = ((i * 61 + offset) % 100) / 100;
        return `${x + y > 1 ? 1 : 0},${x},${y}`;
      }).join('\n') + '\n';
    await upload('linear/train/data.csv', rows(400, 0));
    await upload('linear/validation/data.csv', rows(100, 7));
    const channel = (name: string) => ({
      ChannelName: name,
      ContentType: 'text/csv',
      DataSource: {
        S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: `s3://${BUCKET}/linear/${name}` },
      },
    });
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'linear-binary',
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        AlgorithmSpecification: {
          TrainingImage: '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1',
          TrainingInputMode: 'File',
        },
        HyperParameters: {
          predictor_type: 'binary_classifier',
          feature_dim: '2',
          mini_batch_size: '50',
          epochs: '20',
        },
        InputDataConfig: [channel('train'), channel('validation')],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/linear-output` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      }),
    );
    const job = await waitForEnd('linear-binary');
    expect([job.TrainingJobStatus, job.FailureReason]).toEqual(['Completed', undefined]);
    const metric = (name: string) =>
      job.FinalMetricDataList!.find((m) => m.MetricName === name)?.Value;
    expect(metric('validation:binary_classification_accuracy')).toBeGreaterThan(0.9);
    expect(metric('train:objective_loss')).toBeGreaterThan(0);
  });

  it('runs a Python script in script mode', async () => {
    const trainer = [
      'import json, os, sys',
      'args = sys.argv[1:]',
      'with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"), "w") as f:',
      '    json.dump({"args": args, "hps": json.loads(os.environ["SM_HPS"])}, f)',
      'print("accuracy=0.9")',
    ].join('\n');
    const source = await upload(
      'code/py/sourcedir.tar.gz',
      sourceTarball(work, { 'train.py': trainer }),
    );
    await sm.send(
      new CreateTrainingJobCommand(
        scriptJob('py-script', {
          source,
          script: 'train.py',
          AlgorithmSpecification: {
            TrainingImage:
              '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
            TrainingInputMode: 'File',
            MetricDefinitions: [{ Name: 'validation:accuracy', Regex: 'accuracy=([0-9.]+)' }],
          },
          HyperParameters: {
            sagemaker_program: '"train.py"',
            sagemaker_submit_directory: JSON.stringify(source),
            alpha: '0.5',
          },
        }),
      ),
    );
    const job = await waitForEnd('py-script');
    expect([job.TrainingJobStatus, job.FailureReason]).toEqual(['Completed', undefined]);
    expect(job.FinalMetricDataList![0]).toMatchObject({
      MetricName: 'validation:accuracy',
      Value: 0.9,
    });
  });

  it('gives a job with EnableNetworkIsolation no network, and one without it the network', async () => {
    const probe = `
      const fs = require('node:fs');
      const url = new URL(process.env.PLINTH_URL);
      require('node:net').connect(Number(url.port), url.hostname)
        .on('connect', () => { fs.writeFileSync(process.env.SM_MODEL_DIR + '/network.txt', 'reached'); process.exit(0); })
        .on('error', (e) => { fs.writeFileSync(process.env.SM_MODEL_DIR + '/network.txt', 'blocked ' + e.code); process.exit(0); });`;
    const source = await upload(
      'code/probe/sourcedir.tar.gz',
      sourceTarball(work, { 'train.js': probe }),
    );
    const results: Record<string, string> = {};
    for (const [name, isolated] of [
      ['isolated-job', true],
      ['networked-job', false],
    ] as const) {
      await sm.send(
        new CreateTrainingJobCommand(
          scriptJob(name, {
            source,
            EnableNetworkIsolation: isolated,
            Environment: { PLINTH_URL: plinth.url },
          }),
        ),
      );
      const job = await waitForEnd(name);
      expect([job.TrainingJobStatus, job.FailureReason, job.EnableNetworkIsolation]).toEqual([
        'Completed',
        undefined,
        isolated,
      ]);
      const artifact = await s3.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: `output/${name}/output/model.tar.gz` }),
      );
      const tarball = join(work, `${name}.tar.gz`);
      writeFileSync(tarball, Buffer.from(await artifact.Body!.transformToByteArray()));
      results[name] = spawnSync('tar', ['-xzOf', tarball, './network.txt'], {
        encoding: 'utf8',
      }).stdout;
    }
    expect(results['isolated-job']).toMatch(/^blocked E/);
    expect(results['networked-job']).toBe('reached');
  });

  it('fails with the text the program wrote to output/failure', async () => {
    const failing = `require('node:fs').writeFileSync(process.env.SM_OUTPUT_DIR + '/failure', 'feature_dim must be positive'); process.exit(3);`;
    const source = await upload(
      'code/fail/sourcedir.tar.gz',
      sourceTarball(work, { 'train.js': failing }),
    );
    await sm.send(new CreateTrainingJobCommand(scriptJob('failing-script', { source })));
    const job = await waitForEnd('failing-script');
    expect(job.TrainingJobStatus).toBe('Failed');
    expect(job.FailureReason).toBe('AlgorithmError: feature_dim must be positive');
    expect(job.SecondaryStatusTransitions!.at(-1)!.Status).toBe('Failed');
  });

  it('stops a running job on request, and at its maximum runtime', async () => {
    const forever = `console.log('started'); setInterval(() => {}, 1000);`;
    const source = await upload(
      'code/forever/sourcedir.tar.gz',
      sourceTarball(work, { 'train.js': forever }),
    );
    await sm.send(new CreateTrainingJobCommand(scriptJob('stopped-job', { source })));
    await waitForTraining('stopped-job');
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'stopped-job' }));
    const stopped = await waitForEnd('stopped-job');
    expect([stopped.TrainingJobStatus, stopped.SecondaryStatus]).toEqual(['Stopped', 'Stopped']);
    expect(stopped.SecondaryStatusTransitions!.map((t) => t.Status)).toContain('Stopping');

    await sm.send(
      new CreateTrainingJobCommand(
        scriptJob('timed-out', { source, StoppingCondition: { MaxRuntimeInSeconds: 1 } }),
      ),
    );
    const timedOut = await waitForEnd('timed-out');
    expect([timedOut.TrainingJobStatus, timedOut.SecondaryStatus]).toEqual([
      'Stopped',
      'MaxRuntimeExceeded',
    ]);
    await expect(
      sm.send(new StopTrainingJobCommand({ TrainingJobName: 'timed-out' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('fails jobs it cannot run, with a reason, and answers ResourceNotFound for unknown jobs', async () => {
    await sm.send(
      new CreateTrainingJobCommand({
        ...scriptJob('unknown-image', { source: 's3://nowhere/x.tar.gz' }),
        AlgorithmSpecification: {
          TrainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:1',
          TrainingInputMode: 'File',
        },
      }),
    );
    const job = await waitForEnd('unknown-image');
    expect(job.TrainingJobStatus).toBe('Failed');
    expect(job.FailureReason).toContain(
      "cannot run the image '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:1'",
    );

    const source = await upload(
      'code/nodata/sourcedir.tar.gz',
      sourceTarball(work, { 'train.js': '' }),
    );
    await sm.send(
      new CreateTrainingJobCommand(
        scriptJob('missing-data', {
          source,
          InputDataConfig: [
            {
              ChannelName: 'train',
              DataSource: {
                S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/no/such/prefix` },
              },
            },
          ],
        }),
      ),
    );
    const missing = await waitForEnd('missing-data');
    expect(missing.TrainingJobStatus).toBe('Failed');
    expect(missing.FailureReason).toMatch(/^ClientError: .*s3:\/\/training\/no\/such\/prefix/);

    await expect(
      sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'ghost' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFound',
      message: 'Requested resource not found.',
    });

    for (const LocalPath of ['/tmp/ckpt', '/opt/ml/../../etc', '/opt/ml']) {
      await expect(
        sm.send(
          new CreateTrainingJobCommand(
            scriptJob('bad-checkpoint', {
              source,
              CheckpointConfig: { S3Uri: `s3://${BUCKET}/ckpt`, LocalPath },
            }),
          ),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining(
          'CheckpointConfig.LocalPath must be a folder below /opt/ml',
        ),
      });
    }
    await expect(
      sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'bad-checkpoint' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });

  it('marks a job that was running when the server died as Failed after restart', async () => {
    const forever = `setInterval(() => {}, 1000);`;
    const source = await upload(
      'code/crash/sourcedir.tar.gz',
      sourceTarball(work, { 'train.js': forever }),
    );
    await sm.send(new CreateTrainingJobCommand(scriptJob('interrupted', { source })));
    await waitForTraining('interrupted');
    const dataDir = plinth.dataDir;
    plinth.child.kill('SIGKILL');
    await new Promise((r) => plinth.child.once('exit', r));
    plinth = await startPlinthProcess({ dataDir });
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    const job = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'interrupted' }));
    expect(job.TrainingJobStatus).toBe('Failed');
    expect(job.FailureReason).toContain('Plinth restarted while this job was running');
    expect(job.FailureReason).toContain('no CheckpointConfig to resume from');
    // Jobs that had ended are left as they were.
    expect(
      (await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'node-script' })))
        .TrainingJobStatus,
    ).toBe('Completed');
  });
});
