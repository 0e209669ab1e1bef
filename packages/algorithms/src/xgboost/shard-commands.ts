import type { EvalTransform } from './pointwise-metrics.js';
import type { FeatureCuts } from './quantile-cuts.js';
import type { RowShard } from './row-shard.js';
import {
  Command,
  type Payload,
  readGradients,
  readMetrics,
  readThresholds,
  readSplit,
  readTree,
} from './shard-protocol.js';

/** A thread's shard and what its binning needs (the raw training features, dropped after). */
export interface ShardContext {
  shard: RowShard;
  cuts: FeatureCuts;
  features?: Float32Array | undefined;
}

const TRANSFORMS: readonly EvalTransform[] = ['identity', 'sigmoid', 'exp', 'softmax', 'hinge'];

/** The transform's number in a metrics order. */
export function transformIndex(transform: EvalTransform): number {
  return TRANSFORMS.indexOf(transform);
}

/** Carries out one order on a shard; the same code runs in the workers and the calling thread. */
export function execute(ctx: ShardContext, command: Command, p: Payload): void {
  const { shard } = ctx;
  switch (command) {
    case Command.Bin:
      shard.bin(ctx.features!, ctx.cuts);
      ctx.features = undefined;
      return;
    case Command.Gradients:
      return shard.gradients(readGradients(p), readThresholds(p));
    case Command.StartTree:
      return shard.startTree(p.ints[0]!, { ratio: p.reals[0]!, seed: p.ints[1]! });
    case Command.Split: {
      const { group, splits, builds } = readSplit(p);
      return shard.split(splits, builds, group);
    }
    case Command.FinishTree: {
      const { group, tree } = readTree(p);
      return shard.finishTree(tree, group);
    }
    case Command.Metrics: {
      const { transform, orders, train } = readMetrics(p);
      return shard.metrics(orders, TRANSFORMS[transform]!, { train });
    }
    case Command.Resize:
    case Command.Stop:
      return;
  }
}
