import type { Random } from '../common/random.js';
import { DataFormatError, type FeatureBatch } from '../data/index.js';

/** A uniform sample of labelled records: row-major features and their labels. */
export interface Sample {
  vectors: Float32Array;
  labels: Float32Array;
  count: number;
  /** Records seen in all. */
  seen: number;
}

/**
 * Reservoir sampling (Vitter's algorithm R) of at most `size` records from a stream of batches,
 * with a seeded generator, so the same data and hyperparameters give the same sample. Storage
 * grows with the records seen, so a large `size` on a small channel costs only what it holds.
 */
export class Reservoir {
  #vectors: Float32Array;
  #labels: Float32Array;
  #count = 0;
  #seen = 0;

  constructor(
    readonly size: number,
    readonly dim: number,
    private readonly random: Random,
  ) {
    const initial = Math.min(size, 1024);
    this.#vectors = new Float32Array(initial * dim);
    this.#labels = new Float32Array(initial);
  }

  /** Offers every record of a labelled batch; `channel` names it in errors. */
  add(batch: FeatureBatch, channel: string): void {
    const { dim } = this;
    const { features, labels } = batch;
    if (!labels)
      throw new DataFormatError(
        `The '${channel}' channel's records carry no labels; k-NN needs one per record.`,
      );
    for (let r = 0; r < batch.rows; r++, this.#seen++) {
      const label = labels[r]!;
      if (!Number.isFinite(label))
        throw new DataFormatError(
          `Record ${this.#seen + 1} of the '${channel}' channel has label ${label}; labels must be finite numbers.`,
        );
      let slot: number;
      if (this.#count < this.size) slot = this.#grow();
      else {
        slot = Math.floor(this.random() * (this.#seen + 1));
        if (slot >= this.size) continue;
      }
      this.#vectors.set(features.subarray(r * dim, (r + 1) * dim), slot * dim);
      this.#labels[slot] = label;
    }
  }

  /** The sample so far. */
  sample(): Sample {
    const count = this.#count;
    return {
      vectors: this.#vectors.subarray(0, count * this.dim),
      labels: this.#labels.subarray(0, count),
      count,
      seen: this.#seen,
    };
  }

  #grow(): number {
    if (this.#count === this.#labels.length) {
      const capacity = Math.min(this.size, 2 * this.#labels.length);
      const vectors = new Float32Array(capacity * this.dim);
      vectors.set(this.#vectors);
      const labels = new Float32Array(capacity);
      labels.set(this.#labels);
      this.#vectors = vectors;
      this.#labels = labels;
    }
    return this.#count++;
  }
}
