import type * as SageMakerSdk from '@aws-sdk/client-sagemaker';
import { DEFAULT_PORT } from '@plinth/platform';

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
