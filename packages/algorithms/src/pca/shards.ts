import { Worker } from 'node:worker_threads';
import { type PassSums, type PassTask, mergeSums } from './pass-sums.js';
import { Shard, type ShardBatch } from './shard.js';
import type { ShardOrder, ShardReply, ShardWorkerData } from './shard-protocol.js';

/**
 * Logical shards the records are dealt into, whatever the number of threads: batch i goes to
 * shard `i mod 4`, and shard s runs on thread `s mod threads`. The sums of each shard, and their
 * addition in shard order, are then the same on one thread as on four, so a model does not
 * depend on the machine's core count.
 */
export const LOGICAL_SHARDS = 4;

/** Batches a worker may have queued before the main thread waits for it to take one. */
const MAX_QUEUED = 2;

/**
 * The training records dealt over {@link LOGICAL_SHARDS} shards, held by the main thread and
 * worker threads; each sums its records and the sums are added in shard order.
 */
export interface Shards {
  readonly threads: number;
  /** Starts a pass on every shard. */
  begin(task: PassTask): void;
  /** Hands the next batch to its shard; resolves when it may be followed by another. */
  add(batch: ShardBatch, keep: boolean): Promise<void>;
  /** Drops every shard's kept records. */
  forget(): void;
  /** Runs the pass over every shard's kept records. */
  replay(): void;
  /** Every shard's sums for the pass, added up in shard order. */
  finish(): Promise<PassSums>;
  close(): Promise<void>;
}

/**
 * Shards on `threads` threads (the calling thread and up to three workers). Workers run the
 * compiled package's `shard-worker.js`, so more than one thread needs the built package.
 */
export function createShards(options: { dim: number; threads: number }): Shards {
  const threads = Math.max(1, Math.min(LOGICAL_SHARDS, Math.floor(options.threads)));
  return new ThreadedShards(options.dim, threads);
}

class ThreadedShards implements Shards {
  readonly threads: number;
  readonly #dim: number;
  /** The main thread's shards, by shard number. */
  readonly #local = new Map<number, Shard>();
  readonly #remotes: RemoteShards[] = [];
  #next = 0;

  constructor(dim: number, threads: number) {
    this.#dim = dim;
    this.threads = threads;
    for (let s = 0; s < LOGICAL_SHARDS; s += threads) this.#local.set(s, new Shard(dim));
    for (let t = 1; t < threads; t++) {
      const held: number[] = [];
      for (let s = t; s < LOGICAL_SHARDS; s += threads) held.push(s);
      this.#remotes.push(new RemoteShards({ dim, shards: held }));
    }
  }

  begin(task: PassTask): void {
    this.#next = 0;
    for (const shard of this.#local.values()) shard.begin(task);
    for (const remote of this.#remotes) remote.send({ type: 'begin', task });
  }

  async add(batch: ShardBatch, keep: boolean): Promise<void> {
    const shard = this.#next;
    this.#next = (shard + 1) % LOGICAL_SHARDS;
    const thread = shard % this.threads;
    if (thread === 0) {
      this.#local.get(shard)!.add(batch, keep);
      return;
    }
    const remote = this.#remotes[thread - 1]!;
    await remote.room();
    remote.send({ type: 'batch', shard, ...owned(batch, this.#dim), keep });
  }

  forget(): void {
    for (const shard of this.#local.values()) shard.forget();
    for (const remote of this.#remotes) remote.send({ type: 'forget' });
  }

  replay(): void {
    for (const remote of this.#remotes) remote.send({ type: 'replay' });
    for (const shard of this.#local.values()) shard.replay();
  }

  async finish(): Promise<PassSums> {
    const pending = this.#remotes.map((remote) => {
      const sums = remote.sums();
      remote.send({ type: 'finish' });
      return sums;
    });
    const byShard = new Map<number, PassSums>();
    for (const [s, shard] of this.#local) byShard.set(s, shard.finish());
    const remote = await Promise.all(pending);
    remote.forEach((sums, i) =>
      sums.forEach((part, j) => byShard.set(this.#remotes[i]!.shards[j]!, part)),
    );
    return mergeSums(Array.from({ length: LOGICAL_SHARDS }, (_, s) => byShard.get(s)!));
  }

  async close(): Promise<void> {
    await Promise.all(this.#remotes.map((remote) => remote.close()));
  }
}

/** A worker thread holding some of the shards, and the replies it owes. */
class RemoteShards {
  readonly shards: readonly number[];
  readonly #worker: Worker;
  #queued = 0;
  #closing = false;
  #failure: Error | undefined;
  #waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #sums: { resolve: (sums: PassSums[]) => void; reject: (error: Error) => void }[] = [];

  constructor(data: ShardWorkerData) {
    this.shards = data.shards;
    this.#worker = new Worker(new URL('./shard-worker.js', import.meta.url), { workerData: data });
    this.#worker.on('message', (reply: ShardReply) => this.#receive(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      if (!this.#closing) this.#fail(new Error(`A PCA shard thread exited with code ${code}`));
    });
  }

  send(order: ShardOrder): void {
    if (this.#failure) throw this.#failure;
    const transfer = order.type === 'batch' ? [order.features.buffer as ArrayBuffer] : [];
    if (order.type === 'batch') this.#queued++;
    this.#worker.postMessage(order, transfer);
  }

  /** Resolves once fewer than {@link MAX_QUEUED} batches wait in the worker. */
  async room(): Promise<void> {
    while (this.#queued >= MAX_QUEUED) {
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    }
  }

  sums(): Promise<PassSums[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#sums.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#worker.terminate();
  }

  #receive(reply: ShardReply): void {
    if (reply.type === 'taken') {
      this.#queued--;
      this.#waiting.shift()?.resolve();
    } else if (reply.type === 'sums') this.#sums.shift()?.resolve(reply.sums);
    else this.#fail(new Error(`A PCA shard thread failed: ${reply.message}`));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of [...this.#waiting, ...this.#sums]) waiter.reject(this.#failure);
    this.#waiting = [];
    this.#sums = [];
  }
}

/**
 * The batch with features in a buffer of their own, which can move to a worker without a copy
 * (Plinth's readers allocate one per batch); a view into a larger or shared buffer is copied.
 */
function owned(batch: ShardBatch, dim: number): ShardBatch {
  const { features, rows } = batch;
  const size = rows * dim;
  const alone =
    features.buffer instanceof ArrayBuffer &&
    features.byteOffset === 0 &&
    features.buffer.byteLength === size * 4;
  return { features: alone ? features : features.slice(0, size), rows };
}
