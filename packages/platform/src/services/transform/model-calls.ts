import { setTimeout as sleep } from 'node:timers/promises';
import { passContainers } from '../endpoints/endpoint-invoker.js';
import type { LiveInstance } from '../endpoints/router.js';

/** How long to wait before retrying a failed invocation, times the attempt number. */
const RETRY_BACKOFF_MS = 200;

/** What every invocation of a job carries and how it is retried (ModelClientConfig). */
export interface CallSettings {
  /** Names the job in messages. */
  readonly job: string;
  /** `content-type` (TransformInput.ContentType) and `accept` (TransformOutput.Accept). */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Retries after the first attempt of a request that failed or answered 5xx. */
  readonly maxRetries: number;
  /** True once the job is being stopped: nothing more is retried. */
  readonly stopped: () => boolean;
}

/** A model server's whole answer to one request. */
export interface ModelAnswer {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType?: string;
}

/**
 * Sends one request body to an instance as InvokeEndpoint would — through its containers, a
 * Serial pipeline's in turn — and returns the answer, whatever its status. A request that could
 * not be sent, timed out or answered 5xx is retried up to `maxRetries` times; a 4xx is the
 * record's fault and is not. Rejects when the last attempt could not be sent.
 */
export async function callModel(
  instance: LiveInstance,
  settings: CallSettings,
  body: Buffer,
): Promise<ModelAnswer> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= settings.maxRetries || settings.stopped();
    try {
      const { response } = await passContainers(instance, {
        endpoint: settings.job,
        headers: settings.headers,
        body,
        timeoutMs: settings.timeoutMs,
      });
      const answer = {
        status: response.status,
        body: Buffer.from(await response.arrayBuffer()),
        ...contentTypeOf(response.headers.get('content-type')),
      };
      if (answer.status < 500 || last) return answer;
    } catch (error) {
      if (last) {
        throw new Error(
          `the model server did not answer after ${attempt + 1} attempt${attempt === 0 ? '' : 's'} (${(error as Error).message})`,
          { cause: error },
        );
      }
    }
    await sleep(RETRY_BACKOFF_MS * (attempt + 1));
  }
}

function contentTypeOf(value: string | null): { contentType?: string } {
  return value ? { contentType: value } : {};
}
