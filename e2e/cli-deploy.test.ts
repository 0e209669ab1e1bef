import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeModelCommand,
  ListModelsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

/** Two well-separated clusters of 2-D points, as CSV without a label column. */
function clusteredCsv(count: number): string {
  const rows = Array.from({ length: count }, (_, i) =>
    i % 2 === 0 ? `${(i % 7) / 10},${(i % 5) / 10}` : `${10 + (i % 7) / 10},${10 + (i % 5) / 10}`,
  );
  return `${rows.join('\n')}\n`;
}

interface Predictions {
  predictions: { closest_cluster: number; distance_to_cluster: number }[];
}

describe('plinth deploy and plinth invoke', () => {
  let server: PlinthProcess;
  let sm: SageMakerClient;
  let work: string;
  let job: string;
  let endpoint: string;
  let artifact: string;

  function plinth(args: readonly string[], input?: string) {
    return spawnSync(process.execPath, [PLINTH_BIN, '--endpoint-url', server.url, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      ...(input === undefined ? {} : { input }),
    });
  }

  beforeAll(async () => {
    server = await startPlinthProcess();
    sm = sagemakerClient(server.url);
    work = mkdtempSync(join(tmpdir(), 'plinth-cli-deploy-'));
    writeFileSync(join(work, 'train.csv'), clusteredCsv(200));
    const train = plinth([
      'train',
      '--algorithm',
      'kmeans',
      '--content-type',
      'text/csv;label_size=0',
      '--train',
      join(work, 'train.csv'),
      '--hyperparameters',
      'k=2',
      'feature_dim=2',
    ]);
    expect(train.status, train.stdout + train.stderr).toBe(0);
    job = /Training job (\S+) created/.exec(train.stdout)![1]!;
    artifact = `s3://plinth-default/${job}/output/model.tar.gz`;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("deploys a training job's model, follows it to InService and says how to invoke it", async () => {
    const run = plinth(['deploy', '--training-job', job]);
    expect(run.status, run.stderr).toBe(0);
    endpoint = /^Endpoint (\S+) created/m.exec(run.stdout)![1]!;
    // Named from the job without its timestamp, with a fresh one.
    expect(endpoint).toMatch(/^kmeans-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-\d{3}$/);
    expect(endpoint).not.toBe(job);
    expect(run.stdout).toContain(
      `Model ${endpoint} created: plinth/kmeans:1 serving ${artifact}\n`,
    );
    expect(run.stdout).toMatch(/^\[\d+:\d\d\] Creating$/m);
    expect(run.stdout).toMatch(
      new RegExp(`^Endpoint ${endpoint}: InService \\(after \\d+:\\d\\d\\)$`, 'm'),
    );
    expect(run.stdout).toContain(`Invoke it: plinth invoke ${endpoint} --body '<csv row>'`);

    const model = await sm.send(new DescribeModelCommand({ ModelName: endpoint }));
    expect(model.ExecutionRoleArn).toBe('arn:aws:iam::000000000000:role/plinth');
    expect(model.PrimaryContainer).toMatchObject({
      Image: 'plinth/kmeans:1',
      ModelDataUrl: artifact,
    });

    const described = plinth(['endpoints', 'describe', endpoint]);
    expect(described.status, described.stderr).toBe(0);
    expect(described.stdout).toMatch(/^Status:\s+InService$/m);
    expect(described.stdout).toMatch(/^VARIANT\s+WEIGHT\s+TRAFFIC\s+INSTANCES\s+IMAGE$/m);
    expect(described.stdout).toMatch(/^AllTraffic\s+1\s+100%\s+1\s+plinth\/kmeans:1$/m);
  });

  it("prints the model's answer, from --body, a file or stdin", () => {
    const one = plinth(['invoke', endpoint, '--body', '1,2', '--verbose']);
    expect(one.status, one.stderr).toBe(0);
    const answer = JSON.parse(one.stdout) as Predictions;
    expect(answer.predictions).toHaveLength(1);
    expect(answer.predictions[0]!.closest_cluster).toEqual(expect.any(Number));
    expect(one.stderr).toContain('Invoked variant: AllTraffic\n');
    expect(one.stderr).toContain('Content-Type: application/json\n');

    writeFileSync(join(work, 'rows.csv'), '0.1,0.1\n10.2,10.1\n');
    const file = plinth(['invoke', endpoint, '--file', join(work, 'rows.csv')]);
    const [near, far] = (JSON.parse(file.stdout) as Predictions).predictions;
    expect(near!.closest_cluster).not.toBe(far!.closest_cluster);

    const piped = plinth(
      [
        'invoke',
        endpoint,
        '--file',
        '-',
        '--content-type',
        'application/json',
        '--accept',
        'text/csv',
      ],
      JSON.stringify({ instances: [{ features: [0.1, 0.1] }, { features: [10.2, 10.1] }] }),
    );
    expect(piped.status, piped.stderr).toBe(0);
    expect(
      piped.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(',')[0]),
    ).toEqual([String(near!.closest_cluster), String(far!.closest_cluster)]);
  });

  it("exits 1 with the model's status and message on a ModelError, and on a missing endpoint", () => {
    const bad = plinth(['invoke', endpoint, '--body', 'not,numbers,at,all']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(
      `plinth: The model of endpoint ${endpoint} answered with an error (status 400): `,
    );

    const missing = plinth(['invoke', 'ghost', '--body', '1,2']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(
      "\nplinth: Endpoint ghost of account 000000000000 not found. 'plinth endpoints list' shows the endpoints there are; 'plinth deploy' creates one.\n",
    );
    const noBody = plinth(['invoke', endpoint]);
    expect(noBody.status).not.toBe(0);
    expect(noBody.stderr).toContain("give the request body with --body '<text>'");
  });

  it('uploads a local model.tar.gz and serves it with --image, --env and two instances', async () => {
    const object = await s3Client(server.url).send(
      new GetObjectCommand({ Bucket: 'plinth-default', Key: `${job}/output/model.tar.gz` }),
    );
    const local = join(work, 'model.tar.gz');
    writeFileSync(local, await object.Body!.transformToByteArray());
    const run = plinth([
      'deploy',
      '--model-data',
      local,
      '--image',
      'kmeans',
      '--name',
      'cli-local',
      '--env',
      'PLINTH_NOTE=from-the-cli',
      '--instance-count',
      '2',
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^Uploaded .*model\.tar\.gz \(.*\) to s3:\/\/plinth-default\/cli-local\/model\/model\.tar\.gz$/m,
    );
    const final = JSON.parse(run.stdout) as {
      EndpointStatus: string;
      ProductionVariants: { VariantName: string; CurrentInstanceCount: number }[];
    };
    expect(final.EndpointStatus).toBe('InService');
    expect(final.ProductionVariants.map((v) => [v.VariantName, v.CurrentInstanceCount])).toEqual([
      ['AllTraffic', 2],
    ]);
    await s3Client(server.url).send(
      new HeadObjectCommand({ Bucket: 'plinth-default', Key: 'cli-local/model/model.tar.gz' }),
    );
    const model = await sm.send(new DescribeModelCommand({ ModelName: 'cli-local' }));
    expect(model.PrimaryContainer!.Environment).toEqual({ PLINTH_NOTE: 'from-the-cli' });
    const invoked = plinth([
      'invoke',
      'cli-local',
      '--body',
      '10,10',
      '--target-variant',
      'AllTraffic',
    ]);
    expect((JSON.parse(invoked.stdout) as Predictions).predictions).toHaveLength(1);

    const again = plinth([
      'deploy',
      '--model-data',
      artifact,
      '--image',
      'kmeans',
      '--name',
      'cli-local',
    ]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      'The name cli-local is taken: the model, the endpoint configuration, the endpoint exist already.',
    );
    expect(again.stderr).toContain(
      `aws --endpoint-url ${server.url} sagemaker delete-endpoint --endpoint-name cli-local`,
    );
  });

  it('with --no-wait --json prints the name and ARNs as soon as the endpoint is created', () => {
    const run = plinth([
      'deploy',
      '--model-data',
      artifact,
      '--image',
      'kmeans',
      '--name',
      'cli-no-wait',
      '--no-wait',
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      EndpointName: 'cli-no-wait',
      ModelArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/cli-no-wait',
      EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/cli-no-wait',
      EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/cli-no-wait',
    });
  });

  it('refuses a missing training job and bad flags clearly, creating nothing', async () => {
    const unknown = plinth(['deploy', '--training-job', 'no-such-job']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(
      "\nplinth: There is no training job named no-such-job; 'plinth training-jobs list' shows those there are.\n",
    );
    const noSource = plinth(['deploy']);
    expect(noSource.status).not.toBe(0);
    expect(noSource.stderr).toContain('give exactly one of --training-job <name> and --model-data');

    const badType = plinth([
      'deploy',
      '--training-job',
      job,
      '--name',
      'cli-bad-type',
      '--instance-type',
      'ml.bogus',
    ]);
    expect(badType.status).not.toBe(0);
    expect(badType.stderr).toContain(
      "option '--instance-type <type>' argument 'ml.bogus' is not a SageMaker hosting instance type",
    );
    const models = await sm.send(new ListModelsCommand({ NameContains: 'cli-bad' }));
    expect(models.Models).toEqual([]);
  });

  it('exits 1 with the FailureReason when the endpoint cannot start', () => {
    const run = plinth([
      'deploy',
      '--model-data',
      artifact,
      '--image',
      'registry.example.com/my-server:1',
      '--name',
      'cli-unservable',
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^Endpoint cli-unservable: Failed \(after \d+:\d\d\)$/m);
    expect(run.stdout).toMatch(/^Reason: .*registry\.example\.com\/my-server:1/m);
    expect(run.stdout).toContain('sagemaker delete-model --model-name cli-unservable');
  });
});
