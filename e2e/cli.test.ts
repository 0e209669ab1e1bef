import { CreateEndpointConfigCommand, CreateModelCommand } from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sagemakerClient } from './support/clients.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

function plinth(args: readonly string[]) {
  return spawnSync(process.execPath, [PLINTH_BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('the plinth CLI', () => {
  let server: PlinthProcess;

  beforeAll(async () => {
    server = await startPlinthProcess();
    const sm = sagemakerClient(server.url);
    for (const name of ['alpha', 'beta', 'gamma']) {
      await sm.send(
        new CreateModelCommand({
          ModelName: name,
          PrimaryContainer: { Image: `plinth/${name}:1` },
        }),
      );
    }
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'alpha-config',
        ProductionVariants: [
          {
            VariantName: 'main',
            ModelName: 'alpha',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
  });
  afterAll(async () => server?.stop());

  it('lists models as a table, newest first', () => {
    const result = plinth(['--endpoint-url', server.url, 'models', 'list']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CREATED\s+ARN$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['gamma', 'beta', 'alpha']);
    expect(lines[1]).toContain('arn:aws:sagemaker:us-east-1:000000000000:model/gamma');
  });

  it('lists as JSON with filters and sorting', () => {
    const result = plinth([
      '--endpoint-url',
      server.url,
      'models',
      'list',
      '--json',
      '--sort-by',
      'Name',
      '--sort-order',
      'Ascending',
      '--name-contains',
      'a',
    ]);
    expect(result.status).toBe(0);
    const models = JSON.parse(result.stdout) as { ModelName: string }[];
    expect(models.map((m) => m.ModelName)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('describes a model and an endpoint configuration', () => {
    const model = plinth(['--endpoint-url', server.url, 'models', 'describe', 'beta']);
    expect(model.status).toBe(0);
    expect(JSON.parse(model.stdout)).toMatchObject({
      ModelName: 'beta',
      PrimaryContainer: { Image: 'plinth/beta:1' },
    });
    const config = plinth([
      '--endpoint-url',
      server.url,
      'endpoint-configs',
      'describe',
      'alpha-config',
    ]);
    expect(JSON.parse(config.stdout)).toMatchObject({
      EndpointConfigName: 'alpha-config',
      ProductionVariants: [{ VariantName: 'main' }],
    });
    const configs = plinth(['--endpoint-url', server.url, 'endpoint-configs', 'list']);
    expect(configs.stdout).toContain('alpha-config');
  });

  it('says what went wrong, and what to do when the server is not there', () => {
    const missing = plinth(['--endpoint-url', server.url, 'models', 'describe', 'nope']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('ValidationException: Could not find model');
    const down = plinth(['--endpoint-url', 'http://127.0.0.1:9', 'models', 'list']);
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('Cannot reach Plinth at http://127.0.0.1:9');
    expect(down.stderr).toContain('plinth serve');
  });
});
