import { createRandom } from '../common/random.js';
import type { TreeSamples } from './reservoir.js';

/** Seed of the draws that merge several hosts' reservoirs. */
const MERGE_SEED = 0x51ed;

/**
 * Merges reservoirs drawn on different shards (same trees, sample size and width) into one
 * uniform sample without replacement of all the shards' records, per tree: how many rows come
 * from each shard is drawn as from the union (each next row from a shard in proportion to its
 * records not yet drawn), and that many rows are then taken at random from the shard's
 * reservoir, itself a uniform sample of the shard.
 */
export function mergeSamples(parts: readonly TreeSamples[]): TreeSamples {
  const [head] = parts;
  if (head === undefined) throw new RangeError('mergeSamples needs at least one sample');
  const { trees, capacity, dim } = head;
  for (const part of parts)
    if (part.trees !== trees || part.capacity !== capacity || part.dim !== dim)
      throw new RangeError('mergeSamples needs samples of the same trees, size and width');
  if (parts.length === 1) return head;
  const seen = parts.reduce((sum, part) => sum + part.seen, 0);
  const perTree = Math.min(seen, capacity);
  const points = new Float32Array(trees * capacity * dim);
  const random = createRandom(MERGE_SEED);
  const remaining = new Float64Array(parts.length);
  const taken = new Int32Array(parts.length);
  for (let t = 0; t < trees; t++) {
    parts.forEach((part, h) => (remaining[h] = part.seen));
    taken.fill(0);
    for (let i = 0, left = seen; i < perTree; i++, left--) {
      let u = random() * left;
      let h = 0;
      while (h < parts.length - 1 && u >= remaining[h]!) u -= remaining[h++]!;
      remaining[h]!--;
      taken[h]!++;
    }
    let row = t * capacity;
    parts.forEach((part, h) => {
      // A partial Fisher-Yates shuffle of the shard's reservoir rows picks taken[h] of them.
      const order = Int32Array.from({ length: part.perTree }, (_, i) => i);
      for (let i = 0; i < taken[h]!; i++) {
        const j = i + Math.floor(random() * (part.perTree - i));
        const pick = order[j]!;
        order[j] = order[i]!;
        order[i] = pick;
        const from = (t * capacity + pick) * dim;
        points.set(part.points.subarray(from, from + dim), row++ * dim);
      }
    });
  }
  return { dim, trees, perTree, points, capacity, seen };
}

/** A host's reservoirs as bytes for {@link decodeSamples} on the host that builds the forest. */
export function encodeSamples(samples: TreeSamples): Uint8Array {
  const header = new Float64Array([
    samples.dim,
    samples.trees,
    samples.perTree,
    samples.capacity,
    samples.seen,
  ]);
  const bytes = new Uint8Array(header.byteLength + samples.points.byteLength);
  bytes.set(new Uint8Array(header.buffer), 0);
  const { buffer, byteOffset, byteLength } = samples.points;
  bytes.set(new Uint8Array(buffer, byteOffset, byteLength), header.byteLength);
  return bytes;
}

/** The reservoirs {@link encodeSamples} wrote. */
export function decodeSamples(bytes: Uint8Array): TreeSamples {
  const copy = bytes.slice();
  const [dim, trees, perTree, capacity, seen] = new Float64Array(copy.buffer, 0, 5);
  const points = new Float32Array(copy.buffer, 40);
  if (points.length !== trees! * capacity! * dim!)
    throw new RangeError(
      `A host's samples hold ${points.length} values, not ${trees! * capacity! * dim!}`,
    );
  return { dim: dim!, trees: trees!, perTree: perTree!, points, capacity: capacity!, seen: seen! };
}
