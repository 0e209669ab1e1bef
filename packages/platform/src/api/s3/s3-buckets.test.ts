import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3TestServer, type S3TestServer, failure } from './s3-test-server.js';

let server: S3TestServer;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3TestServer();
  s3 = server.client();
});

afterAll(async () => {
  await server.close();
});

/** The S3 error code and HTTP status a client sees for a failed call. */

describe('S3 API: buckets', () => {
  it('creates, finds, lists, locates and deletes a bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'life-cycle' }));
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'with-config',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'life-cycle' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(
      expect.arrayContaining(['life-cycle', 'with-config']),
    );
    expect(list.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    expect(list.Owner?.ID).toBeTruthy();
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: 'life-cycle' }));
    expect(location.LocationConstraint ?? '').toBe('');
    await s3.send(new DeleteBucketCommand({ Bucket: 'life-cycle' }));
    expect(await failure(s3.send(new HeadBucketCommand({ Bucket: 'life-cycle' })))).toEqual({
      name: 'NotFound',
      status: 404,
    });
  });

  it('answers with the errors S3 gives', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'taken' }));
    expect(await failure(s3.send(new CreateBucketCommand({ Bucket: 'taken' })))).toEqual({
      name: 'BucketAlreadyOwnedByYou',
      status: 409,
    });
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: 'never-made' })))).toEqual({
      name: 'NoSuchBucket',
      status: 404,
    });
    expect(await failure(s3.send(new GetBucketLocationCommand({ Bucket: 'never-made' })))).toEqual({
      name: 'NoSuchBucket',
      status: 404,
    });
    await s3.send(new PutObjectCommand({ Bucket: 'taken', Key: 'k', Body: 'x' }));
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: 'taken' })))).toEqual({
      name: 'BucketNotEmpty',
      status: 409,
    });
    expect(await failure(s3.send(new CreateBucketCommand({ Bucket: 'bad_name' })))).toEqual({
      name: 'InvalidBucketName',
      status: 400,
    });
  });
});
