import { createRandom } from '../common/random.js';
import { binCodeBytes, histogramLayout } from './bin-matrix.js';
import { ColumnSampler } from './column-sampler.js';
import { EarlyStopping } from './early-stopping.js';
import { isMaximized } from './eval-metric-names.js';
import type { GrownTree } from './grown-tree.js';
import type { XGBoostHyperparameters } from './hyperparameters.js';
import type { ObjectiveSetup } from './objective-setup.js';
import { type MetricOrder, POINTWISE_METRICS } from './pointwise-metrics.js';
import { computeCuts } from './quantile-cuts.js';
import { pairwiseGradients, queryGroups } from './ranking-gradients.js';
import { RoundMetrics } from './round-metrics.js';
import { rowHash } from './row-shard.js';
import { ShardPool } from './shard-pool.js';
import { TreeGrower } from './tree-grower.js';
import type { ChannelData } from './training-data.js';
import {
  type SharedTraining,
  allocateTraining,
  rowViews,
  sharedFloats,
} from './training-buffers.js';

/** What boosting needs: hyperparameters, the objective's setup, the data and the threads. */
export interface BoostInput {
  hp: XGBoostHyperparameters;
  setup: ObjectiveSetup;
  train: ChannelData;
  validation?: ChannelData | undefined;
  threads: number;
  /** Writes a round's metric line as it is (xgboost prints them without a prefix). */
  print: (line: string) => void;
  log: (message: string) => void;
}

/** The trained trees, each tree's output group, and the rounds kept. */
export interface BoostResult {
  trees: GrownTree[];
  treeInfo: number[];
  /** Rounds in the model (after early stopping, up to the best round). */
  rounds: number;
  stoppedEarly: boolean;
}

/**
 * Gradient boosting with xgboost's `hist` tree method: bins the features, then each round
 * computes gradients, grows `num_parallel_tree` trees per output group on them, updates the
 * training and validation margins, prints the round's metrics and checks early stopping.
 */
export async function boost(input: BoostInput): Promise<BoostResult> {
  const { hp, setup, train, validation } = input;
  const started = performance.now();
  const cuts = computeCuts(train.features, train, hp.maxBin);
  const layout = histogramLayout(cuts);
  const training = sharedTraining(input, { codeBytes: binCodeBytes(layout), slots: layout.slots });
  const pool = await ShardPool.create({
    training,
    features: train.features,
    cuts,
    threads: input.threads,
  });
  try {
    pool.bin();
    const bins = layout.slots - layout.dim;
    input.log(
      `Binned the features into ${bins} bins (max_bin=${hp.maxBin}) in ${((performance.now() - started) / 1000).toFixed(2)} s on ${input.threads} thread(s)`,
    );
    const grower = new TreeGrower({
      source: pool,
      layout,
      cuts,
      params: {
        ...hp,
        eta: hp.eta / hp.numParallelTree,
        // xgboost 1.7 gives count:poisson max_delta_step 0.7 for its trees too, unless given.
        maxDeltaStep:
          hp.objective === 'count:poisson' && !hp.maxDeltaStepGiven ? 0.7 : hp.maxDeltaStep,
      },
      columns: new ColumnSampler(
        train.dim,
        { bytree: hp.colsampleBytree, bylevel: hp.colsampleBylevel, bynode: hp.colsampleBynode },
        createRandom(hp.seed ^ 0x5bd1e995),
      ),
    });
    const { margins, gradients: gh } = rowViews(training);
    const trainGroups = queryGroups(train.rows, train.qids, 'train');
    const metrics = new RoundMetrics({
      hp,
      setup,
      channels: [
        {
          name: 'train',
          margins,
          labels: train.labels,
          weights: train.weights,
          queryGroups: trainGroups,
        },
        ...(validation && training.validation
          ? [
              {
                name: 'validation' as const,
                margins: new Float32Array(training.validation.margins),
                labels: validation.labels,
                weights: validation.weights,
                queryGroups: queryGroups(validation.rows, validation.qids, 'validation'),
              },
            ]
          : []),
      ],
      sums: (orders, transform) => {
        // Binary logistic: the next round's gradient pass sums the training logloss/error too.
        const fused = fusedThresholds(setup, orders);
        if (fused) {
          pool.gradients(setup.gradients!, fused);
          gradientsReady = true;
        }
        pool.metrics(orders, transform, !fused);
        return pool.totals(orders.length);
      },
    });
    const stopping =
      validation && hp.earlyStoppingRounds !== undefined
        ? new EarlyStopping(hp.earlyStoppingRounds, isMaximized(hp.stoppingMetric))
        : undefined;
    const watched = metrics.specs.findIndex((m) => m.name === hp.stoppingMetric.name);
    let gradientsReady = false;
    const rankRandom = createRandom(hp.seed);
    const trees: GrownTree[] = [];
    const treeInfo: number[] = [];
    for (let round = 0; round < hp.numRound; round++) {
      if (gradientsReady) gradientsReady = false;
      else if (setup.gradients) pool.gradients(setup.gradients);
      else
        pairwiseGradients({ margins, labels: train.labels, groups: trainGroups }, gh, rankRandom);
      for (let group = 0; group < setup.groups; group++)
        for (let p = 0; p < hp.numParallelTree; p++) {
          const seed = rowHash(hp.seed, trees.length) | 0;
          const tree = grower.grow(group, { ratio: hp.subsample, seed });
          pool.finishTree(group, tree.toArrays(layout));
          trees.push(tree);
          treeInfo.push(group);
        }
      const values = metrics.evaluate();
      input.print(metrics.line(round, values));
      if (stopping?.update(round, values[1]![watched]!)) {
        const best = stopping.bestRound;
        input.log(
          `Stopping early: validation-${hp.stoppingMetric.name} has not improved for ${hp.earlyStoppingRounds} rounds. Best iteration: ${best}, validation-${hp.stoppingMetric.name}: ${stopping.bestScore}. The model keeps rounds 0 to ${best}.`,
        );
        const kept = (best + 1) * setup.groups * hp.numParallelTree;
        return {
          trees: trees.slice(0, kept),
          treeInfo: treeInfo.slice(0, kept),
          rounds: best + 1,
          stoppedEarly: true,
        };
      }
    }
    return { trees, treeInfo, rounds: hp.numRound, stoppedEarly: false };
  } finally {
    await pool.close();
  }
}

