// A k-NN search thread: opens its view of the shared index once, then answers each batch of
// queries the calling thread posts (see parallel-search.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { OpenIndex } from './open-index.js';
import { type Neighbours, createSearcher } from './searcher.js';

/** A batch of queries for a search thread. */
export interface SearchRequest {
  id: number;
  queries: Float32Array;
  count: number;
  k: number;
}

/** A search thread's answer to request `id`. */
export type SearchReply = { id: number; neighbours: Neighbours } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  const { index, thread } = workerData as { index: OpenIndex; thread: number };
  const search = createSearcher(index, thread);
  port.on('message', (request: SearchRequest) => {
    try {
      const neighbours = search(request.queries, request.count, request.k);
      const reply: SearchReply = { id: request.id, neighbours };
      port.postMessage(reply, [
        neighbours.scores.buffer as ArrayBuffer,
        neighbours.ids.buffer as ArrayBuffer,
      ]);
    } catch (error) {
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
}
