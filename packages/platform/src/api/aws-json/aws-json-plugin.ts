import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import { validateInput, SerializationError } from '../api-model/validate-input.js';
import { authenticateBuffered, type Authenticator } from '../auth/authenticator.js';
import { ProtocolError, toWireError, SAGEMAKER_ERROR_NAMES } from './error-map.js';
import { readBoundedBody } from './read-body.js';
import type { JsonService, OperationHandler } from './json-service.js';

export interface AwsJsonPluginOptions {
  readonly services: readonly JsonService[];
  readonly authenticator: Authenticator;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/** AWS's limit for JSON control-plane request bodies is not published; 10 MiB is far above any real call. */
export const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

const CONTENT_TYPE = 'application/x-amz-json-1.1';

interface ResolvedOperation {
  readonly service: JsonService;
  readonly name: string;
  readonly handler: OperationHandler;
}

/**
 * The AWS JSON 1.1 protocol: `POST /` with `X-Amz-Target: <Prefix>.<Operation>`. Authenticates,
 * validates the body against the operation's input shape, calls its handler and encodes the
 * answer or the error exactly as AWS does. Mounted by the front door under `/_aws-json`.
 */
export const awsJsonPlugin: FastifyPluginAsync<AwsJsonPluginOptions> = async (app, options) => {
  const services = new Map(options.services.map((service) => [service.targetPrefix, service]));

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => {
    readBoundedBody(payload, MAX_JSON_BODY_BYTES).then(
      (body) => done(null, body),
      (error: Error) => done(error),
    );
  });

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));

  // A callback hook, not an async one: it runs on every request and needs no promise.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-amzn-RequestId', options.ids.uuid());
    done();
  });

  app.post('/', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const principal = authenticateBuffered(options.authenticator, {
      method: request.method,
      originalUrl: request.originalUrl,
      headers: request.headers,
      body,
    });
    const operation = resolveOperation(services, request.headers['x-amz-target']);
    const input = parseBody(body);
    const inputShape = operation.service.model.operations[operation.name]?.input?.shape;
    if (inputShape) validateInput(operation.service.model, inputShape, input);
    const output = await operation.handler(input, { requestId: requestIdOf(reply), principal });
    return reply.type(CONTENT_TYPE).send(encodeJson(output ?? {}));
  });

  function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
    const target = request.headers['x-amz-target'];
    const prefix = typeof target === 'string' ? target.split('.')[0] : undefined;
    const names = (prefix && services.get(prefix)?.errorNames) || SAGEMAKER_ERROR_NAMES;
    const wire = toWireError(error, names);
    if (!wire) {
      options.logger.error('request failed', { target, requestId: requestIdOf(reply), err: error });
      return reply
        .status(500)
        .type(CONTENT_TYPE)
        .header('x-amzn-ErrorType', 'InternalFailure')
        .send(
          JSON.stringify({
            __type: 'InternalFailure',
            message: 'The request processing has failed because of an unknown error.',
          }),
        );
    }
    return reply
      .status(wire.status)
      .type(CONTENT_TYPE)
      .header('x-amzn-ErrorType', wire.type)
      .send(JSON.stringify({ __type: wire.type, message: wire.message }));
  }
};

function resolveOperation(
  services: ReadonlyMap<string, JsonService>,
  target: string | string[] | undefined,
): ResolvedOperation {
  if (typeof target !== 'string' || !target.includes('.')) {
    throw new ProtocolError(
      { type: 'UnknownOperationException', status: 400 },
      'Missing or malformed X-Amz-Target header: expected <Service>.<Operation>, e.g. SageMaker.ListModels',
    );
  }
  const dot = target.indexOf('.');
  const [prefix, name] = [target.slice(0, dot), target.slice(dot + 1)];
  const service = services.get(prefix);
  if (!service || !service.model.operations[name]) {
    throw new ProtocolError(
      { type: 'UnknownOperationException', status: 400 },
      `Unknown operation ${target}`,
    );
  }
  const handler = service.handlers[name];
  if (!handler) {
    throw new ProtocolError(
      { type: 'UnknownOperationException', status: 400 },
      `${target} is a real AWS operation that Plinth does not implement yet; see docs/api-coverage.md`,
    );
  }
  return { service, name, handler };
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new SerializationError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationError('The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** JSON with Dates as epoch seconds, the AWS JSON protocol's default timestamp format. */
export function encodeJson(value: unknown): string {
  // A copy with Dates converted, then the native stringify: a replacer function would be
  // called back from native code for every key, several times slower on every response.
  return JSON.stringify(withEpochSeconds(value));
}

function withEpochSeconds(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(withEpochSeconds);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withEpochSeconds(item);
  return copy;
}

function requestIdOf(reply: FastifyReply): string {
  return String(reply.getHeader('x-amzn-RequestId') ?? '');
}
