import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  ListEndpointsCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import {
  deployModel,
  inService,
  invokeCsv,
  isRunning,
  KMEANS_IMAGE,
  ROLE,
  runtimeClient,
  trainKmeansModel,
} from './support/hosting.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const BUCKET = 'hosting';
/** Health checks every second, so that a hung instance is found quickly. */
const FAST_PINGS = { PLINTH_PING_SECONDS: '1' };

describe('endpoints through @aws-sdk/client-sagemaker and client-sagemaker-runtime', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let runtime: SageMakerRuntimeClient;
  let modelData: string;

  async function invoke(endpoint: string, body: string, extra: { target?: string } = {}) {
    const answer = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: endpoint,
        ContentType: 'text/csv',
        Accept: 'application/json',
        Body: new TextEncoder().encode(body),
        ...(extra.target ? { TargetVariant: extra.target } : {}),
      }),
    );
    return {
      variant: answer.InvokedProductionVariant,
      json: JSON.parse(new TextDecoder().decode(answer.Body)) as {
        predictions: { closest_cluster: number; distance_to_cluster: number }[];
      },
    };
  }

  async function createModel(name: string, image: string): Promise<void> {
    await sm.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: image, ModelDataUrl: modelData },
      }),
    );
  }

  beforeAll(async () => {
    plinth = await startPlinthProcess({ env: FAST_PINGS });
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    runtime = runtimeClient(plinth.url);
    modelData = await trainKmeansModel({ sm, s3 }, BUCKET);
  });
  afterAll(async () => {
    await plinth?.stop();
  });

  it('serves a trained model behind two weighted variants until it is deleted', async () => {
    await createModel('km-old', KMEANS_IMAGE);
    await createModel('km-new', 'kmeans');
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'km-config',
        ProductionVariants: [
          {
            VariantName: 'old',
            ModelName: 'km-old',
            InitialInstanceCount: 2,
            InstanceType: 'ml.m5.large',
            InitialVariantWeight: 0.8,
          },
          {
            VariantName: 'new',
            ModelName: 'km-new',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
            InitialVariantWeight: 0.2,
          },
        ],
      }),
    );
    const created = await sm.send(
      new CreateEndpointCommand({ EndpointName: 'km', EndpointConfigName: 'km-config' }),
    );
    expect(created.EndpointArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:endpoint/km');
    await inService(sm, 'km');
    const described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'km' }));
    expect(described.EndpointStatus).toBe('InService');
    expect(
      described.ProductionVariants!.map((v) => [
        v.VariantName,
        v.CurrentWeight,
        v.DesiredWeight,
        v.CurrentInstanceCount,
        v.DesiredInstanceCount,
        v.DeployedImages![0]!.SpecifiedImage,
      ]),
    ).toEqual([
      ['old', 0.8, 0.8, 2, 2, KMEANS_IMAGE],
      ['new', 0.2, 0.2, 1, 1, 'kmeans'],
    ]);

    const first = await invoke('km', '0.1,0.1\n10.2,10.1\n');
    expect(first.json.predictions).toHaveLength(2);
    expect(first.json.predictions[0]!.closest_cluster).not.toBe(
      first.json.predictions[1]!.closest_cluster,
    );

    // 0.8 / 0.2 by weight: with 300 requests the "new" share is 0.2 +- 0.023 (one sigma).
    const counts = { old: 0, new: 0 };
    for (let i = 0; i < 300; i++) {
      const { variant } = await invoke('km', '1,1\n');
      counts[variant as 'old' | 'new'] += 1;
    }
    expect(counts.old + counts.new).toBe(300);
    expect(counts.new / 300).toBeGreaterThan(0.1);
    expect(counts.new / 300).toBeLessThan(0.3);

    for (let i = 0; i < 5; i++)
      expect((await invoke('km', '1,1\n', { target: 'new' })).variant).toBe('new');

    // Shift all traffic to "new" and its capacity to two instances, "old" down to one.
    await sm.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: 'km',
        DesiredWeightsAndCapacities: [
          { VariantName: 'old', DesiredWeight: 0, DesiredInstanceCount: 1 },
          { VariantName: 'new', DesiredWeight: 1, DesiredInstanceCount: 2 },
        ],
      }),
    );
    await inService(sm, 'km');
    const updated = await sm.send(new DescribeEndpointCommand({ EndpointName: 'km' }));
    expect(
      updated.ProductionVariants!.map((v) => [
        v.VariantName,
        v.CurrentWeight,
        v.DesiredWeight,
        v.CurrentInstanceCount,
        v.DesiredInstanceCount,
      ]),
    ).toEqual([
      ['old', 0, 0, 1, 1],
      ['new', 1, 1, 2, 2],
    ]);
    for (let i = 0; i < 20; i++) expect((await invoke('km', '1,1\n')).variant).toBe('new');
    await expect(
      sm.send(
        new UpdateEndpointWeightsAndCapacitiesCommand({
          EndpointName: 'km',
          DesiredWeightsAndCapacities: [{ VariantName: 'ghost', DesiredWeight: 1 }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('does not have: ghost'),
    });

    await expect(invoke('km', 'not,numbers,at,all\n')).rejects.toMatchObject({
      name: 'ModelError',
      $metadata: { httpStatusCode: 424 },
      OriginalStatusCode: 400,
    });
    await expect(invoke('km', '1,1\n', { target: 'nope' })).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(
      sm.send(new CreateEndpointCommand({ EndpointName: 'km', EndpointConfigName: 'km-config' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'Cannot create already existing endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/km".',
    });
    // Over SageMaker's 6 MB payload limit: refused, naming the limit, and the endpoint still serves.
    await expect(invoke('km', '1,1\n'.repeat(1_600_000))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 413 },
      message: expect.stringContaining('exceeds the limit of 6291456 bytes'),
    });
    expect((await invoke('km', '1,1\n')).json.predictions).toHaveLength(1);
    const cli = spawnSync(
      process.execPath,
      [PLINTH_BIN, '--endpoint-url', plinth.url, 'endpoints', 'list'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/km\s+InService/);
    const metrics = spawnSync(
      process.execPath,
      [PLINTH_BIN, '--endpoint-url', plinth.url, 'metrics', 'km'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(metrics.status, metrics.stderr).toBe(0);
    // Every invocation above was counted against the variant that answered it.
    const counted: Record<string, string[]> = Object.fromEntries(
      metrics.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(/\s+/))
        .map((cells) => [cells[1] ?? '', cells]),
    );
    expect(Object.keys(counted).sort()).toEqual(['new', 'old']);
    expect(Number(counted.old![2]) + Number(counted.new![2])).toBeGreaterThan(300);
    expect(Number(counted.new![3])).toBeGreaterThan(0); // the bad request's 400
    const listed = await sm.send(new ListEndpointsCommand({}));
    expect(listed.Endpoints!.map((e) => [e.EndpointName, e.EndpointStatus])).toEqual([
      ['km', 'InService'],
    ]);

    await sm.send(new DeleteEndpointCommand({ EndpointName: 'km' }));
    await expect(
      sm.send(new DescribeEndpointCommand({ EndpointName: 'km' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/km".',
    });
    await expect(invoke('km', '1,1\n')).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Endpoint km of account 000000000000 not found.',
    });
  });

  it('ends Failed, saying why, when a variant cannot be served', async () => {
    await createModel('unservable', 'registry.example.com/my-server:1');
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'bad-config',
        ProductionVariants: [
          {
            VariantName: 'only',
            ModelName: 'unservable',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sm.send(
      new CreateEndpointCommand({ EndpointName: 'bad', EndpointConfigName: 'bad-config' }),
    );
    let described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'bad' }));
    for (let i = 0; described.EndpointStatus === 'Creating' && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'bad' }));
    }
    expect(described.EndpointStatus).toBe('Failed');
    expect(described.FailureReason).toContain(
      "cannot serve the image 'registry.example.com/my-server:1'",
    );
    await expect(
      sm.send(
        new CreateEndpointCommand({ EndpointName: 'x', EndpointConfigName: 'no-such-config' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Could not find endpoint configuration'),
    });
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'bad' }));
  });

  it('replaces an instance that dies, and no request fails meanwhile', async () => {
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'pair-config',
        ProductionVariants: [
          {
            VariantName: 'main',
            ModelName: 'km-old',
            InitialInstanceCount: 2,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sm.send(
      new CreateEndpointCommand({ EndpointName: 'pair', EndpointConfigName: 'pair-config' }),
    );
    await inService(sm, 'pair');
    const dir = join(plinth.dataDir, 'endpoints', 'pair');
    const victim = Number(readFileSync(join(dir, 'main-1.pid'), 'utf8'));
    process.kill(-victim, 'SIGKILL');
    // Requests right after the kill: each either reaches the survivor or is retried there.
    for (let i = 0; i < 30; i++) expect((await invoke('pair', '1,1\n')).variant).toBe('main');
    for (let i = 0; !existsSync(join(dir, 'main-3.pid')); i++) {
      if (i > 200) throw new Error('the dead instance was not replaced');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(isRunning(Number(readFileSync(join(dir, 'main-3.pid'), 'utf8')))).toBe(true);
    expect(isRunning(victim)).toBe(false);
    const described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'pair' }));
    expect([
      described.EndpointStatus,
      described.ProductionVariants![0]!.CurrentInstanceCount,
    ]).toEqual(['InService', 2]);
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'pair' }));
  });

  it('replaces an instance that stops answering GET /ping, and no request fails meanwhile', async () => {
    await deployModel(sm, {
      model: 'hang-model',
      image: 'kmeans',
      modelData,
      config: 'hang-config',
      variant: 'main',
      instances: 2,
      endpoint: 'hang',
    });
    const dir = join(plinth.dataDir, 'endpoints', 'hang');
    const victim = Number(readFileSync(join(dir, 'main-1.pid'), 'utf8'));
    // Alive but answering nothing, as a hung server is.
    process.kill(-victim, 'SIGSTOP');
    for (let i = 0; i < 10; i++) expect(await invokeCsv(runtime, 'hang', '1,1\n')).toBe('main');
    for (let i = 0; !existsSync(join(dir, 'main-3.pid')); i++) {
      if (i > 200) throw new Error('the hung instance was not replaced');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(isRunning(victim)).toBe(false);
    const described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'hang' }));
    expect([
      described.EndpointStatus,
      described.ProductionVariants![0]!.CurrentInstanceCount,
    ]).toEqual(['InService', 2]);
    expect(plinth.logs.join('\n')).toContain('failed 3 health checks (GET /ping) in a row');
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'hang' }));
  });

  it('brings an endpoint back after the server is killed, ending the old model servers', async () => {
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'survivor-config',
        ProductionVariants: [
          {
            VariantName: 'main',
            ModelName: 'km-old',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sm.send(
      new CreateEndpointCommand({
        EndpointName: 'survivor',
        EndpointConfigName: 'survivor-config',
      }),
    );
    await inService(sm, 'survivor');
    await sm.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: 'survivor',
        DesiredWeightsAndCapacities: [{ VariantName: 'main', DesiredInstanceCount: 2 }],
      }),
    );
    await inService(sm, 'survivor');
    const pidFile = join(plinth.dataDir, 'endpoints', 'survivor', 'main-1.pid');
    const oldPid = Number(readFileSync(pidFile, 'utf8'));
    const { dataDir } = plinth;
    plinth.child.kill('SIGKILL');
    await new Promise((r) => plinth.child.once('exit', r));
    plinth = await startPlinthProcess({ dataDir, env: FAST_PINGS });
    sm = sagemakerClient(plinth.url);
    runtime = runtimeClient(plinth.url);
    const restarted = await sm.send(new DescribeEndpointCommand({ EndpointName: 'survivor' }));
    expect([restarted.EndpointStatus, restarted.FailureReason]).toEqual([
      expect.stringMatching(/^(SystemUpdating|InService)$/),
      undefined,
    ]);
    await inService(sm, 'survivor');
    expect((await invoke('survivor', '0,0\n')).json.predictions).toHaveLength(1);
    // The capacity the update asked for is what comes back.
    const back = await sm.send(new DescribeEndpointCommand({ EndpointName: 'survivor' }));
    expect(back.ProductionVariants!.map((v) => v.CurrentInstanceCount)).toEqual([2]);
    expect(isRunning(oldPid)).toBe(false);
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'survivor' }));
  });
});
