import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountContext } from '../../core/arn.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import type {
  EndpointInvoker,
  Invocation,
  OpenAnswer,
} from '../../services/endpoints/endpoint-invoker.js';
import type { EndpointMetrics } from '../../services/metrics/endpoint-metrics.js';
import { authenticateBuffered, type Authenticator } from '../auth/authenticator.js';
import { toWireError, type WireName } from '../aws-json/error-map.js';
import { readBoundedBody } from '../aws-json/read-body.js';
import { invocationOf, runtimeError, sendModelError } from './invocation-request.js';
import { registerAsyncRoute, type AsyncRouteOptions } from './async-route.js';
import { EVENT_STREAM_TYPE, payloadPart, streamError } from './response-stream.js';

/** SageMaker's limit on an InvokeEndpoint payload: 6 MB. */
export const MAX_INVOCATION_BYTES = 6 * 1024 * 1024;

/** The runtime API's names for the errors the control plane's services raise. */
const RUNTIME_ERROR_NAMES: Readonly<
  Record<
    'Validation' | 'ResourceNotFound' | 'ResourceInUse' | 'ResourceLimitExceeded' | 'Conflict',
    WireName
  >
> = {
  Validation: { type: 'ValidationError', status: 400 },
  ResourceNotFound: { type: 'ValidationError', status: 400 },
  ResourceInUse: { type: 'ValidationError', status: 400 },
  ResourceLimitExceeded: { type: 'ThrottlingException', status: 400 },
  Conflict: { type: 'ValidationError', status: 400 },
};

export interface RuntimePluginOptions {
  /** Carries invocations to the endpoints' model servers. */
  readonly invoker: EndpointInvoker;
  readonly authenticator: Authenticator;
  readonly account: AccountContext;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Where each answered invocation's counts and latencies go. */
  readonly metrics: EndpointMetrics;
  /** Takes InvokeEndpointAsync requests into the endpoints' queues. */
  readonly asyncInference?: AsyncRouteOptions['asyncInference'];
}

type InvokeRequest = FastifyRequest<{ Params: { name: string } }>;

/**
 * The sagemaker-runtime REST API: `POST /endpoints/{name}/invocations` goes to an instance of
 * the endpoint's chosen variant, and the model server's answer comes back as SageMaker returns
 * it (a model server's error as ModelError, 424); `invocations-response-stream` returns the
 * answer as it arrives, in event-stream frames. Mounted by the front door under `/_runtime`.
 */
export const runtimePlugin: FastifyPluginAsync<RuntimePluginOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    readBoundedBody(payload, MAX_INVOCATION_BYTES).then(
      (body) => done(null, body),
      (error: Error) => done(error),
    );
  });

  app.setErrorHandler((error, _request, reply) => {
    const wire = toWireError(error, RUNTIME_ERROR_NAMES);
    if (!wire) {
      options.logger.error('invocation failed', { err: error });
      return sendError(reply, {
        type: 'InternalFailure',
        status: 500,
        message: 'Internal failure',
      });
    }
    return sendError(reply, wire);
  });

  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-amzn-RequestId', options.ids.uuid());
    done();
  });

  /** The request's invocation, once its signature is checked. */
  const accept = (request: InvokeRequest, acceptHeader?: string): Invocation => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    authenticateBuffered(options.authenticator, {
      method: request.method,
      originalUrl: request.originalUrl,
      headers: request.headers,
      body,
    });
    return invocationOf(request, body, acceptHeader);
  };

  registerAsyncRoute(app, options);

  app.post<{ Params: { name: string } }>('/endpoints/:name/invocations', async (request, reply) => {
    const call = accept(request);
    const answer = await options.invoker.invoke(call).catch((error: unknown) => {
      throw runtimeError(error, call, options.account.accountId);
    });
    options.metrics.recordInvocation({
      endpoint: call.endpoint,
      variant: answer.variant,
      status: answer.status,
      modelLatencyMs: answer.modelLatencyMs,
      // elapsedTime counts from when Fastify began routing the request.
      overheadLatencyMs: Math.max(0, reply.elapsedTime - answer.modelLatencyMs),
    });
    if (answer.status >= 400) return sendModelError(reply, answer);
    const attributes = answer.headers.get('x-amzn-sagemaker-custom-attributes');
    if (attributes) reply.header('X-Amzn-SageMaker-Custom-Attributes', attributes);
    return reply
      .header('X-Amzn-Invoked-Production-Variant', answer.variant)
      .type(answer.headers.get('content-type') ?? 'application/octet-stream')
      .send(answer.body);
  });

  app.post<{ Params: { name: string } }>(
    '/endpoints/:name/invocations-response-stream',
    async (request, reply) => {
      const call = accept(request, 'x-amzn-sagemaker-accept');
      const started = performance.now();
      const open = await options.invoker.open(call).catch((error: unknown) => {
        throw runtimeError(error, call, options.account.accountId);
      });
      const record = (status: number) => {
        const modelLatencyMs = performance.now() - started;
        options.metrics.recordInvocation({
          endpoint: call.endpoint,
          variant: open.variant,
          status,
          modelLatencyMs,
          overheadLatencyMs: Math.max(0, reply.elapsedTime - modelLatencyMs),
        });
      };
      const { response } = open;
      if (!response.ok) {
        const body = Buffer.from(await response.arrayBuffer().finally(() => open.done()));
        record(response.status);
        return sendModelError(reply, {
          status: response.status,
          body,
          ...(open.container ? { container: open.container } : {}),
        });
      }
      const attributes = response.headers.get('x-amzn-sagemaker-custom-attributes');
      if (attributes) reply.header('X-Amzn-SageMaker-Custom-Attributes', attributes);
      return reply
        .header('X-Amzn-Invoked-Production-Variant', open.variant)
        .header(
          'X-Amzn-SageMaker-Content-Type',
          response.headers.get('content-type') ?? 'application/octet-stream',
        )
        .type(EVENT_STREAM_TYPE)
        .send(Readable.from(frames(open, () => record(response.status))));
    },
  );
};

/**
 * The model server's answer as PayloadPart events, a part per piece as it arrives; if the
 * server breaks off, a ModelStreamError event ends the stream.
 */
async function* frames(open: OpenAnswer, ended: () => void): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of open.response.body) yield payloadPart(chunk);
  } catch (error) {
    yield streamError('ModelStreamError', {
      message: `The model server broke off its answer: ${(error as Error).message}`,
      code: 'ModelStreamError',
    });
  } finally {
    open.done();
    ended();
  }
}

function sendError(
  reply: FastifyReply,
  wire: { type: string; status: number; message: string },
): FastifyReply {
  return reply
    .status(wire.status)
    .header('x-amzn-ErrorType', wire.type)
    .type('application/json')
    .send(JSON.stringify({ message: wire.message }));
}
