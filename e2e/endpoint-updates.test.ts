import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  UpdateEndpointCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import {
  deployModel,
  inService,
  invokeCsv,
  isRunning,
  KMEANS_IMAGE,
  runtimeClient,
  steadyLoad,
  trainKmeansModel,
} from './support/hosting.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { sourceTarball } from './support/training.js';

const BUCKET = 'updates';

describe('UpdateEndpoint: blue/green through @aws-sdk/client-sagemaker', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let runtime: SageMakerRuntimeClient;
  let modelData: string;

  /** The pids of the endpoint's model servers, by instance name. */
  function pids(endpoint: string): Record<string, number> {
    const dir = join(plinth.dataDir, 'endpoints', endpoint);
    return Object.fromEntries(
      readdirSync(dir)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => [f.slice(0, -4), Number(readFileSync(join(dir, f), 'utf8'))]),
    );
  }

  async function waitInService(endpoint: string) {
    await inService(sm, endpoint);
    return sm.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
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

  it('moves traffic to the new fleet by canary with no failed request under load', async () => {
    await deployModel(sm, {
      model: 'blue-model',
      image: KMEANS_IMAGE,
      modelData,
      config: 'blue-config',
      variant: 'Blue',
      instances: 2,
      endpoint: 'bg',
    });
    await deployModel(sm, {
      model: 'green-model',
      image: 'kmeans',
      modelData,
      config: 'green-config',
      variant: 'Green',
      instances: 2,
    });
    const blue = Object.values(pids('bg'));
    expect(blue).toHaveLength(2);

    const load = steadyLoad(runtime, 'bg');
    await new Promise((r) => setTimeout(r, 300));
    await sm.send(
      new UpdateEndpointCommand({
        EndpointName: 'bg',
        EndpointConfigName: 'green-config',
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: {
              Type: 'CANARY',
              CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 },
              WaitIntervalInSeconds: 2,
            },
          },
        },
      }),
    );
    const updating = await sm.send(new DescribeEndpointCommand({ EndpointName: 'bg' }));
    expect([
      updating.EndpointStatus,
      updating.EndpointConfigName,
      updating.PendingDeploymentSummary?.EndpointConfigName,
    ]).toEqual(['Updating', 'blue-config', 'green-config']);
    await expect(
      sm.send(new UpdateEndpointCommand({ EndpointName: 'bg', EndpointConfigName: 'blue-config' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Cannot update in-progress endpoint'),
    });

    const done = await waitInService('bg');
    await new Promise((r) => setTimeout(r, 300));
    const { answered, errors } = await load.stop();
    expect(errors).toEqual([]);
    // Blue alone, then the canary beside it (both answer), then Green alone.
    const firstGreen = answered.indexOf('Green');
    expect(firstGreen).toBeGreaterThan(0);
    expect(answered.slice(firstGreen).filter((v) => v === 'Blue').length).toBeGreaterThan(0);
    expect(answered.slice(-20).every((v) => v === 'Green')).toBe(true);

    expect(done.EndpointConfigName).toBe('green-config');
    expect(done.PendingDeploymentSummary).toBeUndefined();
    expect(
      done.LastDeploymentConfig?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration?.Type,
    ).toBe('CANARY');
    expect(
      done.ProductionVariants!.map((v) => [v.VariantName, v.CurrentInstanceCount, v.DesiredWeight]),
    ).toEqual([['Green', 2, 1]]);
    expect(blue.filter(isRunning)).toEqual([]);
  });

  it('keeps serving the old configuration when the new one cannot start, saying why', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'plinth-update-'));
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'broken/model.tar.gz',
        Body: sourceTarball(scratch, { 'model_algo-1': 'not a model' }),
      }),
    );
    await deployModel(sm, {
      model: 'broken-model',
      image: 'kmeans',
      modelData: `s3://${BUCKET}/broken/model.tar.gz`,
      config: 'broken-config',
      variant: 'Broken',
      instances: 1,
    });
    const serving = Object.entries(pids('bg'))
      .filter(([name]) => name.startsWith('Green'))
      .map(([, pid]) => pid);
    const load = steadyLoad(runtime, 'bg', 2);
    await sm.send(
      new UpdateEndpointCommand({ EndpointName: 'bg', EndpointConfigName: 'broken-config' }),
    );
    const after = await waitInService('bg');
    const { errors, answered } = await load.stop();
    expect(errors).toEqual([]);
    expect(new Set(answered)).toEqual(new Set(['Green']));
    expect(after.EndpointConfigName).toBe('green-config');
    expect(after.FailureReason).toContain(
      'The update to the endpoint configuration broken-config failed, so the endpoint still serves green-config',
    );
    expect(after.PendingDeploymentSummary).toBeUndefined();
    expect(serving.filter(isRunning)).toEqual(serving);
    const broken = Object.entries(pids('bg')).filter(([name]) => name.startsWith('Broken'));
    expect(broken.map(([, pid]) => pid).filter(isRunning)).toEqual([]);
  });

  it('refuses updates SageMaker refuses, naming the field, and changes nothing', async () => {
    await expect(
      sm.send(new UpdateEndpointCommand({ EndpointName: 'bg', EndpointConfigName: 'no-such' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Could not find endpoint configuration'),
    });
    await expect(
      sm.send(
        new UpdateEndpointCommand({ EndpointName: 'ghost', EndpointConfigName: 'blue-config' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Could not find endpoint'),
    });
    await expect(
      sm.send(
        new UpdateEndpointCommand({
          EndpointName: 'bg',
          EndpointConfigName: 'blue-config',
          DeploymentConfig: {
            BlueGreenUpdatePolicy: {
              TrafficRoutingConfiguration: {
                Type: 'CANARY',
                CanarySize: { Type: 'CAPACITY_PERCENT', Value: 80 },
                WaitIntervalInSeconds: 0,
              },
            },
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('CanarySize must be at most 50%'),
    });
    const still = await sm.send(new DescribeEndpointCommand({ EndpointName: 'bg' }));
    expect([still.EndpointStatus, still.EndpointConfigName]).toEqual(['InService', 'green-config']);
    expect(await invokeCsv(runtime, 'bg', '1,1\n')).toBe('Green');
  });

  it('keeps the variant figures with RetainAllVariantProperties', async () => {
    await deployModel(sm, {
      model: 'green-one',
      image: 'kmeans',
      modelData,
      config: 'green-one-config',
      variant: 'Green',
      instances: 1,
    });
    await sm.send(
      new UpdateEndpointCommand({
        EndpointName: 'bg',
        EndpointConfigName: 'green-one-config',
        RetainAllVariantProperties: true,
      }),
    );
    const after = await waitInService('bg');
    expect(after.EndpointConfigName).toBe('green-one-config');
    expect(after.ProductionVariants!.map((v) => [v.VariantName, v.CurrentInstanceCount])).toEqual([
      ['Green', 2],
    ]);
  });

  it('after a restart mid-update, serves the old configuration and says the update was cut short', async () => {
    await sm.send(
      new UpdateEndpointCommand({
        EndpointName: 'bg',
        EndpointConfigName: 'blue-config',
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 3600 },
          },
        },
      }),
    );
    for (let i = 0; ; i++) {
      const d = await sm.send(new DescribeEndpointCommand({ EndpointName: 'bg' }));
      const status = d.PendingDeploymentSummary?.ProductionVariants?.[0]?.VariantStatus?.[0];
      if (status?.Status === 'Baking') break;
      if (i > 100) throw new Error('the new fleet never took the traffic');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { dataDir } = plinth;
    plinth.child.kill('SIGKILL');
    await new Promise((r) => plinth.child.once('exit', r));
    plinth = await startPlinthProcess({ dataDir });
    sm = sagemakerClient(plinth.url);
    runtime = runtimeClient(plinth.url);
    const back = await waitInService('bg');
    expect(back.EndpointConfigName).toBe('green-one-config');
    expect(back.FailureReason).toContain(
      'Plinth restarted while the endpoint was being updated to the endpoint configuration blue-config',
    );
    expect(await invokeCsv(runtime, 'bg', '1,1\n')).toBe('Green');

    // Deleting during an update ends it at once and leaves no model server behind.
    await sm.send(
      new UpdateEndpointCommand({
        EndpointName: 'bg',
        EndpointConfigName: 'blue-config',
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 3600 },
          },
        },
      }),
    );
    for (let i = 0; !Object.keys(pids('bg')).some((n) => n.startsWith('Blue')); i++) {
      if (i > 100) throw new Error('the new fleet never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'bg' }));
    expect(Object.values(pids('bg')).filter(isRunning)).toEqual([]);
  });
});
