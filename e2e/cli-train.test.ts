import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  DescribeTrainingJobCommand,
  StopTrainingJobCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { sourceTarball, waitForJob } from './support/training.js';

/** Three well-separated clusters of 2-D points, as CSV without a label column. */
function clusteredCsv(count: number): string {
  const centers = [
    [0, 0],
    [10, 10],
    [0, 10],
  ];
  const rows = Array.from({ length: count }, (_, i) => {
    const [x, y] = centers[i % 3]!;
    return `${x! + ((i * 7) % 10) / 20},${y! + ((i * 13) % 10) / 20}`;
  });
  return `${rows.join('\n')}\n`;
}

describe('plinth train', () => {
  let server: PlinthProcess;
  let sm: SageMakerClient;
  let work: string;
  let trainCsv: string;
  let uploadedTrain: string;

  const kmeans = ['train', '--algorithm', 'kmeans', '--content-type', 'text/csv;label_size=0'];

  function plinth(args: readonly string[]) {
    return spawnSync(process.execPath, [PLINTH_BIN, '--endpoint-url', server.url, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  beforeAll(async () => {
    server = await startPlinthProcess();
    sm = sagemakerClient(server.url);
    work = mkdtempSync(join(tmpdir(), 'plinth-cli-train-'));
    trainCsv = join(work, 'train.csv');
    writeFileSync(trainCsv, clusteredCsv(300));
    writeFileSync(join(work, 'test.csv'), clusteredCsv(30));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('uploads a local CSV, trains k-means, shows its progress and ends with the model', async () => {
    const run = plinth([
      ...kmeans,
      '--train',
      trainCsv,
      '--test',
      join(work, 'test.csv'),
      '--hyperparameters',
      'k=3',
      'feature_dim=2',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const job = /Training job (\S+) created/.exec(run.stdout)?.[1];
    expect(job).toMatch(/^kmeans-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-\d{3}$/);
    uploadedTrain = `s3://plinth-default/${job}/input/train/`;
    expect(run.stdout).toContain(`Uploaded ${trainCsv} (1 file, 2.9 kB) to ${uploadedTrain}\n`);
    const statuses = run.stdout
      .split('\n')
      .flatMap((line) => /^\[\d+:\d\d\] (\w+) - /.exec(line)?.[1] ?? []);
    expect(statuses).toEqual(['Starting', 'Downloading', 'Training', 'Uploading', 'Completed']);
    // The job's log streams between Training and Uploading.
    const lines = run.stdout.split('\n');
    const metricLine = lines.findIndex((l) => l.includes('#quality_metric: host=algo-1, test msd'));
    expect(metricLine).toBeGreaterThan(lines.findIndex((l) => l.includes('] Training - ')));
    expect(metricLine).toBeLessThan(lines.findIndex((l) => l.includes('] Uploading - ')));
    expect(run.stdout).toContain(`Training job ${job}: Completed`);
    expect(run.stdout).toContain(
      `Model artifact: s3://plinth-default/${job}/output/model.tar.gz\n`,
    );
    expect(run.stdout).toMatch(/^METRIC\s+VALUE\ntest:msd\s+0\.\d+/m);

    const described = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: job }));
    expect(described.TrainingJobStatus).toBe('Completed');
    expect(described.AlgorithmSpecification!.TrainingImage).toBe('plinth/kmeans:1');
    expect(described.HyperParameters).toEqual({ k: '3', feature_dim: '2' });
    expect(described.InputDataConfig!.map((c) => c.DataSource!.S3DataSource!.S3Uri)).toEqual([
      uploadedTrain,
      `s3://plinth-default/${job}/input/test/`,
    ]);
    expect(described.ModelArtifacts!.S3ModelArtifacts).toBe(
      `s3://plinth-default/${job}/output/model.tar.gz`,
    );
    const object = await s3Client(server.url).send(
      new GetObjectCommand({ Bucket: 'plinth-default', Key: `${job}/input/train/train.csv` }),
    );
    expect(await object.Body!.transformToString()).toBe(clusteredCsv(300));
  });

  it('exits 1 with the FailureReason and what to do when the job fails', () => {
    const run = plinth([
      ...kmeans,
      '--train',
      uploadedTrain,
      '--hyperparameters',
      'k=0',
      'feature_dim=2',
      '--name',
      'cli-bad-k',
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('Uploaded');
    expect(run.stdout).toContain('Training job cli-bad-k: Failed');
    expect(run.stdout).toMatch(/^Reason: AlgorithmError: .*\bk\b/m);
    expect(run.stdout).toContain('plinth logs cli-bad-k');
  });

  it('with --no-wait --json prints the job ARN once the job is created', async () => {
    const folder = join(work, 'parts');
    mkdirSync(join(folder, 'more'), { recursive: true });
    writeFileSync(join(folder, 'a.csv'), clusteredCsv(150));
    writeFileSync(join(folder, 'more', 'b.csv'), clusteredCsv(150));
    const run = plinth([
      ...kmeans,
      '--train',
      folder,
      '--hyperparameters',
      'k=3',
      'feature_dim=2',
      '--name',
      'cli-no-wait',
      '--no-wait',
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      TrainingJobName: 'cli-no-wait',
      TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/cli-no-wait',
    });
    expect(run.stderr).not.toContain('Training job cli-no-wait: ');
    const listed = await s3Client(server.url).send(
      new ListObjectsV2Command({ Bucket: 'plinth-default', Prefix: 'cli-no-wait/input/' }),
    );
    expect(listed.Contents!.map((o) => o.Key)).toEqual([
      'cli-no-wait/input/train/a.csv',
      'cli-no-wait/input/train/more/b.csv',
    ]);
    expect((await waitForJob(sm, 'cli-no-wait')).TrainingJobStatus).toBe('Completed');
  });

  it('rejects bad flags with a message naming the flag', () => {
    const cases: [string[], string][] = [
      [[...kmeans, '--hyperparameters', 'k'], "option '--hyperparameters <name=value...>'"],
      [['train', '--algorithm', 'deepar'], "option '--algorithm <name>' argument 'deepar'"],
      [['train', '--train', trainCsv], 'give exactly one of --algorithm <name> and --image <uri>'],
      [[...kmeans, '--train', join(work, 'nope.csv')], "option '--train <path-or-s3-uri>'"],
      [[...kmeans, '--max-runtime', '0'], "option '--max-runtime <seconds>'"],
    ];
    for (const [args, message] of cases) {
      const run = plinth(args);
      expect(run.status, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toContain(message);
    }
  });

  it('on Ctrl-C stops following, leaves the job running and says how to stop it', async () => {
    const tarball = join(work, 'sourcedir.tar.gz');
    const forever = `console.log('started'); setInterval(() => {}, 1000);`;
    writeFileSync(tarball, sourceTarball(work, { 'train.js': forever }));
    const child = spawn(process.execPath, [
      PLINTH_BIN,
      '--endpoint-url',
      server.url,
      'train',
      '--image',
      'plinth/node:20',
      '--name',
      'cli-forever',
      // The source travels as a channel of its own, uploaded before the job is created.
      '--channel',
      `code=${tarball}`,
      '--hyperparameters',
      'sagemaker_program=train.js',
      'sagemaker_submit_directory=s3://plinth-default/cli-forever/input/code/sourcedir.tar.gz',
    ]);
    let out = '';
    const started = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\nstarted\n')) resolve();
      }),
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await started;
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(out).toContain('Stopped following cli-forever; the job keeps running on the server.');
    expect(out).toContain(
      `aws --endpoint-url ${server.url} sagemaker stop-training-job --training-job-name cli-forever`,
    );
    const job = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'cli-forever' }));
    expect(job.TrainingJobStatus).toBe('InProgress');
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'cli-forever' }));
    expect((await waitForJob(sm, 'cli-forever')).TrainingJobStatus).toBe('Stopped');
  });
});
