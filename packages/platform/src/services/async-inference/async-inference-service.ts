import type { ObjectStore } from '../../artifacts/object-store.js';
import { formatS3Uri, parseS3Uri } from '../../artifacts/s3-uri.js';
import { ValidationError } from '../../core/errors.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import type { EndpointInvoker } from '../endpoints/endpoint-invoker.js';
import type { EndpointService } from '../endpoints/endpoint-service.js';
import { fromStored } from '../endpoints/endpoint-state.js';
import type { BacklogSource, EndpointBacklog } from '../metrics/endpoint-metrics.js';
import type { ServiceContext } from '../shared/resource-kind.js';
import { AsyncDispatcher, type Handled, type Shortcut } from './async-dispatcher.js';
import { AsyncQueue } from './async-queue.js';
import type { AcceptedInvocation, AsyncInvocationRequest, AsyncRequest } from './async-request.js';
import { asyncSettings, objectUnder } from './async-settings.js';
import type { EndpointCapacity } from './endpoint-capacity.js';
import { inferenceResultMessage, notifiedBody, topicFor } from './notification-message.js';
import type { Notifier } from './notifier.js';
import { fail, runRequest, type RunOutcome } from './run-request.js';

/** How often endpoints with waiting requests are looked at again unless told otherwise. */
const DEFAULT_POLL_MS = 1_000;

export interface AsyncInferenceOptions {
  readonly ctx: ServiceContext;
  readonly endpoints: EndpointService;
  readonly capacity: EndpointCapacity;
  readonly objectStore: ObjectStore;
  readonly invoker: Pick<EndpointInvoker, 'invoke'>;
  readonly notifier: Notifier;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly pollMs?: number;
}

/**
 * Asynchronous inference (InvokeEndpointAsync): accepts a request into the endpoint's durable
 * queue and answers at once with where the result will be; the dispatcher hands queued requests
 * to the endpoint's instances; each answer (or failure) is written to the configuration's
 * S3OutputPath (S3FailurePath) and its SuccessTopic (ErrorTopic) is notified.
 */
export class AsyncInferenceService implements BacklogSource {
  readonly #queue: AsyncQueue;
  readonly #dispatcher: AsyncDispatcher;
  readonly #deliveries = new Set<Promise<void>>();
  /** Set when the server stops: requests still running are left for the next start. */
  #abandoned = false;

