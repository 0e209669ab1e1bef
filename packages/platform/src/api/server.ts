import Fastify, { type FastifyInstance } from 'fastify';
import type { IdGenerator } from '../core/ids.js';
import type { ObjectStore } from '../artifacts/object-store.js';
import type { Logger } from '../logging/logger.js';
import type { Authenticator } from './auth/authenticator.js';
import { awsJsonPlugin } from './aws-json/aws-json-plugin.js';
import type { JsonService } from './aws-json/json-service.js';
import { classifyRequest, internalUrl, PROTOCOL_PREFIX } from './classify-request.js';
import { runtimePlugin, type RuntimePluginOptions } from './runtime/runtime-plugin.js';
import { s3Plugin } from './s3/s3-plugin.js';
import type { AccountContext } from '../core/arn.js';
import type { EndpointInvoker } from '../services/endpoints/endpoint-invoker.js';
import type { EndpointMetrics, MetricsExposition } from '../services/metrics/endpoint-metrics.js';

export interface AppDependencies {
  readonly jsonServices: readonly JsonService[];
  readonly objectStore: ObjectStore;
  readonly authenticator: Authenticator;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** The region buckets report (GetBucketLocation). */
  readonly region: string;
  /** What carries InvokeEndpoint requests to model servers, and the account endpoints belong to. */
  readonly runtime: {
    readonly invoker: EndpointInvoker;
    readonly account: AccountContext;
    /** Takes InvokeEndpointAsync requests; without it they are refused. */
    readonly asyncInference?: RuntimePluginOptions['asyncInference'];
  };
  /** Recorded by the runtime, scraped at `GET /metrics`. */
  readonly metrics: EndpointMetrics & MetricsExposition;
}

/**
 * The front door: one Fastify app on one port. Each request is classified by protocol and its
 * URL rewritten under that protocol's internal prefix, so every protocol is an encapsulated
 * plugin with its own body parsing, routes and error encoding.
 */
export async function createApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    return503OnClosing: true,
    // Object keys may be long; S3 allows 1024 bytes of key plus a query string.
    routerOptions: { maxParamLength: 2048 },
    rewriteUrl: (request) => {
      const url = request.url ?? '/';
      return internalUrl(classifyRequest(request.method ?? 'GET', url, request.headers), url);
    },
  });

  await app.register(awsJsonPlugin, {
    prefix: PROTOCOL_PREFIX['aws-json'],
    services: deps.jsonServices,
    authenticator: deps.authenticator,
    ids: deps.ids,
    logger: deps.logger.child({ protocol: 'aws-json' }),
  });
  await app.register(s3Plugin, {
    prefix: PROTOCOL_PREFIX.s3,
    objectStore: deps.objectStore,
    region: deps.region,
    authenticator: deps.authenticator,
    ids: deps.ids,
    logger: deps.logger.child({ protocol: 's3' }),
  });

  await app.register(runtimePlugin, {
    prefix: PROTOCOL_PREFIX.runtime,
    invoker: deps.runtime.invoker,
    account: deps.runtime.account,
    ...(deps.runtime.asyncInference ? { asyncInference: deps.runtime.asyncInference } : {}),
    authenticator: deps.authenticator,
    ids: deps.ids,
    logger: deps.logger.child({ protocol: 'runtime' }),
    metrics: deps.metrics,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Prometheus text for scrapers; JSON for `plinth metrics` (Accept: application/json).
  app.get('/metrics', async (request, reply) =>
    String(request.headers.accept ?? '').includes('application/json')
      ? reply.type('application/json').send(await deps.metrics.renderJson())
      : reply.type(deps.metrics.contentType).send(await deps.metrics.render()),
  );
  return app;
}
