import type { ResourceKind } from './resource-kind.js';
import { toStoredBody } from './stored-body.js';

/** How a resource's stored body turns into the typed body, and its stored status. */
export interface BodyCodec<B> {
  fromStored(body: Record<string, unknown>): B;
  status(body: B): string;
}

/**
 * Read-modify-write of one resource's body at a time: updates to the same resource run in the
 * order they were asked for, so a runner's status changes never overwrite each other.
 */
export class SerialUpdates<B extends object> {
  readonly #pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly kind: ResourceKind,
    private readonly codec: BodyCodec<B>,
  ) {}

  /** Applies `mutate` to the stored body of `name` and stores it with its status. */
  update(name: string, mutate: (body: B) => void): Promise<void> {
    const previous = this.#pending.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const body = this.codec.fromStored((await this.kind.get(name)).body);
      mutate(body);
      await this.kind.update(name, {
        status: this.codec.status(body),
        body: toStoredBody(body),
      });
    });
    const settled = next.catch(() => undefined);
    this.#pending.set(name, settled);
    void settled.then(() => {
      if (this.#pending.get(name) === settled) this.#pending.delete(name);
    });
    return next;
  }
}
