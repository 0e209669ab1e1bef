import { resolveRange } from '../../artifacts/byte-range.js';
import { isObjectStoreError } from '../../artifacts/errors.js';
import type { ObjectInfo } from '../../artifacts/object-store.js';
import { CHECKSUM_HEADERS } from './checksums.js';
import {
  checkConditions,
  etagListMatches,
  parseRange,
  setObjectHeaders,
  single,
  writeOptionsFromHeaders,
} from './object-headers.js';
import { openRequestBody } from './request-body.js';
import { sendEmpty, type S3Context } from './s3-context.js';
import { S3Error } from './s3-errors.js';

/** PutObject: PUT /bucket/key with the bytes as body (plain or aws-chunked). */
export async function putObject(context: S3Context): Promise<void> {
  const options = writeOptionsFromHeaders(context.request.headers);
  await checkWritePreconditions(context);
  const body = openRequestBody(context);
  const result = await context.store.putObject({
    bucket: context.bucket,
    key: context.key,
    body: body.stream,
    ...(body.length !== undefined ? { contentLength: body.length } : {}),
    ...options,
    checksum: () => body.checksum(),
  });
  context.reply.header('etag', result.etag);
  const checksum = body.checksum();
  if (checksum) context.reply.header(CHECKSUM_HEADERS[checksum.algorithm], checksum.value);
  sendEmpty(context, 200);
}

/** GetObject: GET /bucket/key, whole or a `Range`, honouring conditional headers. */
export async function getObject(context: S3Context): Promise<void> {
  const range = parseRange(single(context.request.headers.range));
  const content = await context.store.getObject(
    context.bucket,
    context.key,
    range ? { range } : {},
  );
  let proceed = false;
  try {
    proceed = answerConditions(context, content);
  } finally {
    // Not sending the bytes: release the open file now rather than at garbage collection.
    if (!proceed) content.body.destroy();
  }
  if (!proceed) return;
  setObjectHeaders(context, content, content.range !== undefined);
  context.reply.header('content-length', String(content.contentLength));
  if (content.range) {
    context.reply
      .code(206)
      .header('content-range', `bytes ${content.range.start}-${content.range.end}/${content.size}`);
  }
  void context.reply.send(content.body);
}

/** HeadObject: HEAD /bucket/key; like GET without the bytes (no body, even on errors). */
export async function headObject(context: S3Context): Promise<void> {
  const info = await context.store.headObject(context.bucket, context.key);
  if (!answerConditions(context, info)) return;
  const range = parseRange(single(context.request.headers.range));
  const resolved = range ? resolveRange(range, info.size) : undefined;
  setObjectHeaders(context, info, resolved !== undefined);
  if (resolved) {
    context.reply
      .code(206)
      .header('content-range', `bytes ${resolved.start}-${resolved.end}/${info.size}`);
  }
  context.reply.header(
    'content-length',
    String(resolved ? resolved.end - resolved.start + 1 : info.size),
  );
  void context.reply.send();
}

/** DeleteObject: DELETE /bucket/key; 204 whether or not the key existed. */
export async function deleteObject(context: S3Context): Promise<void> {
  await context.store.deleteObject(context.bucket, context.key);
  sendEmpty(context, 204);
}

/**
 * Answers a failed precondition (304 Not Modified or 412) and returns false, or returns true
 * for the operation to go on.
 */
function answerConditions(context: S3Context, info: ObjectInfo): boolean {
  const outcome = checkConditions(context.request.headers, info);
  if (outcome === 200) return true;
  if (outcome === 412)
    throw new S3Error(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
    );
  context.reply.header('etag', info.etag).header('last-modified', info.lastModified.toUTCString());
  sendEmpty(context, 304);
  return false;
}

/**
 * Conditional writes (`If-None-Match: *`, `If-Match: <etag>`). Checked before the write, so two
 * racing writers can both pass: good enough for one machine, not a lock.
 */
async function checkWritePreconditions(context: S3Context): Promise<void> {
  const ifNoneMatch = single(context.request.headers['if-none-match']);
  const ifMatch = single(context.request.headers['if-match']);
  if (ifNoneMatch === undefined && ifMatch === undefined) return;
  let etag: string | undefined;
  try {
    etag = (await context.store.headObject(context.bucket, context.key)).etag;
  } catch (error) {
    if (!isObjectStoreError(error, 'NoSuchKey')) throw error;
  }
  if (ifMatch !== undefined && etag === undefined)
    throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: context.key });
  const failed =
    (ifNoneMatch !== undefined && etag !== undefined && etagListMatches(ifNoneMatch, etag)) ||
    (ifMatch !== undefined && etag !== undefined && !etagListMatches(ifMatch, etag));
  if (failed)
    throw new S3Error(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
    );
}
