import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  StopTrainingJobCommand,
  type CreateTrainingJobCommandInput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { encodeDenseRecords } from '@plinth/algorithms';
import { mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import { readJobLogs } from './support/logs.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { sourceTarball, waitForJob } from './support/training.js';

const BUCKET = 'data';
const ROLE = 'arn:aws:iam::000000000000:role/SageMakerRole';

/** Points around three centers, the same every run. */
function clusteredPoints(count: number): number[][] {
  const centers = [
    [0, 0],
    [10, 10],
    [0, 10],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [x, y] = centers[i % 3]!;
    return [x! + ((i * 7) % 10) / 20, y! + ((i * 13) % 10) / 20];
  });
}

// Writes a checkpoint after its first step and waits to be killed; started again with that
// checkpoint in place, it finishes. It hard-codes /opt/ml as SageMaker user code does.
const CHECKPOINTED = `
const fs = require('node:fs');
const path = require('node:path');
const dir = '/opt/ml/checkpoints';
const state = path.join(dir, 'state.json');
if (fs.existsSync(state)) {
  const { step } = JSON.parse(fs.readFileSync(state, 'utf8'));
  console.log('resumed at step ' + step);
  fs.writeFileSync(path.join(process.env.SM_MODEL_DIR, 'model.json'), JSON.stringify({ step: step + 1 }));
} else {
  fs.writeFileSync(state, JSON.stringify({ step: 1 }));
  console.log('saved step 1');
  setInterval(() => {}, 1000);
}
`;

