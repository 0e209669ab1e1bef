import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { type CutTree, buildCutTree } from './tree-builder.js';

function row(tree: CutTree, r: number, dim: number): number[] {
  return Array.from(tree.points.subarray(r * dim, (r + 1) * dim));
}

/** Checks the tree's structure; returns its leaves' row counts. */
function checkTree(tree: CutTree, dim: number): number[] {
  const leaves: number[] = [];
  const visit = (node: number): number => {
    const first = tree.first[node]!;
    const count = tree.count[node]!;
    const rows = Array.from({ length: count }, (_, i) => row(tree, first + i, dim));
    if (tree.cutDim[node] === -1) {
      // A leaf holds equal rows only.
      for (const r of rows) expect(r).toEqual(rows[0]);
      leaves.push(count);
      return node + 1;
    }
    const d = tree.cutDim[node]!;
    const cut = tree.cutValue[node]!;
    const values = rows.map((r) => r[d]!);
    // The cut lies inside the box's range in that dimension and splits the rows in two.
    expect(cut).toBeGreaterThanOrEqual(Math.min(...values));
    expect(cut).toBeLessThan(Math.max(...values));
    const left = node + 1;
    expect(tree.first[left]).toBe(first);
    expect(tree.first[tree.right[node]!]).toBe(first + tree.count[left]!);
    expect(tree.count[left]! + tree.count[tree.right[node]!]!).toBe(count);
    for (let i = 0; i < count; i++) expect(values[i]! <= cut).toBe(i < tree.count[left]!);
    const afterLeft = visit(left);
    expect(tree.right[node]).toBe(afterLeft);
    return visit(afterLeft);
  };
  expect(visit(0)).toBe(tree.nodes);
  return leaves;
}

describe('buildCutTree', () => {
  it('partitions the rows by its cuts down to one distinct row per leaf', () => {
    const random = createRandom(3);
    const dim = 3;
    const rows = 200;
    const points = Float32Array.from({ length: rows * dim }, () => Math.round(random() * 1000));
    const before = new Set(
      Array.from({ length: rows }, (_, r) => points.subarray(r * 3, r * 3 + 3).join()),
    );
    const tree = buildCutTree({ points, rows, dim }, createRandom(4));
    const leaves = checkTree(tree, dim);
    expect(leaves).toHaveLength(before.size);
    expect(tree.nodes).toBe(2 * before.size - 1);
    expect(leaves.reduce((a, b) => a + b)).toBe(rows);
  });

  it('keeps duplicate rows together in one leaf, its mass their count', () => {
    const points = Float32Array.from([1, 1, 5, 5, 1, 1, 1, 1, 2, 9]);
    const tree = buildCutTree({ points, rows: 5, dim: 2 }, createRandom(1));
    expect(checkTree(tree, 2).sort()).toEqual([1, 1, 3]);
    expect(tree.nodes).toBe(5);
  });

  it('is a single leaf when every row is equal', () => {
    const tree = buildCutTree(
      { points: new Float32Array(8).fill(2), rows: 4, dim: 2 },
      createRandom(1),
    );
    expect(tree.nodes).toBe(1);
    expect(tree.cutDim[0]).toBe(-1);
    expect(tree.count[0]).toBe(4);
  });

  it('cuts a dimension with probability proportional to its range', () => {
    // x spans 1, y spans 3: the root cuts y in 3 of 4 trees.
    let y = 0;
    const trials = 4000;
    const random = createRandom(11);
    for (let i = 0; i < trials; i++) {
      const points = Float32Array.from([0, 0, 1, 3, 0.5, 1]);
      if (buildCutTree({ points, rows: 3, dim: 2 }, random).cutDim[0] === 1) y++;
    }
    expect(y / trials).toBeGreaterThan(0.72);
    expect(y / trials).toBeLessThan(0.78);
  });
});
