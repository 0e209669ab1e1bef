import { NoSuchBucketError } from '../../artifacts/errors.js';
import { readSmallBody } from './request-body.js';
import { OWNER, sendEmpty, sendXml, type S3Context } from './s3-context.js';
import { parseXmlBody } from './xml.js';

/** Largest CreateBucketConfiguration accepted; real ones are a few hundred bytes. */
const MAX_CONFIGURATION_BYTES = 64 * 1024;

/** ListBuckets: GET / */
export async function listBuckets(context: S3Context): Promise<void> {
  const buckets = await context.store.listBuckets();
  sendXml(context, {
    root: 'ListAllMyBucketsResult',
    children: [
      ['Owner', OWNER],
      [
        'Buckets',
        buckets.map((b) => [
          'Bucket',
          [
            ['Name', b.name],
            ['CreationDate', b.creationDate],
          ],
        ]),
      ],
    ],
  });
}

/** CreateBucket: PUT /bucket, with or without a CreateBucketConfiguration document. */
export async function createBucket(context: S3Context): Promise<void> {
  const body = await readSmallBody(context, MAX_CONFIGURATION_BYTES);
  // The location constraint is checked for form only: all buckets live in this server's region.
  if (body.trim() !== '') parseXmlBody(body, 'CreateBucketConfiguration');
  await context.store.createBucket(context.bucket);
  context.reply.header('location', `/${context.bucket}`);
  sendEmpty(context, 200);
}

/** HeadBucket: HEAD /bucket */
export async function headBucket(context: S3Context): Promise<void> {
  await requireBucket(context);
  context.reply.header('x-amz-bucket-region', context.region);
  sendEmpty(context, 200);
}

/** DeleteBucket: DELETE /bucket */
export async function deleteBucket(context: S3Context): Promise<void> {
  await context.store.deleteBucket(context.bucket);
  sendEmpty(context, 204);
}

/** GetBucketLocation: GET /bucket?location (the AWS CLI asks before some transfers). */
export async function getBucketLocation(context: S3Context): Promise<void> {
  await requireBucket(context);
  // S3 answers an empty constraint for us-east-1, its historical default.
  sendXml(context, {
    root: 'LocationConstraint',
    children: context.region === 'us-east-1' ? '' : context.region,
  });
}

async function requireBucket(context: S3Context): Promise<void> {
  if (!(await context.store.bucketExists(context.bucket)))
    throw new NoSuchBucketError(context.bucket);
}
