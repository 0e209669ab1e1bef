import type { ResourceRecord } from '../../store/metadata-store.js';
import { recordsWithStatus } from '../shared/records-with-status.js';
import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import { toStoredBody } from '../shared/stored-body.js';
import type { AsyncRequest, AsyncResult, AsyncStatus } from './async-request.js';

/** What reconciling after a restart found. */
export interface Reconciled {
  /** Requests to run (again), oldest first: queued ones and those a model never finished. */
  readonly queued: AsyncRequest[];
  /** Finished requests whose notification may not have gone out. */
  readonly finished: AsyncRequest[];
  /** Running requests whose answer or failure had been written: finished now, not run again. */
  readonly recovered: AsyncRequest[];
  /** Running requests put back in the queue. */
  readonly requeued: number;
}

/**
 * The durable queue of asynchronous inference requests: one metadata-store row per request,
 * Queued -> Running -> Succeeded | Failed, removed once its notification is sent. A request's
 * answer (or failure) object is written before it is recorded finished, so after a crash a
 * Running request is finished if that object exists and queued again only if it does not:
 * nothing accepted is lost and nothing runs twice to completion.
 */
export class AsyncQueue {
  readonly #requests: ResourceKind;

  constructor(ctx: ServiceContext) {
    this.#requests = new ResourceKind(ctx, 'async-inference', 'asynchronous inference request');
  }

  /** Stores a new request, Queued. */
  async enqueue(request: Omit<AsyncRequest, 'status'>): Promise<AsyncRequest> {
    const queued: AsyncRequest = { ...request, status: 'Queued' };
    await this.#requests.create({ name: request.id, status: 'Queued', body: toStoredBody(queued) });
    return queued;
  }

  /** A model server is about to get the request. */
  start(request: AsyncRequest): Promise<AsyncRequest> {
    return this.#set(request, 'Running');
  }

  /** Back to waiting its turn (the endpoint had no instance for it after all). */
  release(request: AsyncRequest): Promise<AsyncRequest> {
    return this.#set(request, 'Queued');
  }

  /** Its answer or failure is written: finished, its notification still to go. */
  finish(
    request: AsyncRequest,
    outcome: { status: 'Succeeded' | 'Failed'; result: AsyncResult },
  ): Promise<AsyncRequest> {
    return this.#set({ ...request, result: outcome.result }, outcome.status);
  }

  /** Its notification went out (or there was none to send): the request is done with. */
  async forget(request: AsyncRequest): Promise<void> {
    await this.#requests.delete(request.id);
  }

  /** The request as stored, if it still is. */
  async find(id: string): Promise<AsyncRequest | undefined> {
    const record = await this.#requests.find(id);
    return record && fromRecord(record);
  }

  /**
   * After a restart: a Running request whose answer (or failure) object exists finished before
   * the crash and is recorded so; any other Running request is queued again.
   */
  async reconcile(exists: (location: string) => Promise<boolean>): Promise<Reconciled> {
    const recovered: AsyncRequest[] = [];
    let requeued = 0;
    for await (const record of recordsWithStatus(this.#requests, 'Running')) {
      const request = fromRecord(record);
      if (await exists(request.outputLocation)) {
        recovered.push(await this.finish(request, { status: 'Succeeded', result: {} }));
      } else if (request.failureLocation && (await exists(request.failureLocation))) {
        recovered.push(
          await this.finish(request, {
            status: 'Failed',
            result: {
              failureReason: `The inference failed before Plinth restarted; its failure is in ${request.failureLocation}.`,
            },
          }),
        );
      } else {
        await this.release(request);
        requeued += 1;
      }
    }
    return {
      queued: await this.#all('Queued'),
      finished: [...(await this.#all('Succeeded')), ...(await this.#all('Failed'))],
      recovered,
      requeued,
    };
  }

  async #all(status: AsyncStatus): Promise<AsyncRequest[]> {
    const requests: AsyncRequest[] = [];
    for await (const record of recordsWithStatus(this.#requests, status)) {
      requests.push(fromRecord(record));
    }
    return requests;
  }

  async #set(request: AsyncRequest, status: AsyncStatus): Promise<AsyncRequest> {
    const next: AsyncRequest = { ...request, status };
    await this.#requests.update(request.id, { status, body: toStoredBody(next) });
    return next;
  }
}

function fromRecord(record: ResourceRecord): AsyncRequest {
  const body = record.body as unknown as AsyncRequest;
  return { ...body, receivedTime: new Date(body.receivedTime) };
}
