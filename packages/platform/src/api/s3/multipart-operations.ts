import {
  MAX_PART_NUMBER,
  type CompletedPart,
  type UploadRef,
} from '../../artifacts/object-store.js';
import { CHECKSUM_HEADERS } from './checksums.js';
import { writeOptionsFromHeaders } from './object-headers.js';
import { openRequestBody, readSmallBody } from './request-body.js';
import { OWNER, sendEmpty, sendXml, type S3Context } from './s3-context.js';
import { S3Error } from './s3-errors.js';
import { childElements, childText, parseXmlBody } from './xml.js';

/** 10,000 parts of about 100 bytes of XML each. */
const MAX_COMPLETE_BODY_BYTES = 4 * 1024 * 1024;

/** CreateMultipartUpload: POST /bucket/key?uploads */
export async function createMultipartUpload(context: S3Context): Promise<void> {
  const uploadId = await context.store.createMultipartUpload(
    context.bucket,
    context.key,
    writeOptionsFromHeaders(context.request.headers),
  );
  sendXml(context, {
    root: 'InitiateMultipartUploadResult',
    children: [
      ['Bucket', context.bucket],
      ['Key', context.key],
      ['UploadId', uploadId],
    ],
  });
}

/** UploadPart: PUT /bucket/key?partNumber=N&uploadId=ID */
export async function uploadPart(context: S3Context): Promise<void> {
  const partNumber = partNumberOf(context);
  const body = openRequestBody(context);
  const part = await context.store.uploadPart({
    ...uploadOf(context),
    partNumber,
    body: body.stream,
    ...(body.length !== undefined ? { contentLength: body.length } : {}),
  });
  context.reply.header('etag', part.etag);
  const checksum = body.checksum();
  if (checksum) context.reply.header(CHECKSUM_HEADERS[checksum.algorithm], checksum.value);
  sendEmpty(context, 200);
}

/** CompleteMultipartUpload: POST /bucket/key?uploadId=ID with the `<CompleteMultipartUpload>` part list. */
export async function completeMultipartUpload(context: S3Context): Promise<void> {
  const document = parseXmlBody(
    await readSmallBody(context, MAX_COMPLETE_BODY_BYTES),
    'CompleteMultipartUpload',
  );
  const parts: CompletedPart[] = childElements(document, 'Part').map((part) => {
    const number = childText(part, 'PartNumber')?.trim() ?? '';
    const etag = childText(part, 'ETag')?.trim() ?? '';
    if (!/^\d{1,5}$/.test(number) || etag === '') throw malformedXml();
    return { partNumber: Number(number), etag };
  });
  if (parts.length === 0) throw malformedXml();
  const result = await context.store.completeMultipartUpload(uploadOf(context), parts);
  const host = context.request.headers.host ?? 'localhost';
  const path = [context.bucket, ...context.key.split('/')].map(encodeURIComponent).join('/');
  sendXml(context, {
    root: 'CompleteMultipartUploadResult',
    children: [
      ['Location', `${context.request.protocol}://${host}/${path}`],
      ['Bucket', context.bucket],
      ['Key', context.key],
      ['ETag', result.etag],
    ],
  });
}

/** AbortMultipartUpload: DELETE /bucket/key?uploadId=ID */
export async function abortMultipartUpload(context: S3Context): Promise<void> {
  await context.store.abortMultipartUpload(uploadOf(context));
  sendEmpty(context, 204);
}

/** ListParts: GET /bucket/key?uploadId=ID[&max-parts=N&part-number-marker=M] */
export async function listParts(context: S3Context): Promise<void> {
  const maxParts = integerParam(context, 'max-parts', 1000);
  const marker = integerParam(context, 'part-number-marker', 0);
  const upload = uploadOf(context);
  const all = (await context.store.listParts(upload)).filter((p) => p.partNumber > marker);
  const page = all.slice(0, Math.min(maxParts, 1000));
  const isTruncated = page.length < all.length;
  sendXml(context, {
    root: 'ListPartsResult',
    children: [
      ['Bucket', upload.bucket],
      ['Key', upload.key],
      ['UploadId', upload.uploadId],
      ['Initiator', OWNER],
      ['Owner', OWNER],
      ['StorageClass', 'STANDARD'],
      ['PartNumberMarker', marker],
      ['NextPartNumberMarker', page.at(-1)?.partNumber ?? marker],
      ['MaxParts', maxParts],
      ['IsTruncated', isTruncated],
      ...page.map(
        (p) =>
          [
            'Part',
            [
              ['PartNumber', p.partNumber],
              ['LastModified', p.lastModified],
              ['ETag', p.etag],
              ['Size', p.size],
            ],
          ] as const,
      ),
    ],
  });
}

function uploadOf(context: S3Context): UploadRef {
  return {
    bucket: context.bucket,
    key: context.key,
    uploadId: context.query.get('uploadId') ?? '',
  };
}

function partNumberOf(context: S3Context): number {
  const text = context.query.get('partNumber') ?? '';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_PART_NUMBER) {
    throw new S3Error(
      'InvalidArgument',
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
      {
        ArgumentName: 'partNumber',
        ArgumentValue: text,
      },
    );
  }
  return value;
}

function integerParam(context: S3Context, name: string, fallback: number): number {
  const text = context.query.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text)) {
    throw new S3Error(
      'InvalidArgument',
      `Provided ${name} not an integer or within integer range`,
      {
        ArgumentName: name,
        ArgumentValue: text,
      },
    );
  }
  return Number(text);
}

function malformedXml(): S3Error {
  return new S3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}
