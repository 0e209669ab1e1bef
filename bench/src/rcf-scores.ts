import { readFile } from 'node:fs/promises';
import { invokeModel, startModelServer } from './model-server.js';
import { median } from './processes.js';

/** Every row's anomaly score from a Plinth RCF model, and how long the answer took. */
export interface ServedScores {
  readonly scores: Float64Array;
  /** Median over the requests of one request's time, sending all rows to the answer's end. */
  readonly medianMs: number;
}

/**
 * Scores a headerless CSV file with Plinth's `randomcutforest-serve` on `modelDir`: all rows in
 * one `text/csv` request (SageMaker's answer: `{"scores":[{"score":…},…]}`), sent `requests`
 * times to the warm server; the server is stopped afterwards.
 */
export async function servedRcfScores(
  modelDir: string,
  csv: string,
  requests: number,
): Promise<ServedScores> {
  const body = await readFile(csv, 'utf8');
  const server = await startModelServer('randomcutforest-serve', modelDir);
  try {
    const times: number[] = [];
    let text = '';
    for (let i = 0; i < Math.max(requests, 1); i++) {
      const started = performance.now();
      text = await invokeModel(server.url, body, {
        contentType: 'text/csv',
        accept: 'application/json',
      });
      times.push(performance.now() - started);
    }
    const answer = JSON.parse(text) as { scores: { score: number }[] };
    return { scores: Float64Array.from(answer.scores, (s) => s.score), medianMs: median(times) };
  } finally {
    await server.stop();
  }
}
