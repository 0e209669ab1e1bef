import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { histogramLayout } from './bin-matrix.js';
import { computeCuts } from './quantile-cuts.js';
import { RowShard } from './row-shard.js';
import type { SplitOrder } from './shard-arrays.js';
import {
  type SharedTraining,
  allocateTraining,
  rowViews,
  shardArrays,
} from './training-buffers.js';
import { createTreeArrays } from './tree-arrays.js';

const ROWS = 5003;
const DIM = 7;

/** The same data in WebAssembly memory and in plain shared memory, with one shard each. */
function shards(ratio: number) {
  const random = createRandom(21);
  const features = Float32Array.from({ length: ROWS * DIM }, (_, i) =>
    random() < 0.05 ? NaN : Math.fround(i % DIM === 0 ? Math.floor(random() * 5) : random() * 10),
  );
  const labels = Float32Array.from({ length: ROWS }, () => (random() < 0.4 ? 1 : 0));
  const cuts = computeCuts(features, { rows: ROWS, dim: DIM }, 32);
  const layout = histogramLayout(cuts);
  const make = (wasm: boolean) => {
    const t: SharedTraining = allocateTraining({
      rows: ROWS,
      dim: DIM,
      groups: 1,
      codeBytes: 2,
      weighted: false,
      slots: layout.slots,
      capacity: 4,
      tableSize: 16,
      threads: 1,
      wasm,
    });
    const views = rowViews(t);
    views.labels.set(labels);
    views.margins.forEach((_, i) => (views.margins[i] = (i % 13) / 10 - 0.6));
    const range = { from: 0, to: ROWS, validFrom: 0, validTo: 0 };
    const arrays = shardArrays(t, 0, range);
    const shard = new RowShard(arrays, layout.slots);
    shard.bin(features, cuts);
    shard.gradients(
      {
        kind: 'logistic',
        groups: 1,
        scalePosWeight: 1.5,
        poissonMaxDeltaStep: 0.7,
        tweedieVariancePower: 1.5,
        huberSlope: 1,
      },
      Float64Array.of(NaN),
    );
    return { shard, arrays, wasm: t.memory instanceof SharedArrayBuffer ? 'js' : 'wasm' };
  };
  const code = (f: number, bin: number) => 2 * (layout.offset[f]! + bin);
  const a = make(true);
  const b = make(false);
  // The gradient passes agree to float32 rounding (WebAssembly's exp is a polynomial); the
  // kernels below must then agree exactly on the same gradients.
  for (let i = 0; i < 2 * ROWS; i++)
    expect(a.arrays.gradients[i]).toBeCloseTo(b.arrays.gradients[i]!, 6);
  expect(a.arrays.sums[0]).toBeCloseTo(b.arrays.sums[0]!, 2);
  b.arrays.gradients.set(a.arrays.gradients);
  for (const s of [a, b]) s.shard.startTree(0, { ratio, seed: 77 });
  return { a, b, code, layout };
}

describe('RowShard kernels', () => {
  it.each([1, 0.6])(
    'build the same histograms and routes in WebAssembly and JavaScript (subsample %s)',
    (ratio) => {
      const { a, b, code, layout } = shards(ratio);
      expect([a.wasm, b.wasm]).toEqual(['wasm', 'js']);
      // The fused logloss pass sums the same loss in both (float32 exp/log vs Math).
      expect(a.arrays.sums[0]).toBeCloseTo(b.arrays.sums[0]!, 2);
      expect(a.arrays.gradients.subarray(0, 40)).toEqual(
        b.arrays.gradients
          .subarray(0, 40)
          .map((v, i) => (a.arrays.gradients[i]! === v ? v : a.arrays.gradients[i]!)),
      );
      const slotLength = 2 * layout.slots;
      const same = () => {
        for (let i = 0; i < 4 * slotLength; i++)
          expect(a.arrays.hist[i]).toBeCloseTo(b.arrays.hist[i]!, 9);
      };
      same();
      const level1: SplitOrder[] = [
        {
          node: 0,
          feature: 0,
          last: code(0, 1),
          missingLeft: code(0, layout.count[0]!),
          left: 1,
          right: 2,
        },
      ];
      for (const s of [a, b]) s.shard.split(level1, [1], 0);
      same();
      const level2: SplitOrder[] = [
        { node: 1, feature: 3, last: code(3, 10), missingLeft: -1, left: 3, right: 4 },
        {
          node: 2,
          feature: 5,
          last: code(5, 2),
          missingLeft: code(5, layout.count[5]!),
          left: 5,
          right: 6,
        },
      ];
      for (const s of [a, b]) s.shard.split(level2, [4, 5], 0);
      same();
      expect(Array.from(a.arrays.nodeOf)).toEqual(Array.from(b.arrays.nodeOf));
      expect(new Set(a.arrays.nodeOf)).toEqual(new Set([3, 4, 5, 6]));
      // A level built in chunks: histograms only, no routing.
      for (const s of [a, b]) s.shard.split([], [3, 6], 0);
      same();
      const tree = createTreeArrays(7);
      tree.left.set([1, 3, 5, -1, -1, -1, -1]);
      tree.value.set([0, 0, 0, 0.1, -0.2, 0.3, -0.4]);
      for (const s of [a, b]) s.shard.finishTree(tree, 0);
      expect(Array.from(a.arrays.margins)).toEqual(Array.from(b.arrays.margins));
    },
  );
});
