import type { Random } from '../common/random.js';
import { squaredDistance } from './kernels.js';
import type { SeedInput } from './seeding.js';

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, section 5; scikit-learn's default): each step
 * draws 2 + ln k candidate rows with probability ∝ weight × squared distance to the nearest
 * chosen center, and keeps the candidate that lowers the total (the potential) most. Plain
 * k-means++ often spends centers on a few far outliers; the greedy step rarely does. Rows with
 * zero weight are picked only when nothing else is left. Returns the chosen row indexes.
 */
export function pickKMeansPlusPlus(input: SeedInput, k: number, random: Random): number[] {
  const { rows, weights } = input;
  const trials = 2 + Math.floor(Math.log(k));
  const taken = new Uint8Array(rows);
  const cumulative = new Float64Array(rows);
  let nearest = new Float64Array(rows).fill(Infinity);
  let candidate = new Float64Array(rows);
  let kept = new Float64Array(rows);
  const weight = (i: number): number => (weights ? weights[i]! : 1);
  const chosen = [draw(cumulative, accumulate(cumulative, weight), random) ?? 0];
  taken[chosen[0]!] = 1;
  distancesTo(input, { row: chosen[0]!, bound: nearest, out: nearest });
  while (chosen.length < k) {
    const total = accumulate(cumulative, (i) => (taken[i] ? 0 : weight(i) * nearest[i]!));
    let best: number | undefined;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      const row = draw(cumulative, total, random);
      if (row === undefined) break;
      const potential = distancesTo(input, { row, bound: nearest, out: candidate });
      if (potential < bestPotential) {
        bestPotential = potential;
        best = row;
        [kept, candidate] = [candidate, kept];
      }
    }
    // When every remaining row duplicates a center (or has no weight), any untaken row will do.
    if (best === undefined) {
      best = firstUntaken(taken);
      distancesTo(input, { row: best, bound: nearest, out: kept });
    }
    [nearest, kept] = [kept, nearest];
    chosen.push(best);
    taken[best] = 1;
  }
  return chosen;
}

/**
 * Writes min(bound[i], squared distance from row i to `row`) into `out` (which may be `bound`)
 * and returns the weighted sum of `out`: the k-means++ potential once `row` is a center.
 */
function distancesTo(
  input: SeedInput,
  to: { row: number; bound: Float64Array; out: Float64Array },
): number {
  const { points, rows, dim, weights } = input;
  const { bound, out } = to;
  let potential = 0;
  for (let i = 0; i < rows; i++) {
    const d = Math.min(
      bound[i]!,
      squaredDistance({ points, row: i }, { points, row: to.row }, dim),
    );
    out[i] = d;
    potential += weights ? weights[i]! * d : d;
  }
  return potential;
}

/** Fills `cumulative` with the running sum of `score` over the rows; returns the total. */
function accumulate(cumulative: Float64Array, score: (i: number) => number): number {
  let total = 0;
  for (let i = 0; i < cumulative.length; i++) {
    total += score(i);
    cumulative[i] = total;
  }
  return total;
}

/**
 * A row drawn with probability ∝ its score, by binary search of the running sums: the first
 * row whose running sum exceeds a uniform target. Rows scoring 0 never exceed the row before
 * them, so they are never drawn; undefined when nothing has a positive finite score.
 */
function draw(cumulative: Float64Array, total: number, random: Random): number | undefined {
  if (!(total > 0) || !Number.isFinite(total)) return undefined;
  const target = random() * total;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  // Floating-point rounding can leave the target at the very end: take the last row that scores.
  while (low > 0 && cumulative[low]! === cumulative[low - 1]!) low--;
  return low;
}

function firstUntaken(taken: Uint8Array): number {
  const i = taken.indexOf(0);
  if (i === -1) throw new RangeError('No untaken point left to seed a center');
  return i;
}
