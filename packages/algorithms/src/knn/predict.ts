import type { IndexMetric, PredictorType } from './hyperparameters.js';
import { type KnnModel, createVectorTransform } from './model.js';
import { openIndex } from './open-index.js';
import { ParallelSearch } from './parallel-search.js';
import type { Neighbours } from './searcher.js';

/** Each query's prediction and, for verbose answers, its neighbours' distances and labels. */
export interface Predictions {
  readonly count: number;
  readonly k: number;
  readonly predicted: Float32Array;
  /** `count × k`, nearest first: squared L2 distance, or inner product / cosine similarity. */
  readonly distances: Float32Array;
  readonly labels: Float32Array;
}

/**
 * A k-NN model ready to answer queries: transforms feature rows as training did, searches the
 * index (in `threads` threads for large batches), and votes or averages the neighbours' labels.
 */
export class KnnPredictor {
  readonly #transform: (rows: Float32Array, count: number) => Float32Array;
  readonly #search: ParallelSearch;

  constructor(
    readonly model: KnnModel,
    threads: number,
  ) {
    this.#transform = createVectorTransform(model);
    this.#search = new ParallelSearch(openIndex(model.index, threads), threads);
  }

  /** Predictions for `count` row-major rows of `featureDim` features. */
  async predict(rows: Float32Array, count: number): Promise<Predictions> {
    const { model } = this;
    const neighbours = await this.#search.search(this.#transform(rows, count), count, model.k);
    return labelNeighbours(neighbours, model);
  }

  /** Stops the search threads. */
  close(): Promise<void> {
    return this.#search.close();
  }
}

/** Turns neighbour ids and scores into labels, distances and each query's prediction. */
export function labelNeighbours(
  neighbours: Neighbours,
  model: { labels: Float32Array; metric: IndexMetric; predictorType: PredictorType },
): Predictions {
  const { count, k, ids, scores } = neighbours;
  const sign = model.metric === 'L2' ? 1 : -1;
  const labels = new Float32Array(count * k);
  const distances = new Float32Array(count * k);
  const predicted = new Float32Array(count);
  const scratch = new Float32Array(k);
  for (let q = 0; q < count; q++) {
    let found = 0;
    for (let i = q * k; i < (q + 1) * k; i++) {
      if (ids[i]! < 0) continue;
      labels[q * k + found] = model.labels[ids[i]!]!;
      distances[q * k + found] = sign * scores[i]!;
      scratch[found++] = model.labels[ids[i]!]!;
    }
    const mine = scratch.subarray(0, found);
    predicted[q] = model.predictorType === 'classifier' ? majority(mine) : mean(mine);
  }
  return { count, k, predicted, distances, labels };
}

/** The most frequent label; a tie goes to the smallest label (as scikit-learn's vote). Sorts `labels`. */
export function majority(labels: Float32Array): number {
  labels.sort();
  let best = NaN;
  let bestCount = 0;
  for (let i = 0; i < labels.length;) {
    let j = i;
    while (j < labels.length && labels[j] === labels[i]) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = labels[i]!;
    }
    i = j;
  }
  return best;
}

function mean(labels: Float32Array): number {
  let sum = 0;
  for (const label of labels) sum += label;
  return labels.length > 0 ? sum / labels.length : NaN;
}
