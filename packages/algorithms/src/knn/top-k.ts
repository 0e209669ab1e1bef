/**
 * The k best (lowest-scoring) neighbours of many queries at once, kept as one max-heap of k slots
 * per query in flat typed arrays (no objects per neighbour). Ties between equal scores go to the
 * lower id, so results do not depend on the order points were scanned in.
 */
export class TopK {
  readonly scores: Float64Array;
  readonly ids: Int32Array;

  constructor(
    readonly queries: number,
    readonly k: number,
  ) {
    this.scores = new Float64Array(queries * k).fill(Infinity);
    this.ids = new Int32Array(queries * k).fill(-1);
  }

  /** The score a point must beat to enter query `q`'s k best (Infinity until k are found). */
  worst(q: number): number {
    return this.scores[q * this.k]!;
  }

  /** Offers point `id` with `score` to query `q`; returns whether it was kept. */
  offer(q: number, score: number, id: number): boolean {
    const { scores, ids, k } = this;
    const base = q * k;
    const top = scores[base]!;
    if (!(score < top || (score === top && id < ids[base]!))) return false;
    siftDown(scores, ids, { base, k, score, id });
    return true;
  }

  /** How many neighbours query `q` has (fewer than k only if fewer points were scanned). */
  found(q: number): number {
    let n = 0;
    for (let i = q * this.k, end = i + this.k; i < end; i++) if (this.ids[i]! >= 0) n++;
    return n;
  }

  /** Sorts every query's neighbours best first (lowest score, then lowest id). */
  sort(): void {
    const { k } = this;
    const order = new Int32Array(k);
    const scores = new Float64Array(k);
    const ids = new Int32Array(k);
    for (let q = 0; q < this.queries; q++) {
      const base = q * k;
      for (let i = 0; i < k; i++) order[i] = i;
      const s = this.scores.subarray(base, base + k);
      const d = this.ids.subarray(base, base + k);
      order.sort((a, b) => s[a]! - s[b]! || d[a]! - d[b]!);
      for (let i = 0; i < k; i++) {
        scores[i] = s[order[i]!]!;
        ids[i] = d[order[i]!]!;
      }
      s.set(scores);
      d.set(ids);
    }
  }
}

/** Replaces the heap's root (its worst entry) with a better one and restores heap order. */
function siftDown(
  scores: Float64Array,
  ids: Int32Array,
  entry: { base: number; k: number; score: number; id: number },
): void {
  const { base, k, score, id } = entry;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= k) break;
    const right = child + 1;
    if (right < k && worse({ scores, ids }, base + right, base + child)) child = right;
    const cs = scores[base + child]!;
    const ci = ids[base + child]!;
    if (cs > score || (cs === score && ci > id)) {
      scores[base + i] = cs;
      ids[base + i] = ci;
      i = child;
    } else break;
  }
  scores[base + i] = score;
  ids[base + i] = id;
}

function worse(heap: { scores: Float64Array; ids: Int32Array }, a: number, b: number): boolean {
  const { scores, ids } = heap;
  return scores[a]! > scores[b]! || (scores[a] === scores[b] && ids[a]! > ids[b]!);
}
