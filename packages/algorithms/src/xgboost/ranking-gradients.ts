import type { Random } from '../common/random.js';
import { DataFormatError } from '../data/index.js';

/**
 * Query groups as row boundaries: group `i` is rows `[bounds[i], bounds[i + 1])`. Rows with the
 * same LIBSVM `qid` must be consecutive and ascending, as xgboost requires; without qids the
 * whole channel is one group (what xgboost does with no group information).
 */
export function queryGroups(
  rows: number,
  qids: Float64Array | undefined,
  channel: string,
): Int32Array {
  if (!qids) return Int32Array.of(0, rows);
  const bounds = [0];
  for (let r = 1; r < rows; r++) {
    if (qids[r]! < qids[r - 1]!)
      throw new DataFormatError(
        `The '${channel}' channel's qid ${qids[r]} on row ${r + 1} follows qid ${qids[r - 1]}; rows must be sorted by qid (each query's rows together, in ascending qid order).`,
      );
    if (qids[r] !== qids[r - 1]) bounds.push(r);
  }
  bounds.push(rows);
  return Int32Array.from(bounds);
}

const EPS = 1e-16;

/**
 * rank:pairwise gradients (xgboost 1.7's `LambdaRankObj` with `num_pairsample=1`): within each
 * group, every row is paired with one random row of a different label, the higher label being
 * the positive; each pair adds the logistic loss gradient of `pos - neg` to both rows.
 */
export function pairwiseGradients(
  data: { margins: Float32Array; labels: Float32Array; groups: Int32Array },
  gh: Float32Array,
  random: Random,
): void {
  const { margins, labels, groups } = data;
  gh.fill(0, 0, 2 * labels.length);
  for (let q = 0; q + 1 < groups.length; q++) {
    const start = groups[q]!;
    const end = groups[q + 1]!;
    // Rows of the group by label, highest first (stable, as xgboost's stable_sort).
    const order = Array.from({ length: end - start }, (_, i) => start + i);
    order.sort((a, b) => labels[b]! - labels[a]! || a - b);
    for (let i = 0; i < order.length;) {
      let j = i + 1;
      while (j < order.length && labels[order[j]!] === labels[order[i]!]) j++;
      const others = order.length - (j - i);
      if (others > 0)
        for (let k = i; k < j; k++) {
          const pick = Math.floor(random() * others);
          const [pos, neg] =
            pick < i ? [order[pick]!, order[k]!] : [order[k]!, order[pick + j - i]!];
          addPair(margins, gh, pos, neg);
        }
      i = j;
    }
  }
}

// eslint-disable-next-line max-params -- once per sampled pair; no object per pair
function addPair(margins: Float32Array, gh: Float32Array, pos: number, neg: number): void {
  const p = Math.fround(1 / (1 + Math.exp(-(margins[pos]! - margins[neg]!))));
  const g = p - 1;
  const h = 2 * Math.max(p * (1 - p), EPS);
  gh[2 * pos] = gh[2 * pos]! + g;
  gh[2 * pos + 1] = gh[2 * pos + 1]! + h;
  gh[2 * neg] = gh[2 * neg]! - g;
  gh[2 * neg + 1] = gh[2 * neg + 1]! + h;
}
