import { PassAccumulator, type PassSums, type PassTask } from './pass-sums.js';

/** Records as a shard holds them: row-major features, `rows` of them. */
export interface ShardBatch {
  features: Float32Array;
  rows: number;
}

/**
 * One share of the training records and the pass under way over them. The records of the first
 * pass can be kept, so that later passes (randomized mode's products) replay them from memory
 * instead of reading and parsing the channel again. The main thread holds one shard; worker
 * threads hold the others.
 */
export class Shard {
  readonly #dim: number;
  #kept: ShardBatch[] = [];
  #pass: PassAccumulator | undefined;

  constructor(dim: number) {
    this.#dim = dim;
  }

  /** Starts a pass: the sums restart from zero. */
  begin(task: PassTask): void {
    this.#pass = new PassAccumulator(this.#dim, task);
  }

  /** Adds records to the pass; keeps them for {@link replay} when asked. */
  add(batch: ShardBatch, keep: boolean): void {
    this.#current().add(batch.features, batch.rows);
    if (keep) this.#kept.push(batch);
  }

  /** Drops the kept records (they outgrew the memory budget). */
  forget(): void {
    this.#kept = [];
  }

  /** Runs the pass over the kept records, in the order they first came. */
  replay(): void {
    const pass = this.#current();
    for (const batch of this.#kept) pass.add(batch.features, batch.rows);
  }

  /** The pass's sums. */
  finish(): PassSums {
    const sums = this.#current().finish();
    this.#pass = undefined;
    return sums;
  }

  #current(): PassAccumulator {
    if (this.#pass === undefined) throw new Error('No pass was begun on this shard');
    return this.#pass;
  }
}
