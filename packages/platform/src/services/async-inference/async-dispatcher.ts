import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../logging/logger.js';
import type { EndpointBacklog } from '../metrics/endpoint-metrics.js';
import type { AsyncRequest } from './async-request.js';
import type { EndpointCapacity } from './endpoint-capacity.js';

/** What handling a request came to: done with, or back to waiting for an instance. */
export type Handled = 'done' | 'wait';

/** Why a request is handled without a model server. */
export type Shortcut = 'expired' | 'endpoint-gone';

export interface DispatcherOptions {
  readonly capacity: EndpointCapacity;
  /** Runs a request to its end (or back to waiting); `shortcut` says it fails without running. */
  handle(request: AsyncRequest, shortcut?: Shortcut): Promise<Handled>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often endpoints with waiting requests are looked at again (for new instances, TTLs). */
  readonly pollMs: number;
}

/** One endpoint's requests: those waiting, oldest first, and those with a model server. */
interface EndpointQueue {
  readonly waiting: AsyncRequest[];
  readonly running: Map<string, AsyncRequest>;
  maxConcurrentPerInstance: number;
  /** A pass is under way; `again` asks for another when it ends. */
  pumping: boolean;
  again: boolean;
}

/**
 * Hands each endpoint's waiting requests, oldest first, to its instances: at most
 * MaxConcurrentInvocationsPerInstance × instances at once. While an endpoint has no instance
 * its requests wait; one whose RequestTTLSeconds passes while waiting fails as expired. Also
 * reports each endpoint's backlog for the metrics and the autoscaler.
 */
export class AsyncDispatcher {
  readonly #queues = new Map<string, EndpointQueue>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly options: DispatcherOptions) {}

  /** A request to hand out, after those already waiting. */
  add(request: AsyncRequest): void {
    const queue = this.#queue(request.endpoint);
    queue.maxConcurrentPerInstance = request.maxConcurrentPerInstance;
    queue.waiting.push(request);
    this.#pump(request.endpoint);
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      for (const [endpoint, queue] of this.#queues) {
        if (queue.waiting.length > 0) this.#pump(endpoint);
      }
    }, this.options.pollMs);
    this.#timer.unref();
  }

  /** Hands out nothing more; resolves when the requests being handled are, or after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
  }

  /** The endpoint's backlog as SageMaker's asynchronous endpoint metrics describe it. */
  async backlog(endpoint: string): Promise<EndpointBacklog> {
    const queue = this.#queues.get(endpoint);
    const waiting = queue?.waiting ?? [];
    const running = [...(queue?.running.values() ?? [])];
    const size = waiting.length + running.length;
    const instances = size > 0 ? ((await this.options.capacity.instances(endpoint)) ?? 0) : 0;
    const oldest = Math.min(
      ...[...waiting, ...running].map((request) => request.receivedTime.getTime()),
    );
    return {
      endpoint,
      backlogSize: size,
      backlogSizePerInstance: size / Math.max(1, instances),
      hasBacklogWithoutCapacity: size > 0 && instances === 0,
      ageOfOldestRequestSeconds:
        size > 0 ? Math.max(0, (this.options.clock.now().getTime() - oldest) / 1000) : 0,
    };
  }

  /** Every endpoint that had asynchronous requests since the server started. */
  endpoints(): string[] {
    return [...this.#queues.keys()];
  }

  #queue(endpoint: string): EndpointQueue {
    let queue = this.#queues.get(endpoint);
    if (!queue) {
      queue = {
        waiting: [],
        running: new Map(),
        maxConcurrentPerInstance: 1,
        pumping: false,
        again: false,
      };
      this.#queues.set(endpoint, queue);
    }
    return queue;
  }

  #pump(endpoint: string): void {
    const queue = this.#queue(endpoint);
    if (queue.pumping) {
      queue.again = true;
      return;
    }
    queue.pumping = true;
    void this.#pass(endpoint, queue)
      .catch((error: unknown) =>
        this.options.logger.error('Handing out asynchronous requests failed', {
          endpoint,
          err: error,
        }),
      )
      .finally(() => {
        queue.pumping = false;
        if (queue.again && !this.#stopped) {
          queue.again = false;
          this.#pump(endpoint);
        }
      });
  }

  async #pass(endpoint: string, queue: EndpointQueue): Promise<void> {
    if (this.#stopped) return;
    const nowMs = this.options.clock.now().getTime();
    const expired = queue.waiting.filter(
      (r) => nowMs - r.receivedTime.getTime() > r.requestTtlSeconds * 1000,
    );
    for (const request of expired) this.#launch(queue, request, 'expired');
    if (queue.waiting.length === 0) return;
    const instances = await this.options.capacity.instances(endpoint);
    if (instances === undefined) {
      for (const request of [...queue.waiting]) this.#launch(queue, request, 'endpoint-gone');
      return;
    }
    const limit = instances * queue.maxConcurrentPerInstance;
    while (queue.running.size < limit && queue.waiting.length > 0 && !this.#stopped) {
      this.#launch(queue, queue.waiting[0]!);
    }
  }

  #launch(queue: EndpointQueue, request: AsyncRequest, shortcut?: Shortcut): void {
    queue.waiting.splice(queue.waiting.indexOf(request), 1);
    queue.running.set(request.id, request);
    const work = this.options
      .handle(request, shortcut)
      .catch((error: unknown) => {
        this.options.logger.error(
          'An asynchronous request could not be handled; it waits to be tried again',
          {
            endpoint: request.endpoint,
            inferenceId: request.inferenceId,
            err: error,
          },
        );
        return 'wait' as const;
      })
      .then((handled) => {
        queue.running.delete(request.id);
        // It waits at the head of the queue; the next poll tries again (not at once: no busy loop).
        if (handled === 'wait') queue.waiting.unshift(request);
        else this.#pump(request.endpoint);
      })
      .finally(() => this.#inFlight.delete(work));
    this.#inFlight.add(work);
  }
}