describe('training data formats, capacity and restarts', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let work: string;

  async function upload(key: string, body: string | Uint8Array): Promise<string> {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    return `s3://${BUCKET}/${key}`;
  }

  function connect(server: PlinthProcess): void {
    plinth = server;
    sm = sagemakerClient(server.url);
    s3 = s3Client(server.url);
  }

  async function scriptJob(
    name: string,
    extra: Partial<CreateTrainingJobCommandInput> & { script: string },
  ): Promise<CreateTrainingJobCommandInput> {
    const { script, ...rest } = extra;
    const source = await upload(
      `code/${name}/sourcedir.tar.gz`,
      sourceTarball(work, { 'train.js': script }),
    );
    return {
      TrainingJobName: name,
      RoleArn: ROLE,
      AlgorithmSpecification: { TrainingImage: 'plinth/node:20', TrainingInputMode: 'File' },
      HyperParameters: {
        sagemaker_program: '"train.js"',
        sagemaker_submit_directory: JSON.stringify(source),
      },
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
      ...rest,
    };
  }

  function hostLogs(job: string): Promise<Record<string, string[]>> {
    return readJobLogs(plinth.url, { logGroupName: '/aws/sagemaker/TrainingJobs', job });
  }

  beforeAll(async () => {
    connect(await startPlinthProcess());
    work = mkdtempSync(join(tmpdir(), 'plinth-training-data-'));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(async () => {
    await plinth?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('trains k-means on RecordIO-protobuf across two instances, each reading its shard', async () => {
    const points = clusteredPoints(300);
    for (let part = 0; part < 4; part++) {
      const rows = points.slice(part * 75, (part + 1) * 75);
      await upload(`kmeans-rio/train/part-${part}.rec`, encodeDenseRecords(rows));
    }
    await upload('kmeans-rio/test/all.rec', encodeDenseRecords(points.slice(0, 30)));
    const channel = (name: string, distribution: 'ShardedByS3Key' | 'FullyReplicated') => ({
      ChannelName: name,
      ContentType: 'application/x-recordio-protobuf',
      // Pipe is accepted and delivered as files.
      InputMode: 'Pipe' as const,
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix' as const,
          S3Uri: `s3://${BUCKET}/kmeans-rio/${name}/`,
          S3DataDistributionType: distribution,
        },
      },
    });
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'kmeans-recordio',
        RoleArn: ROLE,
        AlgorithmSpecification: {
          TrainingImage: '174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1',
          TrainingInputMode: 'Pipe',
        },
        HyperParameters: { k: '3', feature_dim: '2', mini_batch_size: '50', epochs: '3' },
        InputDataConfig: [channel('train', 'ShardedByS3Key'), channel('test', 'FullyReplicated')],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/kmeans-rio-output` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const job = await waitForJob(sm, 'kmeans-recordio');
    expect([job.TrainingJobStatus, job.FailureReason]).toEqual(['Completed', undefined]);
    expect(job.FinalMetricDataList!.find((m) => m.MetricName === 'test:msd')!.Value).toBeLessThan(
      1,
    );
    expect(job.BillableTimeInSeconds).toBe(job.TrainingTimeInSeconds! * 2);
    await s3.send(
      new HeadObjectCommand({
        Bucket: BUCKET,
        Key: 'kmeans-rio-output/kmeans-recordio/output/model.tar.gz',
      }),
    );
    // Each host streamed its half of the four objects, 150 of the 300 records; algo-2 handed its
    // centers to algo-1, which reduced both halves into the one model.
    const logs = await hostLogs('kmeans-recordio');
    expect(Object.keys(logs).sort()).toEqual(['algo-1', 'algo-2']);
    for (const lines of Object.values(logs)) {
      expect(lines.find((l) => l.includes('Epoch 1 of 3'))).toContain('150 records');
    }
    expect(
      logs['algo-2']!.some((l) => l.includes('streaming centers of 150 records to algo-1')),
    ).toBe(true);
    expect(
      logs['algo-1']!.some((l) =>
        l.includes('Combined the streaming centers of 2 hosts: 300 records'),
      ),
    ).toBe(true);
  });

  it('trains linear-learner on labelled RecordIO-protobuf, gzip-compressed', async () => {
    const labelled = (count: number, offset: number) => {
      const rows = Array.from({ length: count }, (_, i) => [
        ((i * 37 + offset) % 100) / 100,
        ((i * 61 + offset) % 100) / 100,
      ]);
      return { rows, labels: rows.map(([x, y]) => (x! + y! > 1 ? 1 : 0)) };
    };
    const train = labelled(400, 0);
    const validation = labelled(100, 7);
    await upload(
      'linear-rio/train/part.rec.gz',
      gzipSync(encodeDenseRecords(train.rows, train.labels)),
    );
    await upload(
      'linear-rio/validation/part.rec',
      encodeDenseRecords(validation.rows, validation.labels),
    );
    const channel = (name: string, gzip: boolean) => ({
      ChannelName: name,
      ContentType: 'application/x-recordio-protobuf',
      ...(gzip ? { CompressionType: 'Gzip' as const } : {}),
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix' as const,
          S3Uri: `s3://${BUCKET}/linear-rio/${name}`,
        },
      },
    });
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'linear-recordio',
        RoleArn: ROLE,
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
        InputDataConfig: [channel('train', true), channel('validation', false)],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/linear-rio-output` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const job = await waitForJob(sm, 'linear-recordio');
    expect([job.TrainingJobStatus, job.FailureReason]).toEqual(['Completed', undefined]);
    const accuracy = job.FinalMetricDataList!.find(
      (m) => m.MetricName === 'validation:binary_classification_accuracy',
    );
    expect(accuracy!.Value).toBeGreaterThan(0.9);
  });

  it('starts a job with checkpoints again after a crash, resuming from what it saved', async () => {
    await sm.send(
      new CreateTrainingJobCommand(
        await scriptJob('resumable', {
          script: CHECKPOINTED,
          CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/resumable` },
        }),
      ),
    );
    // The checkpoint reaches the store while the job runs, not only when it ends.
    for (let i = 0; ; i++) {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'checkpoints/resumable/' }),
      );
      if (listed.Contents?.some((o) => o.Key === 'checkpoints/resumable/state.json')) break;
      if (i > 200) throw new Error('the checkpoint was never uploaded');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { dataDir } = plinth;
    plinth.child.kill('SIGKILL');
    await new Promise((r) => plinth.child.once('exit', r));
    connect(await startPlinthProcess({ dataDir }));

    const job = await waitForJob(sm, 'resumable');
    expect([job.TrainingJobStatus, job.FailureReason]).toEqual(['Completed', undefined]);
    const statuses = job.SecondaryStatusTransitions!.map((t) => t.Status);
    expect(statuses).toEqual([
      'Starting',
      'Downloading',
      'Training',
      'Restarting',
      'Downloading',
      'Training',
      'Uploading',
      'Completed',
    ]);
    expect((await hostLogs('resumable'))['algo-1']).toEqual(['saved step 1', 'resumed at step 1']);
  });

  it('makes a job wait its turn when the machine is busy, and runs it once there is room', async () => {
    await plinth.stop();
    // Two cores: one ml.m5.large job (2 vCPUs) fills the machine.
    connect(await startPlinthProcess({ env: { PLINTH_CPUS: '2' } }));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const forever = `console.log('first is running'); setInterval(() => {}, 1000);`;
    await sm.send(new CreateTrainingJobCommand(await scriptJob('first', { script: forever })));
    await waitForJob(sm, 'first', (job) => job.SecondaryStatus === 'Training');
    await sm.send(
      new CreateTrainingJobCommand(
        await scriptJob('second', { script: `console.log('second ran');` }),
      ),
    );
    const waiting = await waitForJob(sm, 'second', (job) => job.SecondaryStatus === 'Pending');
    expect(waiting.TrainingJobStatus).toBe('InProgress');
    expect(waiting.SecondaryStatusTransitions!.at(-1)!.StatusMessage).toMatch(
      /^Waiting for capacity: this job needs 2 cores/,
    );
    // A third job waiting behind it can be stopped before it ever starts.
    await sm.send(
      new CreateTrainingJobCommand(await scriptJob('third', { script: `console.log('x');` })),
    );
    await waitForJob(sm, 'third', (job) => job.SecondaryStatus === 'Pending');
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'third' }));
    const third = await waitForJob(sm, 'third');
    expect([third.TrainingJobStatus, third.TrainingStartTime]).toEqual(['Stopped', undefined]);

    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'first' }));
    const second = await waitForJob(sm, 'second');
    expect(second.TrainingJobStatus).toBe('Completed');
    expect(second.SecondaryStatusTransitions!.map((t) => t.Status)).toEqual([
      'Starting',
      'Pending',
      'Downloading',
      'Training',
      'Uploading',
      'Completed',
    ]);
    const first = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'first' }));
    expect(second.TrainingStartTime!.getTime()).toBeGreaterThanOrEqual(
      first.TrainingEndTime!.getTime(),
    );
  });
});
