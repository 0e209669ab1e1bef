import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AccountContext } from '../../core/arn.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import type { Route, Router } from '../../services/endpoints/router.js';
import { authenticateBuffered, type Authenticator } from '../auth/authenticator.js';
import { ProtocolError, toWireError, type WireName } from '../aws-json/error-map.js';
import { readBoundedBody } from '../aws-json/read-body.js';

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
  readonly router: Router;
  readonly authenticator: Authenticator;
  readonly account: AccountContext;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/**
 * The sagemaker-runtime REST API: `POST /endpoints/{name}/invocations` goes to an instance of
 * the endpoint's chosen variant, and the model server's answer comes back as SageMaker returns
 * it (a model server's error as ModelError, 424). Mounted by the front door under `/_runtime`.
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

  app.post<{ Params: { name: string } }>('/endpoints/:name/invocations', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    authenticateBuffered(options.authenticator, {
      method: request.method,
      originalUrl: request.originalUrl,
      headers: request.headers,
      body,
    });
    const { name } = request.params;
    const target = header(request.headers['x-amzn-sagemaker-target-variant']);
    const { route, response } = await forward(options.router, {
      name,
      target,
      request,
      body,
      accountId: options.account.accountId,
    });
    const answer = Buffer.from(await response.arrayBuffer());
    if (!response.ok) {
      const message = answer.toString('utf8').trim();
      return reply
        .status(424)
        .header('x-amzn-ErrorType', 'ModelError')
        .type('application/json')
        .send(
          JSON.stringify({
            message: `Received client error (${response.status}) from primary with message "${message}".`,
            OriginalStatusCode: response.status,
            OriginalMessage: message,
          }),
        );
    }
    const attributes = response.headers.get('x-amzn-sagemaker-custom-attributes');
    if (attributes) reply.header('X-Amzn-SageMaker-Custom-Attributes', attributes);
    return reply
      .header('X-Amzn-Invoked-Production-Variant', route.variant)
      .type(response.headers.get('content-type') ?? 'application/octet-stream')
      .send(answer);
  });
};

/**
 * Sends the invocation to an instance of the chosen variant. If the instance cannot be reached
 * (it has just died), the request, which it never received, goes once to another instance.
 */
async function forward(
  router: Router,
  call: {
    name: string;
    target: string | undefined;
    request: { headers: Record<string, string | string[] | undefined> };
    body: Buffer;
    accountId: string;
  },
): Promise<{ route: Route; response: Response }> {
  let failed: { url: string; error: Error } | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const route = pickRoute(router, { ...call, avoid: failed?.url });
    route.instance.outstanding += 1;
    try {
      const response = await fetch(`${route.instance.url}/invocations`, {
        method: 'POST',
        headers: forwardedHeaders(call.request.headers),
        body: call.body,
      });
      return { route, response };
    } catch (error) {
      failed = { url: route.instance.url, error: error as Error };
    } finally {
      route.instance.outstanding -= 1;
    }
  }
  throw new ProtocolError(
    { type: 'ServiceUnavailable', status: 503 },
    `No model server of endpoint ${call.name} could be reached: ${failed?.error.message ?? ''}`,
  );
}

/** The route for a request, or the ValidationError a client gets when there is none. */
function pickRoute(
  router: Router,
  call: { name: string; target: string | undefined; avoid: string | undefined; accountId: string },
): Route {
  const route = router.pick(call.name, call.target, call.avoid);
  if (route === 'no-endpoint') {
    throw new ProtocolError(
      { type: 'ValidationError', status: 400 },
      `Endpoint ${call.name} of account ${call.accountId} not found.`,
    );
  }
  if (route === 'no-variant') {
    throw new ProtocolError(
      { type: 'ValidationError', status: 400 },
      `The variant ${call.target ?? ''} of endpoint ${call.name} does not exist or is not serving.`,
    );
  }
  return route;
}

/** What a model server is told of the request, as SageMaker passes it to the container. */
function forwardedHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'accept', 'x-amzn-sagemaker-custom-attributes']) {
    const value = header(headers[name]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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
