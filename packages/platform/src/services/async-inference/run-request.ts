import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { parseS3Uri } from '../../artifacts/s3-uri.js';
import {
  InvocationError,
  type EndpointInvoker,
  type Invocation,
} from '../endpoints/endpoint-invoker.js';
import type { AsyncRequest } from './async-request.js';

/** Why the invoker found no instance free: the request waits for one rather than failing. */
const WAIT_KINDS: ReadonlySet<InvocationError['kind']> = new Set([
  'no-endpoint',
  'no-variant',
  'throttled',
]);

/** How a request's run ended. Any answer or failure object has been written already. */
export type RunOutcome =
  | { readonly kind: 'succeeded'; readonly contentType: string; readonly body: Buffer }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      readonly contentType?: string;
      readonly body?: Buffer;
    }
  /** No instance could take it (the variant has none now): it waits for one. */
  | { readonly kind: 'wait' };

export interface RunDependencies {
  readonly objectStore: ObjectStore;
  readonly invoker: Pick<EndpointInvoker, 'invoke'>;
}

/**
 * Runs one request: reads its input object, sends it to a model server of the endpoint through
 * the invoker (within its InvocationTimeoutSeconds) and writes the answer to its output
 * location, or the failure to its failure location. The object is written before this resolves.
 */
export async function runRequest(
  deps: RunDependencies,
  request: AsyncRequest,
): Promise<RunOutcome> {
  let body: Buffer;
  try {
    const input = parseS3Uri(request.inputLocation, 'InputLocation');
    body = await buffer((await deps.objectStore.getObject(input.bucket, input.key)).body);
  } catch (error) {
    return fail(deps, request, {
      reason: `ClientError: Could not read the input ${request.inputLocation}: ${(error as Error).message}`,
    });
  }
  const call: Invocation = {
    endpoint: request.endpoint,
    headers: {
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
      ...(request.accept ? { accept: request.accept } : {}),
      ...(request.customAttributes
        ? { 'x-amzn-sagemaker-custom-attributes': request.customAttributes }
        : {}),
    },
    body,
    inferenceId: request.inferenceId,
    timeoutMs: request.invocationTimeoutSeconds * 1000,
  };
  let answer;
  try {
    answer = await withTimeout(deps.invoker.invoke(call), request.invocationTimeoutSeconds);
  } catch (error) {
    if (error instanceof InvocationError && WAIT_KINDS.has(error.kind)) return { kind: 'wait' };
    return fail(deps, request, { reason: `ClientError: ${(error as Error).message}` });
  }
  const contentType = answer.headers.get('content-type') ?? 'application/octet-stream';
  if (answer.status >= 400) {
    const message = answer.body.toString('utf8').trim();
    return fail(deps, request, {
      reason: `ClientError: Received ${answer.status >= 500 ? 'server' : 'client'} error (${answer.status}) from ${answer.container ?? 'primary'} with message "${message}". See the endpoint's logs for more information.`,
      contentType,
      body: answer.body,
    });
  }
  await write(deps.objectStore, request.outputLocation, { contentType, body: answer.body });
  return { kind: 'succeeded', contentType, body: answer.body };
}

/** A failed run: the failure (the model's error answer, else the reason) goes to the failure path. */
export async function fail(
  deps: Pick<RunDependencies, 'objectStore'>,
  request: AsyncRequest,
  failure: { reason: string; contentType?: string; body?: Buffer },
): Promise<Extract<RunOutcome, { kind: 'failed' }>> {
  if (request.failureLocation) {
    await write(deps.objectStore, request.failureLocation, {
      contentType: failure.body
        ? (failure.contentType ?? 'application/octet-stream')
        : 'text/plain',
      body: failure.body ?? Buffer.from(failure.reason),
    });
  }
  return { kind: 'failed', ...failure };
}

async function write(
  store: ObjectStore,
  uri: string,
  object: { contentType: string; body: Buffer },
): Promise<void> {
  const { bucket, key } = parseS3Uri(uri);
  await store.putObject({
    bucket,
    key,
    body: Readable.from([object.body]),
    contentLength: object.body.length,
    contentType: object.contentType,
  });
}

/**
 * The model's answer, or a rejection once `seconds` have passed. The invoker is given the same
 * timeout, but would try another instance after it; the request fails at the first.
 */
function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `The model did not answer within the request's InvocationTimeoutSeconds (${seconds} s).`,
          ),
        ),
      seconds * 1000,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
