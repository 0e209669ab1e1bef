import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { type BoostResult, boost } from './boost.js';
import { parseHyperparameters } from './hyperparameters.js';
import { objectiveSetup } from './objective-setup.js';
import { channel } from './test-channel.js';
import type { ChannelData } from './training-data.js';

async function train(
  hyperparameters: Record<string, string>,
  data: { train: ChannelData; validation?: ChannelData },
): Promise<{ result: BoostResult; lines: string[]; logs: string[] }> {
  const hp = parseHyperparameters(hyperparameters);
  const lines: string[] = [];
  const logs: string[] = [];
  const result = await boost({
    hp,
    setup: objectiveSetup(hp),
    ...data,
    threads: 1,
    print: (line) => lines.push(line),
    log: (message) => logs.push(message),
  });
  return { result, lines, logs };
}

describe('boost', () => {
  it('grows the split and leaf values worked out by hand', async () => {
    // Squared error from base_score 0.5: g = 0.5 - y, h = 1. The best split puts {1, 2, 3}
    // left (G = 1.5, H = 3) and {4, 5, 6} right (G = -1.5, H = 3): loss change
    // 1.5²/(3+1) + 1.5²/(3+1) - 0 = 1.125, leaves -G/(H + lambda) = -/+0.375 (eta 1).
    const x = [[1], [2], [3], [4], [5], [6]];
    const { result } = await train(
      { num_round: '1', eta: '1', max_depth: '1', min_child_weight: '0' },
      { train: channel(x, [0, 0, 0, 1, 1, 1]) },
    );
    const tree = result.trees[0]!;
    expect(tree.size).toBe(3);
    expect(tree.feature[0]).toBe(0);
    // Cut points are the distinct values above the smallest: x < 4 goes left.
    expect(tree.value[0]).toBe(4);
    expect(tree.lossChg[0]).toBeCloseTo(1.125, 6);
    expect(tree.value[1]).toBeCloseTo(-0.375, 6);
    expect(tree.value[2]).toBeCloseTo(0.375, 6);
    expect(tree.sumHess).toEqual([6, 3, 3]);
    expect(tree.defaultLeft[0]).toBe(false);
  });

  it('applies lambda, alpha, gamma, min_child_weight and max_delta_step as xgboost does', async () => {
    const x = [[1], [2], [3], [4], [5], [6]];
    const y = [0, 0, 0, 1, 1, 1];
    const leaves = async (extra: Record<string, string>) =>
      (
        await train(
          { num_round: '1', eta: '1', max_depth: '1', ...extra },
          { train: channel(x, y) },
        )
      ).result.trees[0]!;
    // lambda 2: -1.5 / (3 + 2) = -0.3.
    expect((await leaves({ lambda: '2', min_child_weight: '0' })).value[1]).toBeCloseTo(-0.3, 6);
    // alpha 1: soft threshold |G| - 1 = 0.5: -0.5 / (3 + 1) = -0.125.
    expect((await leaves({ alpha: '1', min_child_weight: '0' })).value[1]).toBeCloseTo(-0.125, 6);
    // max_delta_step 0.2 clamps the leaf weight.
    expect((await leaves({ max_delta_step: '0.2', min_child_weight: '0' })).value[1]).toBeCloseTo(
      -0.2,
      6,
    );
    // gamma above the loss change (1.125) leaves the root unsplit, at -G/(H + lambda) = 0.
    expect((await leaves({ gamma: '1.2', min_child_weight: '0' })).size).toBe(1);
    // min_child_weight 4: no side of any split has hessian 4.
    expect((await leaves({ min_child_weight: '4' })).size).toBe(1);
  });

  it('learns where missing values go, by both scans', async () => {
    const x = [[1], [2], [3], [NaN], [NaN], [6]];
    const hp = { num_round: '1', eta: '1', max_depth: '1', min_child_weight: '0' };
    // Missing rows are positives like 6: the forward scan (missing right) splits at x < 6.
    const right = (await train(hp, { train: channel(x, [0, 0, 0, 1, 1, 1]) })).result.trees[0]!;
    expect(right.value[0]).toBe(6);
    expect(right.defaultLeft[0]).toBe(false);
    expect(right.lossChg[0]).toBeCloseTo(1.125, 6);
    // Missing rows are positives like 1 and 2: only the backward scan (missing left) finds
    // {1, 2, NaN, NaN} | {3, 6}: G = -2, H = 4 and G = 1, H = 2, loss change
    // 4/5 + 1/3 - 1/7.
    const left = (await train(hp, { train: channel(x, [1, 1, 0, 1, 1, 0]) })).result.trees[0]!;
    expect(left.value[0]).toBe(3);
    expect(left.defaultLeft[0]).toBe(true);
    expect(left.lossChg[0]).toBeCloseTo(4 / 5 + 1 / 3 - 1 / 7, 5);
    expect(left.value[1]).toBeCloseTo(0.4, 6);
    expect(left.value[2]).toBeCloseTo(-1 / 3, 6);
  });

  it('prints each round as xgboost does and matches an independently computed logloss', async () => {
    const random = createRandom(5);
    // float32 values, as the channel stores them, so the recomputation takes the same branches.
    const rows = Array.from({ length: 300 }, () => [
      Math.fround(random() * 4),
      Math.fround(random()),
    ]);
    const labels = rows.map(([a, b]) => (a! + b! + random() > 2.5 ? 1 : 0));
    const { result, lines } = await train(
      { num_round: '3', objective: 'binary:logistic', eval_metric: 'logloss,error' },
      {
        train: channel(rows, labels),
        validation: channel(rows.slice(0, 100), labels.slice(0, 100)),
      },
    );
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\[0\]#011train-logloss:\d\.\d{5}#011train-error:\d\.\d{5}#011validation-logloss:\d\.\d{5}#011validation-error:\d\.\d{5}$/,
    );
    // Recompute round 2's training logloss from the trees.
    const margin = (row: number[]) =>
      result.trees.reduce((m, tree) => {
        let n = 0;
        while (tree.left[n] !== -1)
          n = row[tree.feature[n]!]! < tree.value[n]! ? tree.left[n]! : tree.right[n]!;
        return m + tree.value[n]!;
      }, 0);
    let loss = 0;
    rows.forEach((row, r) => {
      const p = 1 / (1 + Math.exp(-margin(row)));
      loss -= labels[r] === 1 ? Math.log(p) : Math.log(1 - p);
    });
    const printed = Number(/train-logloss:([\d.]+)/.exec(lines[2]!)![1]);
    expect(printed).toBeCloseTo(loss / rows.length, 4);
  });

  it('stops early on the last metric of the validation channel and keeps rounds up to the best', async () => {
    const random = createRandom(9);
    const rows = Array.from({ length: 400 }, () => [random(), random()]);
    const labels = rows.map(() => (random() < 0.5 ? 1 : 0));
    const { result, lines, logs } = await train(
      {
        num_round: '60',
        objective: 'binary:logistic',
        eval_metric: 'error,logloss',
        early_stopping_rounds: '3',
        eta: '0.5',
      },
      {
        train: channel(rows.slice(0, 300), labels.slice(0, 300)),
        validation: channel(rows.slice(300), labels.slice(300)),
      },
    );
    expect(result.stoppedEarly).toBe(true);
    // Pure noise: validation logloss rises quickly; training stops 3 rounds after the best.
    expect(lines.length).toBe(result.rounds + 3);
    const losses = lines.map((l) => Number(/validation-logloss:([\d.]+)/.exec(l)![1]));
    const best = losses.indexOf(Math.min(...losses));
    expect(result.rounds).toBe(best + 1);
    expect(result.trees).toHaveLength(best + 1);
    expect(logs.join('\n')).toMatch(
      /Stopping early: validation-logloss has not improved for 3 rounds/,
    );
  });

  it('grows one tree per class per round for multi:softprob, round-robin over classes', async () => {
    const random = createRandom(3);
    const rows = Array.from({ length: 150 }, () => [random() * 3]);
    const labels = rows.map(([v]) => Math.floor(v!));
    const { result, lines } = await train(
      {
        num_round: '4',
        objective: 'multi:softprob',
        num_class: '3',
        eval_metric: 'merror,mlogloss',
      },
      { train: channel(rows, labels) },
    );
    expect(result.trees).toHaveLength(12);
    expect(result.treeInfo).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    // The classes are thresholds of the one feature: the error reaches 0.
    expect(lines[3]).toMatch(/train-merror:0\.00000/);
  });

  it('is reproducible with subsample and colsample from the seed', async () => {
    const random = createRandom(11);
    const rows = Array.from({ length: 200 }, () => [random(), random(), random()]);
    const labels = rows.map(([a, b]) => a! + b!);
    const hp = {
      num_round: '3',
      subsample: '0.6',
      colsample_bytree: '0.7',
      colsample_bynode: '0.5',
      seed: '4',
    };
    const one = await train(hp, { train: channel(rows, labels) });
    const two = await train(hp, { train: channel(rows, labels) });
    expect(two.result.trees.map((t) => t.value)).toEqual(one.result.trees.map((t) => t.value));
    const other = await train({ ...hp, seed: '5' }, { train: channel(rows, labels) });
    expect(other.result.trees.map((t) => t.value)).not.toEqual(
      one.result.trees.map((t) => t.value),
    );
  });
});
