import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ListModelsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccessKey } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import { AuthenticationError } from '../../core/errors.js';
import { createSigV4Authenticator } from './sigv4-authenticator.js';

const KEY: AccessKey = {
  accessKeyId: 'AKIDPLINTHCLIENT',
  secretAccessKey: 'client/secret+key=xyz',
};
const WRONG: AccessKey = { ...KEY, secretAccessKey: 'not-the-secret' };
const OBJECT_KEY = 'dir/my file é ✓+=.txt';
const execFileAsync = promisify(execFile);

interface Verdict {
  readonly method: string;
  readonly url: string;
  /** `accept` or the AuthenticationError failure. */
  readonly outcome: string;
  readonly payloadHash: string;
}

type GetSignedUrl = (
  client: S3Client,
  command: GetObjectCommand,
  options: { expiresIn: number },
) => Promise<string>;

// Imported by a computed name: the presigner is optional here and not a declared dependency.
const PRESIGNER = '@aws-sdk/s3-request-presigner';

async function loadPresigner(): Promise<GetSignedUrl> {
  const module = (await import(PRESIGNER)) as { getSignedUrl: GetSignedUrl };
  return module.getSignedUrl;
}

async function presignerAvailable(): Promise<boolean> {
  return loadPresigner().then(
    () => true,
    () => false,
  );
}

const hasPresigner = await presignerAvailable();

const verdicts: Verdict[] = [];
let server: Server;
let endpoint = '';

/** Answers like a Plinth protocol handler would, recording what the authenticator decided. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const authenticator = createSigV4Authenticator({ keys: [KEY], clock: systemClock });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const declared = req.headers['x-amz-content-sha256'];
  const payloadHash =
    typeof declared === 'string'
      ? declared
      : createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
  const request = {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    payloadHash,
  };
  let outcome = 'accept';
  try {
    authenticator.authenticate(request);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    outcome = error.failure;
  }
  verdicts.push({ method: request.method, url: request.url, outcome, payloadHash });
  res.writeHead(outcome === 'accept' ? 200 : 403, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(outcome === 'accept' ? '{}' : JSON.stringify({ __type: outcome, message: outcome }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  verdicts.length = 0;
});

/** Runs a client call; whether the client liked our `{}` reply is beside the point. */
async function attempt(call: () => Promise<unknown>): Promise<void> {
  await call().catch(() => undefined);
}

function outcomes(): string[] {
  return verdicts.map((v) => v.outcome);
}

function sagemaker(credentials: AccessKey): SageMakerClient {
  return new SageMakerClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

function s3(credentials: AccessKey): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

describe('SigV4 verification against the real AWS SDK for JavaScript', () => {
  it('accepts SageMaker ListModels signed with the right key and rejects a wrong secret', async () => {
    await attempt(() => sagemaker(KEY).send(new ListModelsCommand({})));
    await attempt(() => sagemaker(WRONG).send(new ListModelsCommand({})));
    expect(outcomes()).toEqual(['accept', 'SignatureMismatch']);
  });

  it('accepts S3 PutObject (spaces, unicode, + and =) and ListObjectsV2 with a prefix', async () => {
    const body = 'hello plinth';
    await attempt(() =>
      s3(KEY).send(new PutObjectCommand({ Bucket: 'bucket', Key: OBJECT_KEY, Body: body })),
    );
    await attempt(() =>
      s3(KEY).send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: 'dir/my file é' })),
    );
    expect(verdicts.map((v) => v.method)).toEqual(['PUT', 'GET']);
    expect(verdicts[0]?.url).toContain('/bucket/dir/my%20file%20%C3%A9%20%E2%9C%93%2B%3D.txt');
    expect(verdicts[1]?.url).toContain('prefix=dir%2Fmy%20file%20%C3%A9');
    expect(outcomes()).toEqual(['accept', 'accept']);
  });

  it('accepts a streamed PutObject, verifying its seed signature over the declared payload', async () => {
    const put = (key: AccessKey) =>
      s3(key).send(
        new PutObjectCommand({
          Bucket: 'bucket',
          Key: OBJECT_KEY,
          Body: Readable.from([Buffer.from('streamed '), Buffer.from('body')]),
          ContentLength: 13,
        }),
      );
    await attempt(() => put(KEY));
    await attempt(() => put(WRONG));
    expect(verdicts.map((v) => v.payloadHash)).toEqual([
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    ]);
    expect(outcomes()).toEqual(['accept', 'SignatureMismatch']);
  });

  it('rejects S3 calls signed with a wrong secret', async () => {
    await attempt(() =>
      s3(WRONG).send(new PutObjectCommand({ Bucket: 'bucket', Key: OBJECT_KEY, Body: 'x' })),
    );
    await attempt(() =>
      s3(WRONG).send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: 'dir/' })),
    );
    expect(outcomes()).toEqual(['SignatureMismatch', 'SignatureMismatch']);
  });

  it.skipIf(!hasPresigner)(
    'accepts a GetObject URL from @aws-sdk/s3-request-presigner',
    async () => {
      const getSignedUrl = await loadPresigner();
      const command = new GetObjectCommand({ Bucket: 'bucket', Key: OBJECT_KEY });
      const good = await getSignedUrl(s3(KEY), command, { expiresIn: 300 });
      const bad = await getSignedUrl(s3(WRONG), command, { expiresIn: 300 });
      await fetch(good);
      await fetch(bad);
      expect(outcomes()).toEqual(['accept', 'SignatureMismatch']);
    },
  );
});

const awsCliPresent = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!awsCliPresent)('SigV4 verification against the AWS CLI', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-sigv4-'));
    // AWS CLI v1 presigns S3 with SigV2 unless configured for s3v4; v2 ignores this.
    await writeFile(join(dir, 'config'), '[default]\ns3 =\n    signature_version = s3v4\n');
    await writeFile(join(dir, 'small.txt'), 'small file for plinth\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function aws(key: AccessKey, args: string[]): Promise<string> {
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_MAX_ATTEMPTS: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const run = execFileAsync('aws', ['--endpoint-url', endpoint, ...args], {
      env,
      timeout: 20_000,
    });
    return run.then(
      (out) => out.stdout,
      () => '',
    );
  }

  it('accepts sagemaker list-models with the right key and rejects a wrong secret', async () => {
    await aws(KEY, ['sagemaker', 'list-models']);
    await aws(WRONG, ['sagemaker', 'list-models']);
    expect(outcomes()).toEqual(['accept', 'SignatureMismatch']);
  });

  it('accepts s3 cp of a small file with the right key and rejects a wrong secret', async () => {
    const target = `s3://bucket/${OBJECT_KEY}`;
    await aws(KEY, ['s3', 'cp', join(dir, 'small.txt'), target]);
    const accepted = outcomes();
    verdicts.length = 0;
    await aws(WRONG, ['s3', 'cp', join(dir, 'small.txt'), target]);
    expect(accepted).toEqual(['accept']);
    expect(outcomes()).toEqual(['SignatureMismatch']);
  });

  it('accepts an s3 presign URL and rejects one made with a wrong secret', async () => {
    const target = `s3://bucket/${OBJECT_KEY}`;
    const good = (await aws(KEY, ['s3', 'presign', target, '--expires-in', '300'])).trim();
    const bad = (await aws(WRONG, ['s3', 'presign', target, '--expires-in', '300'])).trim();
    expect(good).toContain('X-Amz-Signature=');
    await fetch(good);
    await fetch(bad);
    expect(outcomes()).toEqual(['accept', 'SignatureMismatch']);
  });
});
