import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';

export const TEST_KEYS = {
  accessKeyId: 'AKIAPLINTHTEST000001',
  secretAccessKey: 'plinth-test-secret',
};

/** The real SageMaker client pointed at a test server. */
export function sagemakerClient(url: string, credentials = TEST_KEYS): SageMakerClient {
  return new SageMakerClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** The real S3 client pointed at a test server, path-style as Plinth serves it. */
export function s3Client(url: string, credentials = TEST_KEYS): S3Client {
  return new S3Client({
    endpoint: url,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

/** Sends a raw AWS JSON 1.1 request, for the malformed inputs no SDK would send. */
export async function rawJson(
  url: string,
  target: string | undefined,
  body: string | Buffer,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target) headers['x-amz-target'] = target;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

/** The error a call that must fail rejected with; throws if it succeeded. */
export async function failure(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string } | undefined;
  if (!error) throw new Error('the call succeeded');
  return error;
}
