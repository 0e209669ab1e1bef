import {
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  CreateBucketCommand,
} from '@aws-sdk/client-s3';
import { CreateModelCommand, ListModelsCommand } from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient, TEST_KEYS } from './support/clients.js';
import { PLINTH_BIN, startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const WRONG_SECRET = { ...TEST_KEYS, secretAccessKey: 'not-the-secret' };
const UNKNOWN_KEY = { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' };

describe('with access keys configured, every request must be signed by one', () => {
  let plinth: PlinthProcess;

  beforeAll(async () => {
    plinth = await startPlinthProcess({
      env: {
        PLINTH_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
        PLINTH_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
      },
    });
  });
  afterAll(async () => plinth?.stop());

  it('accepts the right key on both protocols', async () => {
    await sagemakerClient(plinth.url).send(
      new CreateModelCommand({ ModelName: 'signed', PrimaryContainer: { Image: 'img' } }),
    );
    const s3 = s3Client(plinth.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'signed-bucket' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'signed-bucket', Key: 'dir/a file.txt', Body: 'hello' }),
    );
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'signed-bucket', Key: 'dir/a file.txt' }),
    );
    expect(await got.Body!.transformToString()).toBe('hello');
  });

  it('refuses a wrong secret or an unknown key, and does nothing', async () => {
    await expect(
      sagemakerClient(plinth.url, WRONG_SECRET).send(
        new CreateModelCommand({ ModelName: 'forged', PrimaryContainer: { Image: 'img' } }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      sagemakerClient(plinth.url, UNKNOWN_KEY).send(new ListModelsCommand({})),
    ).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      s3Client(plinth.url, WRONG_SECRET).send(new ListBucketsCommand({})),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      s3Client(plinth.url, UNKNOWN_KEY).send(
        new PutObjectCommand({ Bucket: 'signed-bucket', Key: 'x', Body: 'x' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });
    const models = await sagemakerClient(plinth.url).send(new ListModelsCommand({}));
    expect(models.Models!.map((m) => m.ModelName)).toEqual(['signed']);
  });

  it('refuses unsigned requests', async () => {
    const res = await fetch(plinth.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'SageMaker.ListModels',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
  });
});

describe('health and start-up', () => {
  it('answers /healthz without a signature, with or without keys', async () => {
    const open = await startPlinthProcess();
    const locked = await startPlinthProcess({
      env: {
        PLINTH_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
        PLINTH_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
      },
    });
    try {
      for (const server of [open, locked]) {
        const res = await fetch(`${server.url}/healthz`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok' });
      }
      // Only the server without keys says it checks no signatures and stays on loopback.
      expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(open.logs.join('\n')).toContain('listens on loopback only');
      expect(locked.logs.join('\n')).not.toContain('listens on loopback only');
    } finally {
      await open.stop();
      await locked.stop();
    }
  });
});

describe('without access keys', () => {
  it('refuses to listen beyond loopback and says what to do', () => {
    const result = spawnSync(
      process.execPath,
      [PLINTH_BIN, 'serve', '--host', '0.0.0.0', '--port', '0'],
      {
        encoding: 'utf8',
        env: { ...process.env, PLINTH_ACCESS_KEY_ID: '', PLINTH_SECRET_ACCESS_KEY: '' },
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PLINTH_ACCESS_KEY_ID');
  });
});
