import type { IncomingHttpHeaders } from 'node:http';
import { MAX_KEY_BYTES } from '../../artifacts/object-store.js';
import { checkConditions, parseRange, single, writeOptionsFromHeaders } from './object-headers.js';
import { MAX_OBJECT_BYTES } from './request-body.js';
import { sendXml, type S3Context } from './s3-context.js';
import { S3Error } from './s3-errors.js';

/** The object named by `x-amz-copy-source`. */
export interface CopySource {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Parses `x-amz-copy-source`: `[/]bucket/key[?versionId=...]`, URL-encoded. Only the `null`
 * version exists here (buckets are not versioned).
 */
export function parseCopySource(headers: IncomingHttpHeaders): CopySource {
  const raw = single(headers['x-amz-copy-source']) ?? '';
  const queryAt = raw.indexOf('?');
  const path = (queryAt < 0 ? raw : raw.slice(0, queryAt)).replace(/^\//, '');
  const versionId = new URLSearchParams(queryAt < 0 ? '' : raw.slice(queryAt + 1)).get('versionId');
  if (versionId !== null && versionId !== 'null') {
    throw new S3Error('InvalidArgument', 'Invalid version id specified', {
      ArgumentName: 'x-amz-copy-source',
    });
  }
  // Decode before splitting: clients encode the separator too (`bucket%2Fkey`), and a bucket
  // name never contains a slash, so the first one after decoding ends it.
  let source: CopySource | undefined;
  try {
    const decoded = decodeURIComponent(path).replace(/^\//, '');
    const slash = decoded.indexOf('/');
    if (slash > 0) source = { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
  } catch {
    source = undefined;
  }
  if (!source || source.key === '') {
    throw new S3Error(
      'InvalidArgument',
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      {
        ArgumentName: 'x-amz-copy-source',
      },
    );
  }
  if (Buffer.byteLength(source.key) > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 'Your key is too long', {
      Size: String(Buffer.byteLength(source.key)),
    });
  }
  return source;
}

/** CopyObject: PUT /bucket/key with `x-amz-copy-source`. */
export async function copyObject(context: S3Context): Promise<void> {
  const headers = context.request.headers;
  const source = parseCopySource(headers);
  const directive = (single(headers['x-amz-metadata-directive']) ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new S3Error('InvalidArgument', 'Unknown metadata directive.', {
      ArgumentName: 'x-amz-metadata-directive',
    });
  }
  if (directive === 'COPY' && source.bucket === context.bucket && source.key === context.key) {
    throw new S3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  await checkCopySourceConditions(context, source);
  const copied = await context.store.copyObject(
    source,
    { bucket: context.bucket, key: context.key },
    directive === 'REPLACE' ? writeOptionsFromHeaders(headers) : undefined,
  );
  sendXml(context, {
    root: 'CopyObjectResult',
    children: [
      ['LastModified', copied.lastModified],
      ['ETag', copied.etag],
    ],
  });
}

/** UploadPartCopy: PUT /bucket/key?partNumber&uploadId with `x-amz-copy-source[-range]`. */
export async function uploadPartCopy(context: S3Context): Promise<void> {
  const headers = context.request.headers;
  const source = parseCopySource(headers);
  await checkCopySourceConditions(context, source);
  const rangeHeader = single(headers['x-amz-copy-source-range']);
  const range = rangeHeader === undefined ? undefined : parseRange(rangeHeader);
  if (rangeHeader !== undefined && (!range || !('end' in range) || range.end === undefined)) {
    throw new S3Error(
      'InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last.',
      {
        ArgumentName: 'x-amz-copy-source-range',
      },
    );
  }
  const content = await context.store.getObject(source.bucket, source.key, range ? { range } : {});
  if (content.contentLength > MAX_OBJECT_BYTES) {
    content.body.destroy();
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  }
  let part;
  try {
    part = await context.store.uploadPart({
      bucket: context.bucket,
      key: context.key,
      uploadId: context.query.get('uploadId') ?? '',
      partNumber: Number(context.query.get('partNumber')),
      body: content.body,
      contentLength: content.contentLength,
    });
  } finally {
    content.body.destroy(); // a no-op once read; releases the source file if the part was refused
  }
  sendXml(context, {
    root: 'CopyPartResult',
    children: [
      ['LastModified', new Date()],
      ['ETag', part.etag],
    ],
  });
}

/** `x-amz-copy-source-if-*`: the copy preconditions, all answered with 412 as S3 does. */
async function checkCopySourceConditions(context: S3Context, source: CopySource): Promise<void> {
  const headers = context.request.headers;
  const mapped: IncomingHttpHeaders = {};
  for (const name of ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since']) {
    const value = headers[`x-amz-copy-source-${name}`];
    if (value !== undefined) mapped[name] = value;
  }
  if (Object.keys(mapped).length === 0) return;
  const info = await context.store.headObject(source.bucket, source.key);
  if (checkConditions(mapped, info) !== 200) {
    throw new S3Error(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
    );
  }
}
