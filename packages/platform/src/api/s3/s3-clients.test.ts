import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3TestServer, type S3TestServer } from './s3-test-server.js';

// Real clients other than the JS SDK, driven as users drive them: the AWS CLI and boto3.
const run = promisify(execFile);
const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
/** Python interpreters that have boto3: Debian's (an older botocore) and the one on PATH (maybe newer). */
const pythons = [...new Set(['/usr/bin/python3', 'python3'])].filter(
  (python) => spawnSync(python, ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0,
);

let server: S3TestServer;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startS3TestServer();
  work = await mkdtemp(join(tmpdir(), 'plinth-clients-'));
  env = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_ACCESS_KEY_ID: 'AKIDPLINTHTEST',
    AWS_SECRET_ACCESS_KEY: 'plinth-test-secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    PYENV_VERSION: process.env.PYENV_VERSION,
    PYENV_ROOT: process.env.PYENV_ROOT,
  };
});

afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('S3 API with the AWS CLI and boto3', () => {
  it.skipIf(!hasAwsCli)(
    'aws s3 cp (multipart), ls, sync and cp back',
    async () => {
      const aws = (...args: string[]): Promise<{ stdout: string }> =>
        run('aws', ['--endpoint-url', server.url, ...args], {
          env,
          cwd: work,
          maxBuffer: 16 * 1024 * 1024,
        });
      const big = randomBytes(20 * 1024 * 1024);
      await writeFile(join(work, 'big.bin'), big);
      const folder = join(work, 'folder');
      await mkdir(join(folder, 'nested dir'), { recursive: true });
      const files: Record<string, string> = {
        'a.txt': 'alpha',
        'nested dir/b c.csv': 'x,y\n1,2\n',
        'nested dir/ü.json': '{"k":1}',
      };
      for (const [name, content] of Object.entries(files))
        await writeFile(join(folder, name), content);

      await aws('s3', 'mb', 's3://cli-bucket');
      await aws('s3', 'cp', join(work, 'big.bin'), 's3://cli-bucket/data/big.bin');
      const head = await server.store.headObject('cli-bucket', 'data/big.bin');
      expect(head.size).toBe(big.length);
      expect(head.etag).toMatch(/-\d+"$/); // 20 MiB went up in parts
      const listing = (await aws('s3', 'ls', 's3://cli-bucket/data/')).stdout;
      expect(listing).toMatch(/20971520 big\.bin/);
      await aws('s3', 'sync', folder, 's3://cli-bucket/folder/');
      const synced = (await aws('s3', 'ls', '--recursive', 's3://cli-bucket/folder/')).stdout;
      for (const name of Object.keys(files)) expect(synced).toContain(`folder/${name}`);
      // A second sync finds nothing to do.
      expect((await aws('s3', 'sync', folder, 's3://cli-bucket/folder/')).stdout.trim()).toBe('');
      await aws('s3', 'cp', 's3://cli-bucket/data/big.bin', join(work, 'back.bin'));
      expect((await readFile(join(work, 'back.bin'))).equals(big)).toBe(true);
      await aws('s3', 'sync', 's3://cli-bucket/folder/', join(work, 'restored'));
      for (const [name, content] of Object.entries(files)) {
        expect(await readFile(join(work, 'restored', name), 'utf8')).toBe(content);
      }
      await aws('s3', 'rm', '--recursive', 's3://cli-bucket/');
      await aws('s3', 'rb', 's3://cli-bucket');
      expect(await server.store.bucketExists('cli-bucket')).toBe(false);
    },
    120_000,
  );

  it.skipIf(pythons.length === 0).each(pythons)(
    'boto3 (%s): put, get, list, multipart upload_file',
    async (python) => {
      const script = join(work, 'boto3_check.py');
      await writeFile(script, BOTO3_SCRIPT);
      const bucket = `boto-${pythons.indexOf(python)}`;
      const { stdout } = await run(python, [script, server.url, bucket, work], { env, cwd: work });
      expect(stdout.trim().split('\n').at(-1)).toBe('ok');
      const head = await server.store.headObject(bucket, 'big/upload.bin');
      expect(head.size).toBe(10 * 1024 * 1024);
      expect(head.etag).toMatch(/-2"$/);
    },
    120_000,
  );
});

const BOTO3_SCRIPT = `
import hashlib, os, sys
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

endpoint, bucket, work = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key="hello/world.txt", Body=b"hello boto3", ContentType="text/plain", Metadata={"who": "boto3"})
got = s3.get_object(Bucket=bucket, Key="hello/world.txt")
assert got["Body"].read() == b"hello boto3"
assert got["ContentType"] == "text/plain" and got["Metadata"] == {"who": "boto3"}, got
assert s3.get_object(Bucket=bucket, Key="hello/world.txt", Range="bytes=6-")["Body"].read() == b"boto3"
for i in range(5):
    s3.put_object(Bucket=bucket, Key="many/%d" % i, Body=b"x")
pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="many/", PaginationConfig={"PageSize": 2})
keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
assert keys == ["many/%d" % i for i in range(5)], keys
top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["hello/", "many/"], top
data = os.urandom(10 * 1024 * 1024)
path = os.path.join(work, bucket + "-upload.bin")
with open(path, "wb") as f:
    f.write(data)
mib = 1024 * 1024
config = TransferConfig(multipart_threshold=5 * mib, multipart_chunksize=5 * mib)
s3.upload_file(path, bucket, "big/upload.bin", Config=config)
back = os.path.join(work, bucket + "-download.bin")
s3.download_file(bucket, "big/upload.bin", back, Config=config)
with open(back, "rb") as f:
    assert hashlib.sha256(f.read()).digest() == hashlib.sha256(data).digest()
deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "many/%d" % i} for i in range(5)]})
assert len(deleted["Deleted"]) == 5, deleted
try:
    s3.get_object(Bucket=bucket, Key="many/0")
    raise AssertionError("expected NoSuchKey")
except s3.exceptions.NoSuchKey:
    pass
print("ok")
`;
