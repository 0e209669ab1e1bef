import { type Centers, type Points, assignNearest } from './kernels.js';

/**
 * Web-scale (Sculley 2010) mini-batch k-means state: K centers and the (decayed) number of
 * records each has absorbed. Each center moves to the weighted mean of its past and its new
 * points, i.e. Sculley's per-center learning rate 1/count applied to a whole batch at once.
 */
export class MiniBatchKMeans {
  readonly centers: Centers;
  /** Per-center weight: records absorbed, decayed by half_life_time_size. */
  readonly counts: Float64Array;
  readonly #decayPerRecord: number;
  #assign = new Int32Array(0);
  #dist = new Float64Array(0);

  /**
   * @param halfLifeTimeSize after this many records a record's weight has halved; 0 = never.
   */
  constructor(centers: Centers, halfLifeTimeSize: number) {
    this.centers = centers;
    this.counts = new Float64Array(centers.count);
    this.#decayPerRecord = halfLifeTimeSize > 0 ? Math.pow(0.5, 1 / halfLifeTimeSize) : 1;
  }

  /** Folds one mini-batch into the centers; returns the batch's sum of squared distances. */
  update(points: Points, rows: number): number {
    const { values, count, dim } = this.centers;
    if (this.#assign.length < rows) {
      this.#assign = new Int32Array(rows);
      this.#dist = new Float64Array(rows);
    }
    const assign = this.#assign;
    assignNearest(points, this.centers, { rows, assign, dist: this.#dist });
    // Old observations fade before the new batch lands, so a half-life of h records means a
    // record seen h records ago counts half as much as one seen now.
    if (this.#decayPerRecord !== 1) {
      const decay = Math.pow(this.#decayPerRecord, rows);
      for (let c = 0; c < count; c++) this.counts[c]! *= decay;
    }
    const sums = new Float64Array(count * dim);
    const added = new Float64Array(count);
    let ssd = 0;
    for (let i = 0; i < rows; i++) {
      const c = assign[i]!;
      added[c]! += 1;
      ssd += this.#dist[i]!;
      for (let j = 0; j < dim; j++) sums[c * dim + j]! += points[i * dim + j]!;
    }
    for (let c = 0; c < count; c++) {
      const n = added[c]!;
      if (n === 0) continue;
      const total = this.counts[c]! + n;
      const keep = this.counts[c]! / total;
      for (let j = 0; j < dim; j++)
        values[c * dim + j] = keep * values[c * dim + j]! + sums[c * dim + j]! / total;
      this.counts[c] = total;
    }
    return ssd;
  }
}
