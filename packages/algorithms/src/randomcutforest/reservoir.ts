import { type Random, createRandom } from '../common/random.js';
import type { FeatureBatch } from '../data/index.js';

/** What each tree keeps of the training stream: a uniform sample without replacement. */
export interface TreeSamples {
  dim: number;
  trees: number;
  /** Rows each tree holds: `min(records seen, sample size)`. */
  perTree: number;
  /** Tree t's rows are rows `[t * capacity, t * capacity + perTree)`, row-major. */
  points: Float32Array;
  /** Rows reserved per tree (the sample size). */
  capacity: number;
  /** Training records seen. */
  seen: number;
}

/** How many trees sample, how many rows each keeps, the row width, and the seed. */
export interface ReservoirOptions {
  trees: number;
  size: number;
  dim: number;
  seed: number;
}

/**
 * One reservoir per tree over a stream of records, each an independent uniform sample without
 * replacement of `size` records (all of them when fewer arrive), by Li's Algorithm L: after the
 * first `size` records each tree draws how many records to skip, so the work grows with
 * `size × log(records / size)` per tree, not with the record count. Every tree has its own
 * seeded generator, so the samples depend only on the seed and the data's order.
 */
export class ReservoirSampler {
  readonly #options: ReservoirOptions;
  readonly #points: Float32Array;
  readonly #random: Random[];
  /** Per tree: the index of the next record that enters its reservoir. */
  readonly #next: Float64Array;
  /** Per tree: Algorithm L's running W. */
  readonly #w: Float64Array;
  #seen = 0;

  constructor(options: ReservoirOptions) {
    this.#options = options;
    this.#points = new Float32Array(options.trees * options.size * options.dim);
    this.#random = Array.from({ length: options.trees }, (_, t) =>
      createRandom(options.seed + 0x9e3779b1 * (t + 1)),
    );
    this.#next = new Float64Array(options.trees);
    this.#w = new Float64Array(options.trees);
  }

  /** Offers a batch of records (rows of `dim` features) to every tree. */
  add(batch: FeatureBatch): void {
    const { trees, size, dim } = this.#options;
    const start = this.#seen;
    const end = start + batch.rows;
    const filling = Math.min(end, size) - Math.min(start, size);
    const { features } = batch;
    const points = this.#points;
    // Rows are copied by loops, not set(subarray()), which would allocate a view per row.
    for (let r = 0; r < filling; r++)
      for (let t = 0; t < trees; t++)
        for (let k = 0, at = (t * size + start + r) * dim; k < dim; k++)
          points[at + k] = features[r * dim + k]!;
    if (start < size && end >= size) for (let t = 0; t < trees; t++) this.#startSkipping(t);
    if (end > size)
      for (let t = 0; t < trees; t++) {
        const random = this.#random[t]!;
        while (this.#next[t]! < end) {
          const r = this.#next[t]! - start;
          const slot = Math.floor(random() * size);
          for (let k = 0, at = (t * size + slot) * dim; k < dim; k++)
            points[at + k] = features[r * dim + k]!;
          this.#w[t]! *= Math.exp(Math.log(uniform(random)) / size);
          this.#next[t]! += skip(random, this.#w[t]!);
        }
      }
    this.#seen = end;
  }

  /** The samples as they stand (the arrays are the sampler's own, not copies). */
  samples(): TreeSamples {
    const { trees, size, dim } = this.#options;
    const perTree = Math.min(this.#seen, size);
    return { dim, trees, perTree, points: this.#points, capacity: size, seen: this.#seen };
  }

  // The reservoir of tree t has just filled with records 0..size-1.
  #startSkipping(t: number): void {
    const { size } = this.#options;
    const random = this.#random[t]!;
    this.#w[t] = Math.exp(Math.log(uniform(random)) / size);
    this.#next[t] = size - 1 + skip(random, this.#w[t]);
  }
}

/** Algorithm L's step to the next record that enters the reservoir (at least 1). */
function skip(random: Random, w: number): number {
  const step = Math.floor(Math.log(uniform(random)) / Math.log(1 - w)) + 1;
  return Number.isFinite(step) ? step : Number.MAX_SAFE_INTEGER;
}

/** Uniform in (0, 1], so that its logarithm is finite. */
function uniform(random: Random): number {
  return 1 - random();
}
