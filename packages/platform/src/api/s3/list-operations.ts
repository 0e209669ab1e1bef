import {
  MAX_LIST_KEYS,
  type ListObjectsPage,
  type ObjectSummary,
} from '../../artifacts/object-store.js';
import { OWNER, sendXml, type S3Context } from './s3-context.js';
import { S3Error } from './s3-errors.js';
import type { XmlElement } from './xml.js';

/** ListObjectsV2: GET /bucket?list-type=2 */
export async function listObjectsV2(context: S3Context): Promise<void> {
  const params = listParams(context);
  const continuationToken = context.query.get('continuation-token') ?? undefined;
  const startAfter = context.query.get('start-after') ?? undefined;
  const page = await context.store.listObjects(context.bucket, {
    ...params.store,
    ...(continuationToken !== undefined ? { continuationToken } : {}),
    ...(startAfter ? { startAfter } : {}),
  });
  const fetchOwner = context.query.get('fetch-owner') === 'true';
  sendXml(context, {
    root: 'ListBucketResult',
    children: [
      ['Name', context.bucket],
      ['Prefix', params.encode(params.store.prefix)],
      ['ContinuationToken', continuationToken],
      ['NextContinuationToken', page.nextContinuationToken],
      ['StartAfter', startAfter !== undefined ? params.encode(startAfter) : undefined],
      ['KeyCount', page.objects.length + page.commonPrefixes.length],
      ['MaxKeys', params.maxKeys],
      [
        'Delimiter',
        params.store.delimiter !== undefined ? params.encode(params.store.delimiter) : undefined,
      ],
      ['EncodingType', params.encodingType],
      ['IsTruncated', page.isTruncated],
      ...entries(page, { encode: params.encode, owner: fetchOwner }),
    ],
  });
}

/** ListObjects (version 1): GET /bucket, paged by `marker`, as older tools still use. */
export async function listObjectsV1(context: S3Context): Promise<void> {
  const params = listParams(context);
  const marker = context.query.get('marker') ?? '';
  const page = await context.store.listObjects(context.bucket, {
    ...params.store,
    ...(marker ? { startAfter: marker } : {}),
  });
  // S3 gives NextMarker only with a delimiter; without one clients resume from the last key.
  const nextMarker =
    page.isTruncated && params.store.delimiter !== undefined ? page.lastEntry : undefined;
  sendXml(context, {
    root: 'ListBucketResult',
    children: [
      ['Name', context.bucket],
      ['Prefix', params.encode(params.store.prefix)],
      ['Marker', params.encode(marker)],
      ['NextMarker', nextMarker !== undefined ? params.encode(nextMarker) : undefined],
      ['MaxKeys', params.maxKeys],
      [
        'Delimiter',
        params.store.delimiter !== undefined ? params.encode(params.store.delimiter) : undefined,
      ],
      ['EncodingType', params.encodingType],
      ['IsTruncated', page.isTruncated],
      ...entries(page, { encode: params.encode, owner: true }),
    ],
  });
}

interface ListParams {
  readonly store: { prefix: string; delimiter?: string; maxKeys: number };
  readonly maxKeys: number;
  readonly encodingType: 'url' | undefined;
  readonly encode: (value: string) => string;
}

function listParams(context: S3Context): ListParams {
  const query = context.query;
  const maxKeysText = query.get('max-keys');
  const maxKeys = maxKeysText === null ? MAX_LIST_KEYS : Number(maxKeysText);
  if (!/^\d+$/.test(maxKeysText ?? '0') || !Number.isSafeInteger(maxKeys)) {
    throw new S3Error(
      'InvalidArgument',
      'Provided max-keys not an integer or within integer range',
      {
        ArgumentName: 'max-keys',
        ArgumentValue: maxKeysText ?? '',
      },
    );
  }
  const encodingType = query.get('encoding-type');
  if (encodingType !== null && encodingType.toLowerCase() !== 'url') {
    throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: encodingType,
    });
  }
  const delimiter = query.get('delimiter') || undefined;
  return {
    store: {
      prefix: query.get('prefix') ?? '',
      ...(delimiter !== undefined ? { delimiter } : {}),
      maxKeys: Math.min(maxKeys, MAX_LIST_KEYS),
    },
    maxKeys,
    encodingType: encodingType === null ? undefined : 'url',
    encode: encodingType === null ? (value) => value : encodeListed,
  };
}

function entries(
  page: ListObjectsPage,
  options: { encode: (value: string) => string; owner: boolean },
): XmlElement[] {
  const contents = page.objects.map((o): XmlElement => ['Contents', objectElements(o, options)]);
  const prefixes = page.commonPrefixes.map((p): XmlElement => [
    'CommonPrefixes',
    [['Prefix', options.encode(p)]],
  ]);
  return [...contents, ...prefixes];
}

function objectElements(
  o: ObjectSummary,
  options: { encode: (value: string) => string; owner: boolean },
): XmlElement[] {
  return [
    ['Key', options.encode(o.key)],
    ['LastModified', o.lastModified],
    ['ETag', o.etag],
    ['Size', o.size],
    ['Owner', options.owner ? OWNER : undefined],
    ['StorageClass', 'STANDARD'],
  ];
}

/**
 * `encoding-type=url`: percent-encodes everything but unreserved characters and `/`. Never
 * emits `+`, so decoders that read `+` as a space (botocore's) get the key back exactly.
 */
export function encodeListed(value: string): string {
  return encodeURIComponent(value)
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
