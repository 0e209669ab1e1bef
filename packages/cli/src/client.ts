import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type * as SageMakerSdk from '@aws-sdk/client-sagemaker';
import type * as RuntimeSdk from '@aws-sdk/client-sagemaker-runtime';
import { DEFAULT_PORT } from '@plinth/platform/config';

/** Where the CLI finds the server and how it signs, from flags then the environment. */
export interface ClientOptions {
  readonly endpointUrl?: string;
  readonly region?: string;
}

/** The CLI's only reader of the environment: endpoint, region and (optional) AWS keys. */
export function resolveClientSettings(
  options: ClientOptions,
  env: NodeJS.ProcessEnv = process.env,
) {
  return {
    endpointUrl:
      options.endpointUrl ?? env.PLINTH_ENDPOINT_URL ?? `http://127.0.0.1:${DEFAULT_PORT}`,
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // A server without keys accepts any signature; one with keys needs the caller's.
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'plinth',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'plinth',
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
  };
}

/** The SDK module and a client of it; the module is loaded on first use (not by `plinth serve`). */
export interface SageMakerConnection {
  readonly sdk: typeof SageMakerSdk;
  readonly client: SageMakerSdk.SageMakerClient;
}

/** The SageMaker Runtime SDK (InvokeEndpoint) and a client of it, loaded on first use. */
export interface RuntimeConnection {
  readonly sdk: typeof RuntimeSdk;
  readonly client: RuntimeSdk.SageMakerRuntimeClient;
}

/** The CloudWatch Logs SDK and a client of it, loaded on first use. */
export interface LogsConnection {
  readonly sdk: typeof LogsSdk;
  readonly client: LogsSdk.CloudWatchLogsClient;
}

/** The S3 SDK and a client of it, loaded on first use. */
export interface S3Connection {
  readonly sdk: typeof S3Sdk;
  readonly client: S3Sdk.S3Client;
}

/** The configuration every AWS SDK client of the CLI gets: the server, region and keys. */
export function clientConfig(options: ClientOptions) {
  const settings = resolveClientSettings(options);
  return {
    endpoint: settings.endpointUrl,
    region: settings.region,
    credentials: settings.credentials,
    maxAttempts: 2,
  };
}

/** A real SageMaker client pointed at a Plinth server. */
export async function connectSageMaker(options: ClientOptions): Promise<SageMakerConnection> {
  const sdk = await import('@aws-sdk/client-sagemaker');
  return { sdk, client: new sdk.SageMakerClient(clientConfig(options)) };
}

/** A real CloudWatch Logs client pointed at a Plinth server (where training jobs' logs are). */
export async function connectLogs(options: ClientOptions): Promise<LogsConnection> {
  const sdk = await import('@aws-sdk/client-cloudwatch-logs');
  return { sdk, client: new sdk.CloudWatchLogsClient(clientConfig(options)) };
}

/** A real S3 client pointed at a Plinth server, path-style as Plinth serves buckets. */
export async function connectS3(options: ClientOptions): Promise<S3Connection> {
  const sdk = await import('@aws-sdk/client-s3');
  return { sdk, client: new sdk.S3Client({ ...clientConfig(options), forcePathStyle: true }) };
}

/** A real SageMaker Runtime client pointed at a Plinth server, which serves endpoints on the same port. */
export async function connectRuntime(options: ClientOptions): Promise<RuntimeConnection> {
  const sdk = await import('@aws-sdk/client-sagemaker-runtime');
  // An invocation is not idempotent: a retried one could reach the model twice.
  return {
    sdk,
    client: new sdk.SageMakerRuntimeClient({ ...clientConfig(options), maxAttempts: 1 }),
  };
}
