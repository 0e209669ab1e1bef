import { NoSuchBucketError } from '../../artifacts/errors.js';
import { MAX_KEY_BYTES } from '../../artifacts/object-store.js';
import { readSmallBody } from './request-body.js';
import { sendXml, type S3Context } from './s3-context.js';
import { S3Error, toS3Error } from './s3-errors.js';
import { childElements, childText, parseXmlBody, type XmlElement } from './xml.js';

/** S3 deletes at most this many keys per request. */
const MAX_DELETE_KEYS = 1000;
/** 1000 keys of up to 1 KiB each, written with entities, fit comfortably. */
const MAX_DELETE_BODY_BYTES = 8 * 1024 * 1024;

/** DeleteObjects: POST /bucket?delete with a `<Delete>` document; `Quiet` reports only failures. */
export async function deleteObjects(context: S3Context): Promise<void> {
  const document = parseXmlBody(await readSmallBody(context, MAX_DELETE_BODY_BYTES), 'Delete');
  const objects = childElements(document, 'Object');
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) {
    throw new S3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema.',
    );
  }
  const quiet = (childText(document, 'Quiet') ?? 'false').trim().toLowerCase() === 'true';
  if (!(await context.store.bucketExists(context.bucket)))
    throw new NoSuchBucketError(context.bucket);
  const results: XmlElement[] = [];
  for (const object of objects) {
    const key = childText(object, 'Key') ?? '';
    const versionId = childText(object, 'VersionId');
    const failure = await deleteOne(context, { key, versionId });
    if (failure) {
      results.push([
        'Error',
        [
          ['Key', key],
          ['Code', failure.code],
          ['Message', failure.message],
        ],
      ]);
    } else if (!quiet) {
      results.push(['Deleted', [['Key', key]]]);
    }
  }
  sendXml(context, { root: 'DeleteResult', children: results });
}

async function deleteOne(
  context: S3Context,
  target: { key: string; versionId: string | undefined },
): Promise<{ code: string; message: string } | undefined> {
  if (target.key === '')
    return { code: 'UserKeyMustBeSpecified', message: 'The request was missing a required key.' };
  if (Buffer.byteLength(target.key) > MAX_KEY_BYTES)
    return { code: 'KeyTooLongError', message: 'Your key is too long' };
  if (target.versionId !== undefined && target.versionId !== 'null') {
    return { code: 'NoSuchVersion', message: 'The specified version does not exist.' };
  }
  try {
    await context.store.deleteObject(context.bucket, target.key);
    return undefined;
  } catch (error) {
    const s3 = toS3Error(error);
    if (!s3) {
      context.logger.error('DeleteObjects failed for one key', {
        key: target.key,
        error: String(error),
      });
      return {
        code: 'InternalError',
        message: 'We encountered an internal error. Please try again.',
      };
    }
    return { code: s3.code, message: s3.message };
  }
}
