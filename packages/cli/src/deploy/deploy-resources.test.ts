import { loadConfig, silentLogger, startPlinth, type RunningPlinth } from '@plinth/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSageMaker, type SageMakerConnection } from '../client.js';
import { buildDeployRequests } from './deploy-requests.js';
import { createDeployment, refuseTakenName } from './deploy-resources.js';

describe("a deployment's resources, against a real server in-process", () => {
  let dir: string;
  let server: RunningPlinth;
  let sm: SageMakerConnection;

  const requests = (name: string, instanceType = 'ml.m5.large') =>
    buildDeployRequests({
      name,
      image: 'kmeans',
      modelDataUrl: 's3://nowhere/model.tar.gz',
      environment: {},
      role: 'arn:aws:iam::000000000000:role/plinth',
      variant: 'AllTraffic',
      instanceType,
      instanceCount: 1,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plinth-deploy-resources-'));
    server = await startPlinth(loadConfig({}, { port: 0, dataDir: dir, logLevel: 'silent' }), {
      logger: silentLogger,
    });
    sm = await connectSageMaker({ endpointUrl: server.url });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a free name, and refuses a taken one saying how to free it', async () => {
    await expect(refuseTakenName(sm, 'free', server.url)).resolves.toBeUndefined();
    await sm.client.send(new sm.sdk.CreateModelCommand(requests('taken').model));
    await expect(refuseTakenName(sm, 'taken', server.url)).rejects.toThrow(
      [
        'The name taken is taken: the model exists already.',
        'Choose another --name (or leave it out for a fresh one), or delete them first:',
        `  aws --endpoint-url ${server.url} sagemaker delete-model --model-name taken`,
      ].join('\n'),
    );
  });

  it('deletes what it created when a later request is refused, so nothing is left behind', async () => {
    await expect(createDeployment(sm, requests('half', 'ml.bogus'))).rejects.toThrow(
      /^Creating the endpoint configuration failed \(ValidationException: .*'ml\.bogus'.*\); the model created before it was deleted again\.$/,
    );
    await expect(
      sm.client.send(new sm.sdk.DescribeModelCommand({ ModelName: 'half' })),
    ).rejects.toMatchObject({ message: expect.stringContaining('Could not find model') });
  });
});
