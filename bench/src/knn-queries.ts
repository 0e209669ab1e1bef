import { readFile } from 'node:fs/promises';
import { invokeModel, startModelServer } from './model-server.js';

/** What a k-NN endpoint answered for every query, and how long it took. */
export interface ServedNeighbors {
  /** k reference ids per query (the labels of its neighbours), in query order. */
  readonly ids: Int32Array;
  /** From the first request sent to the last answer read. */
  readonly queryMs: number;
  /** From spawning the serve program to its "listening" line (loading the index). */
  readonly startMs: number;
}

/** How the queries are sent. */
export interface QueryPlan {
  readonly k: number;
  /** Rows per request. */
  readonly batch: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/**
 * Starts Plinth's `knn-serve` on `modelDir` and sends it every row of a headerless CSV of queries,
 * `batch` rows per `text/csv` request with `Accept: application/json; verbose=true` (SageMaker's
 * answer with each query's `labels` and `distances`, nearest first), `concurrency` at a time;
 * the server is stopped afterwards. The reference set's labels are row ids, so the labels are
 * the neighbours' ids.
 */
export async function servedNeighbors(
  modelDir: string,
  queriesCsv: string,
  plan: QueryPlan,
): Promise<ServedNeighbors> {
  const lines = (await readFile(queriesCsv, 'utf8')).trimEnd().split('\n');
  const bodies: string[] = [];
  for (let at = 0; at < lines.length; at += plan.batch)
    bodies.push(`${lines.slice(at, at + plan.batch).join('\n')}\n`);
  const ids = new Int32Array(lines.length * plan.k).fill(-1);
  const server = await startModelServer('knn-serve', modelDir);
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bodies.length) {
        const index = next++;
        const text = await invokeModel(server.url, bodies[index]!, {
          contentType: 'text/csv',
          accept: 'application/json; verbose=true',
        });
        const answer = JSON.parse(text) as { predictions: { labels: number[] }[] };
        answer.predictions.forEach((p, i) => {
          const at = (index * plan.batch + i) * plan.k;
          for (let j = 0; j < plan.k && j < p.labels.length; j++)
            ids[at + j] = Math.round(p.labels[j]!);
        });
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
    return { ids, queryMs: performance.now() - started, startMs: server.readyMs };
  } finally {
    await server.stop();
  }
}
