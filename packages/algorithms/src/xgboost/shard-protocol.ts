// How the training thread hands orders to its row-shard workers: a command word and a sequence
// number in a shared control array (Atomics.wait/notify, no message per order), the order's
// numbers in a shared payload, and each worker's "done" sequence (or FAILED) in the control array.
import type { GradientSpec, PointwiseObjective } from './gradients.js';
import type { MetricOrder } from './pointwise-metrics.js';
import type { SplitOrder } from './shard-arrays.js';
import type { TreeArrays } from './tree-arrays.js';

/** What a worker is asked to do. */
export enum Command {
  Bin = 1,
  Gradients,
  StartTree,
  Split,
  FinishTree,
  Metrics,
  /** Take the payload buffer that was just posted on the worker's port. */
  Resize,
  Stop,
}

/** Control array slots: the command, the order's sequence number, then one per worker. */
export const COMMAND = 0;
export const SEQUENCE = 1;
export const DONE = 2;
/** A worker's done slot holds this after it failed; its message buffer says why. */
export const FAILED = -1;

/** The shared order payload: the same memory as 32-bit ints and floats, plus doubles. */
export interface Payload {
  ints: Int32Array;
  floats: Float32Array;
  reals: Float64Array;
}

/** Views over a payload buffer (`bytes` shared for ints/floats, 8 * 16 for reals). */
export function payloadOf(buffer: SharedArrayBuffer, reals: SharedArrayBuffer): Payload {
  return {
    ints: new Int32Array(buffer),
    floats: new Float32Array(buffer),
    reals: new Float64Array(reals),
  };
}

const KINDS: readonly PointwiseObjective[] = [
  'squarederror',
  'logistic',
  'logitraw',
  'hinge',
  'softmax',
  'poisson',
  'gamma',
  'tweedie',
  'pseudohuber',
  'squaredlog',
];

/** Reals from this index on hold the fused metrics' thresholds. */
const THRESHOLDS = 8;

export function writeGradients(
  p: Payload,
  spec: GradientSpec,
  thresholds: readonly number[] = [],
): void {
  p.ints[0] = KINDS.indexOf(spec.kind);
  p.ints[1] = spec.groups;
  p.ints[2] = thresholds.length;
  p.reals.set(thresholds, THRESHOLDS);
  p.reals[0] = spec.scalePosWeight;
  p.reals[1] = spec.poissonMaxDeltaStep;
  p.reals[2] = spec.tweedieVariancePower;
  p.reals[3] = spec.huberSlope;
}

/** The fused metrics' thresholds of a gradients order (undefined: none). */
export function readThresholds(p: Payload): Float64Array | undefined {
  const count = p.ints[2]!;
  return count === 0 ? undefined : p.reals.slice(THRESHOLDS, THRESHOLDS + count);
}

export function readGradients(p: Payload): GradientSpec {
  return {
    kind: KINDS[p.ints[0]!]!,
    groups: p.ints[1]!,
    scalePosWeight: p.reals[0]!,
    poissonMaxDeltaStep: p.reals[1]!,
    tweedieVariancePower: p.reals[2]!,
    huberSlope: p.reals[3]!,
  };
}

/** Ints a split order needs: group, counts, 6 per split, one per built node. */
export function splitSize(splits: number, builds: number): number {
  return 3 + 6 * splits + builds;
}

export function writeSplit(
  p: Payload,
  group: number,
  level: { splits: readonly SplitOrder[]; builds: ArrayLike<number> },
): void {
  const { splits, builds } = level;
  const ints = p.ints;
  ints[0] = group;
  ints[1] = splits.length;
  ints[2] = builds.length;
  let at = 3;
  for (const s of splits) {
    ints[at++] = s.node;
    ints[at++] = s.feature;
    ints[at++] = s.last;
    ints[at++] = s.missingLeft;
    ints[at++] = s.left;
    ints[at++] = s.right;
  }
  for (let i = 0; i < builds.length; i++) ints[at++] = builds[i]!;
}

export function readSplit(p: Payload): { group: number; splits: SplitOrder[]; builds: Int32Array } {
  const ints = p.ints;
  const count = ints[1]!;
  const splits: SplitOrder[] = [];
  let at = 3;
  for (let i = 0; i < count; i++, at += 6)
    splits.push({
      node: ints[at]!,
      feature: ints[at + 1]!,
      last: ints[at + 2]!,
      missingLeft: ints[at + 3]!,
      left: ints[at + 4]!,
      right: ints[at + 5]!,
    });
  return { group: ints[0]!, splits, builds: ints.slice(at, at + ints[2]!) };
}

/** Ints a finished tree needs: group, count, and 7 per node. */
export function treeSize(nodes: number): number {
  return 2 + 7 * nodes;
}

export function writeTree(p: Payload, group: number, tree: TreeArrays): void {
  const { ints, floats } = p;
  const n = tree.count;
  ints[0] = group;
  ints[1] = n;
  const at = 2;
  ints.set(tree.left, at);
  ints.set(tree.right, at + n);
  ints.set(tree.feature, at + 2 * n);
  ints.set(tree.last, at + 3 * n);
  ints.set(tree.missingLeft, at + 4 * n);
  for (let i = 0; i < n; i++) ints[at + 5 * n + i] = tree.defaultLeft[i]!;
  floats.set(tree.value, at + 6 * n);
}

export function readTree(p: Payload): { group: number; tree: TreeArrays } {
  const { ints, floats } = p;
  const n = ints[1]!;
  const at = 2;
  return {
    group: ints[0]!,
    tree: {
      count: n,
      left: ints.slice(at, at + n),
      right: ints.slice(at + n, at + 2 * n),
      feature: ints.slice(at + 2 * n, at + 3 * n),
      last: ints.slice(at + 3 * n, at + 4 * n),
      missingLeft: ints.slice(at + 4 * n, at + 5 * n),
      defaultLeft: Uint8Array.from(ints.subarray(at + 5 * n, at + 6 * n)),
      value: floats.slice(at + 6 * n, at + 7 * n),
    },
  };
}

export function writeMetrics(
  p: Payload,
  order: { transform: number; orders: readonly MetricOrder[]; train: boolean },
): void {
  p.ints[0] = order.transform;
  p.ints[1] = order.orders.length;
  p.ints[2] = order.train ? 1 : 0;
  order.orders.forEach((o, i) => {
    p.ints[3 + i] = o.metric;
    p.reals[i] = o.param;
  });
}

export function readMetrics(p: Payload): {
  transform: number;
  orders: MetricOrder[];
  train: boolean;
} {
  const orders: MetricOrder[] = [];
  for (let i = 0; i < p.ints[1]!; i++) orders.push({ metric: p.ints[3 + i]!, param: p.reals[i]! });
  return { transform: p.ints[0]!, orders, train: p.ints[2] === 1 };
}