  constructor(private readonly options: AsyncInferenceOptions) {
    this.#queue = new AsyncQueue(options.ctx);
    this.#dispatcher = new AsyncDispatcher({
      capacity: options.capacity,
      handle: (request, shortcut) => this.#handle(request, shortcut),
      clock: options.ctx.clock,
      logger: options.logger,
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
    });
  }

  /** InvokeEndpointAsync: the request is stored Queued before this resolves. */
  async accept(request: AsyncInvocationRequest): Promise<AcceptedInvocation> {
    const { ctx, endpoints, ids } = this.options;
    const record = await endpoints.endpoints.find(request.endpoint);
    if (!record || record.status === 'Deleting') {
      throw new ValidationError(
        `Endpoint ${request.endpoint} of account ${ctx.account.accountId} not found.`,
        'EndpointName',
      );
    }
    const configName = fromStored(record.body).EndpointConfigName;
    const config = await endpoints.asyncInferenceConfig(configName);
    if (!config) {
      throw new ValidationError(
        `Endpoint ${record.name} is not an asynchronous endpoint: its endpoint configuration ${configName} has no AsyncInferenceConfig. Use InvokeEndpoint instead.`,
        'EndpointName',
      );
    }
    const settings = asyncSettings(config);
    const id = ids.uuid();
    const failure = settings.failure && objectUnder(settings.failure, `${id}-error.out`);
    const queued = await this.#queue.enqueue({
      id,
      endpoint: record.name,
      inferenceId: request.inferenceId ?? ids.uuid(),
      inputLocation: formatS3Uri(request.input),
      outputLocation: formatS3Uri(objectUnder(settings.output, `${id}.out`)),
      ...(failure ? { failureLocation: formatS3Uri(failure) } : {}),
      ...(request.contentType ? { contentType: request.contentType } : {}),
      ...(request.accept ? { accept: request.accept } : {}),
      ...(request.customAttributes ? { customAttributes: request.customAttributes } : {}),
      receivedTime: ctx.clock.now(),
      requestTtlSeconds: request.requestTtlSeconds,
      invocationTimeoutSeconds: request.invocationTimeoutSeconds,
      maxConcurrentPerInstance: settings.maxConcurrentPerInstance,
      notify: {
        ...(settings.successTopic ? { successTopic: settings.successTopic } : {}),
        ...(settings.errorTopic ? { errorTopic: settings.errorTopic } : {}),
        responseInSuccess: settings.responseInSuccess,
        responseInError: settings.responseInError,
      },
    });
    this.#dispatcher.add(queued);
    return {
      inferenceId: queued.inferenceId,
      outputLocation: queued.outputLocation,
      ...(queued.failureLocation ? { failureLocation: queued.failureLocation } : {}),
    };
  }

  /**
   * After a restart, before `start`: requests a model was running are finished if their answer
   * was written and queued again if not; queued ones wait their turn again; finished ones whose
   * notification may not have gone out are notified. Returns how many were settled or requeued.
   */
  async reconcile(): Promise<number> {
    const found = await this.#queue.reconcile((location) => this.#exists(location));
    for (const request of found.queued) this.#dispatcher.add(request);
    for (const request of found.finished) this.#deliver(request);
    for (const request of found.recovered) {
      this.options.logger.info('Asynchronous inference had completed before the restart', {
        endpoint: request.endpoint,
        inferenceId: request.inferenceId,
        status: request.status,
      });
    }
    return found.recovered.length + found.requeued;
  }

  /** Starts handing queued requests to the endpoints' instances. */
  start(): void {
    this.#dispatcher.start();
  }

  /**
   * Stops handing out requests and gives those with a model server `graceMs` to finish; any
   * still running stay Running in the store and are taken up again at the next start.
   */
  async close(graceMs: number): Promise<void> {
    await this.#dispatcher.stop(graceMs);
    this.#abandoned = true;
  }

  backlog(endpoint: string): Promise<EndpointBacklog> {
    return this.#dispatcher.backlog(endpoint);
  }

  async backlogs(): Promise<readonly EndpointBacklog[]> {
    return Promise.all(this.#dispatcher.endpoints().map((e) => this.#dispatcher.backlog(e)));
  }

  async #handle(request: AsyncRequest, shortcut?: Shortcut): Promise<Handled> {
    const deps = { objectStore: this.options.objectStore, invoker: this.options.invoker };
    if (shortcut) {
      return this.#complete(
        request,
        await fail(deps, request, { reason: shortcutReason(request, shortcut) }),
      );
    }
    const running = await this.#queue.start(request);
    const outcome = await runRequest(deps, running);
    if (this.#abandoned) return 'wait';
    if (outcome.kind === 'wait') {
      await this.#queue.release(running);
      return 'wait';
    }
    return this.#complete(running, outcome);
  }

  /** Records the request finished (its object is written) and sends its notification. */
  async #complete(
    request: AsyncRequest,
    outcome: Exclude<RunOutcome, { kind: 'wait' }>,
  ): Promise<Handled> {
    const succeeded = outcome.kind === 'succeeded';
    const include = succeeded ? request.notify.responseInSuccess : request.notify.responseInError;
    const responseBody = outcome.body && notifiedBody(outcome.body, include);
    const finished = await this.#queue.finish(request, {
      status: succeeded ? 'Succeeded' : 'Failed',
      result: {
        ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
        ...(outcome.kind === 'failed' ? { failureReason: outcome.reason } : {}),
        ...(responseBody !== undefined ? { responseBody } : {}),
      },
    });
    this.options.logger.info(
      succeeded ? 'Asynchronous inference completed' : 'Asynchronous inference failed',
      {
        endpoint: request.endpoint,
        inferenceId: request.inferenceId,
        ...(succeeded
          ? { outputLocation: request.outputLocation }
          : {
              failureReason: outcome.reason,
              ...(request.failureLocation ? { failureLocation: request.failureLocation } : {}),
            }),
      },
    );
    this.#deliver(finished);
    return 'done';
  }

  /** Publishes a finished request's notification in the background, then forgets the request. */
  #deliver(request: AsyncRequest): void {
    const topic = topicFor(request);
    const delivery = (async () => {
      if (topic) {
        const message = inferenceResultMessage(request, {
          region: this.options.ctx.account.region,
          eventTime: this.options.ctx.clock.now(),
        });
        await this.options.notifier.publish(topic, message);
      }
      // A notification still being retried when the server stops is sent again at the next start.
      if (!this.#abandoned) await this.#queue.forget(request);
    })()
      .catch((error: unknown) =>
        this.options.logger.error('Finishing an asynchronous request failed', {
          inferenceId: request.inferenceId,
          err: error,
        }),
      )
      .finally(() => this.#deliveries.delete(delivery));
    this.#deliveries.add(delivery);
  }

  async #exists(location: string): Promise<boolean> {
    const { bucket, key } = parseS3Uri(location);
    try {
      await this.options.objectStore.headObject(bucket, key);
      return true;
    } catch (error) {
      if (
        (error as { code?: string }).code === 'NoSuchKey' ||
        (error as { code?: string }).code === 'NoSuchBucket'
      )
        return false;
      throw error;
    }
  }
}

function shortcutReason(request: AsyncRequest, shortcut: Shortcut): string {
  return shortcut === 'expired'
    ? `ClientError: The request expired: it waited in the queue longer than its RequestTTLSeconds (${request.requestTtlSeconds} s).`
    : `ClientError: The endpoint ${request.endpoint} was deleted before the request could run.`;
}
