import { MAX_KEY_BYTES } from '../../artifacts/object-store.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  headBucket,
  listBuckets,
} from './bucket-operations.js';
import { copyObject, uploadPartCopy } from './copy-operations.js';
import { deleteObjects } from './delete-objects.js';
import { listObjectsV1, listObjectsV2 } from './list-operations.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listParts,
  uploadPart,
} from './multipart-operations.js';
import { deleteObject, getObject, headObject, putObject } from './object-operations.js';
import type { S3Operation, S3Target } from './s3-context.js';
import { S3Error } from './s3-errors.js';

/**
 * S3's sub-resources: query parameters that select another operation on the same path. A
 * request naming one we do not implement is refused rather than served as the plain operation
 * (`GET /b?policy` must not list the bucket).
 */
const SUBRESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metadataConfiguration',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'renameObject',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'select-type',
  'session',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versioning',
  'versions',
  'website',
]);

/** Picks the operation a request asks for; `NotImplemented`/`MethodNotAllowed` when there is none. */
export function selectOperation(
  method: string,
  target: S3Target,
  headers: Record<string, unknown>,
): S3Operation {
  const present = [...new Set(target.query.keys())].filter((name) => SUBRESOURCES.has(name));
  const has = (name: string): boolean => present.includes(name);
  const only = (...allowed: string[]): boolean => present.every((name) => allowed.includes(name));
  const versionId = target.query.get('versionId');
  if (versionId !== null && versionId !== 'null') {
    throw new S3Error('InvalidArgument', 'Invalid version id specified', {
      ArgumentName: 'versionId',
      ArgumentValue: versionId,
    });
  }
  if (target.bucket === '') {
    if (method === 'GET' && present.length === 0) return listBuckets;
    throw notAllowed(method);
  }
  if (target.key === '') return bucketOperation(method, target, { has, only });
  if (Buffer.byteLength(target.key) > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 'Your key is too long', {
      Size: String(Buffer.byteLength(target.key)),
      MaxSizeAllowed: String(MAX_KEY_BYTES),
    });
  }
  const copying = headers['x-amz-copy-source'] !== undefined;
  return objectOperation(method, { has, only, copying });
}

interface Present {
  readonly has: (name: string) => boolean;
  readonly only: (...allowed: string[]) => boolean;
}

function bucketOperation(method: string, target: S3Target, present: Present): S3Operation {
  const { has, only } = present;
  switch (method) {
    case 'GET':
      if (has('location') && only('location')) return getBucketLocation;
      if (only()) return listVersion(target.query.get('list-type'));
      break;
    case 'HEAD':
      if (only()) return headBucket;
      break;
    case 'PUT':
      if (only()) return createBucket;
      break;
    case 'DELETE':
      if (only()) return deleteBucket;
      break;
    case 'POST':
      if (has('delete') && only('delete')) return deleteObjects;
      break;
    default:
      throw notAllowed(method);
  }
  throw notImplemented();
}

function objectOperation(method: string, present: Present & { copying: boolean }): S3Operation {
  const { has, only, copying } = present;
  switch (method) {
    case 'GET':
      if (has('uploadId') && only('uploadId')) return listParts;
      if (only()) return getObject;
      break;
    case 'HEAD':
      if (only()) return headObject;
      break;
    case 'PUT':
      if (has('uploadId') && has('partNumber') && only('uploadId', 'partNumber')) {
        return copying ? uploadPartCopy : uploadPart;
      }
      if (only()) return copying ? copyObject : putObject;
      break;
    case 'DELETE':
      if (has('uploadId') && only('uploadId')) return abortMultipartUpload;
      if (only()) return deleteObject;
      break;
    case 'POST':
      if (has('uploads') && only('uploads')) return createMultipartUpload;
      if (has('uploadId') && only('uploadId')) return completeMultipartUpload;
      break;
    default:
      throw notAllowed(method);
  }
  throw notImplemented();
}

function listVersion(listType: string | null): S3Operation {
  if (listType === null) return listObjectsV1;
  if (listType === '2') return listObjectsV2;
  throw new S3Error('InvalidArgument', 'Invalid List Type specified in Request', {
    ArgumentName: 'list-type',
    ArgumentValue: listType,
  });
}

function notImplemented(): S3Error {
  return new S3Error(
    'NotImplemented',
    'A header or query you provided implies functionality that is not implemented.',
  );
}

function notAllowed(method: string): S3Error {
  return new S3Error(
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    {
      Method: method,
      ResourceType: 'SERVICE',
    },
  );
}
