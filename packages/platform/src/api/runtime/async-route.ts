import type { FastifyInstance } from 'fastify';
import type { AsyncInferenceService } from '../../services/async-inference/async-inference-service.js';
import { authenticateBuffered, type Authenticator } from '../auth/authenticator.js';
import { ProtocolError } from '../aws-json/error-map.js';
import { parseAsyncHeaders } from './async-headers.js';

/** What the async-invocations route needs of the runtime plugin's options. */
export interface AsyncRouteOptions {
  readonly asyncInference?: Pick<AsyncInferenceService, 'accept'>;
  readonly authenticator: Authenticator;
}

/**
 * `POST /endpoints/{name}/async-invocations` (InvokeEndpointAsync): the request joins the
 * endpoint's queue and is answered at once, 202, with where its answer will be
 * (`X-Amzn-SageMaker-OutputLocation`, `X-Amzn-SageMaker-FailureLocation`) and its InferenceId.
 * Registered inside the runtime plugin, so its body parsing and error encoding apply.
 */
export function registerAsyncRoute(app: FastifyInstance, options: AsyncRouteOptions): void {
  app.post<{ Params: { name: string } }>(
    '/endpoints/:name/async-invocations',
    async (request, reply) => {
      authenticateBuffered(options.authenticator, {
        method: request.method,
        originalUrl: request.originalUrl,
        headers: request.headers,
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      });
      if (!options.asyncInference) {
        throw new ProtocolError(
          { type: 'ValidationError', status: 400 },
          'This server does not serve asynchronous inference.',
        );
      }
      const accepted = await options.asyncInference.accept(
        parseAsyncHeaders(request.params.name, request.headers),
      );
      reply.status(202).header('X-Amzn-SageMaker-OutputLocation', accepted.outputLocation);
      if (accepted.failureLocation) {
        reply.header('X-Amzn-SageMaker-FailureLocation', accepted.failureLocation);
      }
      return reply
        .type('application/json')
        .send(JSON.stringify({ InferenceId: accepted.inferenceId }));
    },
  );
}
