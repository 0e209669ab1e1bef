import {
  CreateModelCommand,
  ListModelsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawJson, sagemakerClient } from './support/clients.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

describe('bad input gets AWS-shaped errors and changes nothing', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;

  beforeAll(async () => {
    plinth = await startPlinthProcess();
    sm = sagemakerClient(plinth.url);
    await sm.send(
      new CreateModelCommand({ ModelName: 'keeper', PrimaryContainer: { Image: 'img' } }),
    );
  });
  afterAll(async () => plinth?.stop());

  async function expectStoreIntact(): Promise<void> {
    const listed = await sm.send(new ListModelsCommand({}));
    expect(listed.Models!.map((m) => m.ModelName)).toEqual(['keeper']);
  }

  it('malformed JSON -> 400 SerializationException', async () => {
    const res = await rawJson(plinth.url, 'SageMaker.CreateModel', '{"ModelName": "x",');
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('SerializationException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    await expectStoreIntact();
  });

  it('a body that is not an object, or a field of the wrong type -> SerializationException naming it', async () => {
    expect((await rawJson(plinth.url, 'SageMaker.ListModels', '[1,2]')).json.__type).toBe(
      'SerializationException',
    );
    const wrongType = await rawJson(
      plinth.url,
      'SageMaker.ListModels',
      JSON.stringify({ MaxResults: 'ten' }),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.json).toEqual({
      __type: 'SerializationException',
      message: "Expected an integer at 'maxResults', got string",
    });
    const nested = await rawJson(
      plinth.url,
      'SageMaker.CreateModel',
      JSON.stringify({ ModelName: 'n', PrimaryContainer: { Environment: { A: 1 } } }),
    );
    expect(nested.json.message).toContain("'primaryContainer.environment.A'");
    await expectStoreIntact();
  });

  it('missing required fields -> ValidationException listing each', async () => {
    const res = await rawJson(plinth.url, 'SageMaker.CreateEndpointConfig', '{}');
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('ValidationException');
    expect(res.json.message).toBe(
      "2 validation errors detected: Value null at 'endpointConfigName' failed to satisfy constraint: Member must not be null; Value null at 'productionVariants' failed to satisfy constraint: Member must not be null",
    );
  });

  it('unknown, missing and not-yet-implemented targets -> UnknownOperationException', async () => {
    const unknown = await rawJson(plinth.url, 'SageMaker.FlyToTheMoon', '{}');
    expect([unknown.status, unknown.json.__type]).toEqual([400, 'UnknownOperationException']);
    const missing = await rawJson(plinth.url, undefined, '{}');
    expect([missing.status, missing.json.__type]).toEqual([400, 'UnknownOperationException']);
    const later = await rawJson(plinth.url, 'SageMaker.CreateCluster', '{}');
    expect(later.json.message).toContain('does not implement yet');
    const otherService = await rawJson(plinth.url, 'DynamoDB_20120810.ListTables', '{}');
    expect(otherService.json.__type).toBe('UnknownOperationException');
  });

  it('an oversized body -> 413, and the server keeps serving', async () => {
    const huge = JSON.stringify({
      ModelName: 'huge',
      PrimaryContainer: { Image: 'i', Environment: { BIG: 'x'.repeat(11 * 1024 * 1024) } },
    });
    const res = await rawJson(plinth.url, 'SageMaker.CreateModel', huge);
    expect(res.status).toBe(413);
    expect(res.json.__type).toBe('RequestEntityTooLargeException');
    await expectStoreIntact();
  });

  it('keeps what was stored across a restart', async () => {
    const dataDir = plinth.dataDir;
    plinth.child.kill('SIGTERM');
    await new Promise((r) => plinth.child.once('exit', r));
    const again = await startPlinthProcess({ dataDir });
    try {
      const listed = await sagemakerClient(again.url).send(new ListModelsCommand({}));
      expect(listed.Models!.map((m) => m.ModelName)).toEqual(['keeper']);
    } finally {
      await again.stop();
    }
    plinth = await startPlinthProcess({ dataDir });
    sm = sagemakerClient(plinth.url);
  });
});