/**
 * The thresholds (NaN: logloss) when every pointwise metric can be summed in the logistic
 * gradient pass, else undefined.
 */
function fusedThresholds(
  setup: ObjectiveSetup,
  orders: readonly MetricOrder[],
): number[] | undefined {
  if (setup.gradients?.kind !== 'logistic' || setup.groups !== 1) return undefined;
  const logloss = POINTWISE_METRICS.indexOf('logloss');
  const error = POINTWISE_METRICS.indexOf('error');
  if (!orders.every((o) => o.metric === logloss || o.metric === error)) return undefined;
  return orders.map((o) => (o.metric === logloss ? NaN : o.param));
}

/** Bytes of node histograms each thread may hold at once (a level is built in chunks). */
const HIST_BYTES = 8 << 20;

/** Level tables in shared memory: enough for depth-14 trees; larger ones use JS kernels. */
const MAX_TABLE = 1 << 15;

/** The data in shared memory, margins starting at base_score's margin. */
function sharedTraining(
  input: BoostInput,
  shape: { codeBytes: 2 | 4; slots: number },
): SharedTraining {
  const { train, validation, setup, hp, threads } = input;
  const groups = setup.groups;
  const nodes =
    hp.growPolicy === 'depthwise' && hp.maxLeaves === 0
      ? 2 ** (hp.maxDepth + 1)
      : 2 * (hp.maxLeaves || 2 ** hp.maxDepth) + 1;
  const t = allocateTraining({
    rows: train.rows,
    dim: train.dim,
    groups,
    codeBytes: shape.codeBytes,
    weighted: train.weights !== undefined,
    slots: shape.slots,
    capacity: Math.max(1, Math.min(1024, Math.floor(HIST_BYTES / (16 * shape.slots)))),
    tableSize: Math.min(MAX_TABLE, nodes + 1),
    threads,
  });
  const views = rowViews(t);
  views.labels.set(train.labels);
  if (train.weights) views.weights!.set(train.weights);
  views.margins.fill(setup.baseMargin);
  const buffer = (a: Float32Array | undefined) => a?.buffer as SharedArrayBuffer | undefined;
  return {
    ...t,
    validation: validation && {
      rows: validation.rows,
      features: buffer(validation.features)!,
      labels: buffer(validation.labels)!,
      weights: buffer(validation.weights),
      margins: buffer(sharedFloats(validation.rows * groups).fill(setup.baseMargin))!,
    },
  };
}
