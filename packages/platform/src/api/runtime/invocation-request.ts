import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvocationError, type Invocation } from '../../services/endpoints/endpoint-invoker.js';
import { ProtocolError } from '../aws-json/error-map.js';

/**
 * The invocation a runtime request asks for: its endpoint, target variant, inference id, body,
 * and what the model server is told (content type, accept, custom attributes), as SageMaker
 * passes them to the container. `acceptHeader` names where the caller's Accept travels
 * (`X-Amzn-SageMaker-Accept` for streamed answers).
 */
export function invocationOf(
  request: FastifyRequest<{ Params: { name: string } }>,
  body: Buffer,
  acceptHeader = 'accept',
): Invocation {
  const headers: Record<string, string> = {};
  const pass = (from: string, to: string) => {
    const value = header(request.headers[from]);
    if (value !== undefined) headers[to] = value;
  };
  pass('content-type', 'content-type');
  pass(acceptHeader, 'accept');
  pass('x-amzn-sagemaker-custom-attributes', 'x-amzn-sagemaker-custom-attributes');
  const target = header(request.headers['x-amzn-sagemaker-target-variant']);
  const inferenceId = header(request.headers['x-amzn-sagemaker-inference-id']);
  const targetContainer = header(request.headers['x-amzn-sagemaker-target-container-hostname']);
  return {
    endpoint: request.params.name,
    headers,
    body,
    ...(target ? { target } : {}),
    ...(inferenceId ? { inferenceId } : {}),
    ...(targetContainer ? { targetContainer } : {}),
  };
}

/** The runtime API's error for an invocation that found no model server. */
export function runtimeError(error: unknown, call: Invocation, accountId: string): unknown {
  if (!(error instanceof InvocationError)) return error;
  switch (error.kind) {
    case 'no-endpoint':
      return new ProtocolError(
        { type: 'ValidationError', status: 400 },
        `Endpoint ${call.endpoint} of account ${accountId} not found.`,
      );
    case 'no-variant':
      return new ProtocolError(
        { type: 'ValidationError', status: 400 },
        `The variant ${call.target ?? ''} of endpoint ${call.endpoint} does not exist or is not serving.`,
      );
    case 'throttled':
      return new ProtocolError(
        { type: 'ThrottlingException', status: 429 },
        `The serverless endpoint ${call.endpoint} is answering as many requests as its MaxConcurrency allows; retry later.`,
      );
    case 'no-container':
      return new ProtocolError({ type: 'ValidationError', status: 400 }, error.message);
    case 'timeout':
      return new ProtocolError({ type: 'ModelError', status: 424 }, error.message);
    case 'unreachable':
      return new ProtocolError({ type: 'ServiceUnavailable', status: 503 }, error.message);
  }
}

/** A model server's error answer, as SageMaker returns it: ModelError, 424. */
export function sendModelError(
  reply: FastifyReply,
  answer: { status: number; body: Buffer; container?: string },
): FastifyReply {
  const message = answer.body.toString('utf8').trim();
  return reply
    .status(424)
    .header('x-amzn-ErrorType', 'ModelError')
    .type('application/json')
    .send(
      JSON.stringify({
        message: `Received ${answer.status >= 500 ? 'server' : 'client'} error (${answer.status}) from ${answer.container ?? 'primary'} with message "${message}".`,
        OriginalStatusCode: answer.status,
        OriginalMessage: message,
      }),
    );
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
