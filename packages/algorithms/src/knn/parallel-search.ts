import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OpenIndex } from './open-index.js';
import { type Neighbours, type Search, createSearcher } from './searcher.js';
import type { SearchReply, SearchRequest } from './search-worker.js';

/** Below this many queries one thread answers: handing work to another costs more. */
const MIN_QUERIES_PER_THREAD = 64;

/** Search threads to use: this machine's cores, at most 2 (what the benchmarks allow). */
export function defaultSearchThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * An index searched by the calling thread and `threads − 1` worker threads, each taking a
 * contiguous share of a large batch of queries. The index lives in shared memory, so the workers
 * read the same vectors. Worker threads run compiled JavaScript (the programs in `dist`).
 */
export class ParallelSearch {
  readonly #local: Search;
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<
    number,
    { resolve: (n: Neighbours) => void; reject: (e: Error) => void }
  >();
  #next = 0;

  constructor(index: OpenIndex, threads: number) {
    this.#local = createSearcher(index, 0);
    for (let thread = 1; thread < threads; thread++) {
      const worker = new Worker(new URL('./search-worker.js', import.meta.url), {
        workerData: { index, thread },
      });
      worker.on('message', (reply: SearchReply) => this.#settle(reply));
      worker.on('error', (error) => this.#failAll(error));
      this.#workers.push(worker);
    }
  }

  /** Each query's k nearest neighbours (see {@link Neighbours}). */
  async search(queries: Float32Array, count: number, k: number): Promise<Neighbours> {
    const threads = Math.min(this.#workers.length + 1, Math.floor(count / MIN_QUERIES_PER_THREAD));
    if (threads <= 1) return this.#local(queries, count, k);
    const dim = queries.length / count;
    const share = Math.ceil(count / threads);
    const remote = this.#workers.slice(0, threads - 1).map((worker, w) => {
      const from = share * (w + 1);
      const to = Math.min(count, from + share);
      const part = new Float32Array(new SharedArrayBuffer((to - from) * dim * 4));
      part.set(queries.subarray(from * dim, to * dim));
      const id = this.#next++;
      const request: SearchRequest = { id, queries: part, count: to - from, k };
      return new Promise<Neighbours>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        worker.postMessage(request);
      });
    });
    const mine = this.#local(queries.subarray(0, share * dim), share, k);
    const parts = [mine, ...(await Promise.all(remote))];
    const scores = new Float64Array(count * k);
    const ids = new Int32Array(count * k);
    let at = 0;
    for (const part of parts) {
      scores.set(part.scores, at);
      ids.set(part.ids, at);
      at += part.scores.length;
    }
    return { count, k, scores, ids };
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #settle(reply: SearchReply): void {
    const pending = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (!pending) return;
    if ('error' in reply) pending.reject(new Error(`A k-NN search thread failed: ${reply.error}`));
    else pending.resolve(reply.neighbours);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
