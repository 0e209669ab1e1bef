import type { ResourceRecord } from '../metadata-store.js';

/** The fields a test cares about; the rest get plain defaults. */
export interface RecordFields {
  readonly name: string;
  readonly resourceType?: string;
  readonly status?: string | null;
  /** Epoch milliseconds. */
  readonly creationTime?: number;
  readonly lastModifiedTime?: number;
  readonly body?: Record<string, unknown>;
}

/** The ARN SageMaker would give this resource (name lower-cased). */
export function testArn(resourceType: string, name: string): string {
  return `arn:aws:sagemaker:us-east-1:123456789012:${resourceType}/${name.toLowerCase()}`;
}

/** A resource record for tests, of type `model` unless told otherwise. */
export function makeRecord(fields: RecordFields): ResourceRecord {
  const resourceType = fields.resourceType ?? 'model';
  const creationTime = fields.creationTime ?? 1_700_000_000_000;
  return {
    resourceType,
    name: fields.name,
    arn: testArn(resourceType, fields.name),
    status: fields.status === undefined ? 'InService' : fields.status,
    creationTime: new Date(creationTime),
    lastModifiedTime: new Date(fields.lastModifiedTime ?? creationTime),
    body: fields.body ?? { ModelName: fields.name },
  };
}

/** Fails with a clear message if `promise` takes longer than `ms` (e.g. a deadlock). */
export async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
