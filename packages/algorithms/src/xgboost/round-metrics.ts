import { CLASS_METRICS, classMetric, r2Score } from './class-metrics.js';
import type { MetricSpec } from './eval-metric-names.js';
import type { XGBoostHyperparameters } from './hyperparameters.js';
import type { ObjectiveSetup } from './objective-setup.js';
import {
  type EvalTransform,
  type MetricOrder,
  POINTWISE_METRICS,
  type PointwiseMetric,
  finishMetric,
} from './pointwise-metrics.js';
import { type RankedMetric, rankedMetric } from './ranked-metrics.js';

/** One evaluated channel: its margins, labels, weights and query groups. */
export interface EvalChannel {
  name: 'train' | 'validation';
  margins: Float32Array;
  labels: Float32Array;
  weights?: Float32Array | undefined;
  queryGroups: Int32Array;
}

/** Sums pointwise metrics over every row of both channels (the row shards do it in parallel). */
export type PointwiseSums = (
  orders: readonly MetricOrder[],
  transform: EvalTransform,
) => Float64Array;

/**
 * The metrics printed after each round, on the training channel then the validation channel,
 * in `eval_metric` order: pointwise ones summed by the row shards, the others (auc, aucpr, map,
 * ndcg, r2 and SageMaker's classification scores) computed here from the margins.
 */
export class RoundMetrics {
  readonly specs: readonly MetricSpec[];
  readonly #setup: ObjectiveSetup;
  readonly #channels: EvalChannel[];
  readonly #sums: PointwiseSums;
  readonly #orders: MetricOrder[] = [];
  /** Per spec: its index among the pointwise orders, or -1. */
  readonly #pointwise: number[];

  constructor(options: {
    hp: XGBoostHyperparameters;
    setup: ObjectiveSetup;
    channels: EvalChannel[];
    sums: PointwiseSums;
  }) {
    const { hp } = options;
    this.specs = hp.evalMetrics;
    this.#setup = options.setup;
    this.#channels = options.channels;
    this.#sums = options.sums;
    this.#pointwise = this.specs.map((spec) => {
      const id = POINTWISE_METRICS.indexOf(spec.base as PointwiseMetric);
      if (id === -1) return -1;
      this.#orders.push({ metric: id, param: pointwiseParam(spec, hp) });
      return this.#orders.length - 1;
    });
  }

  /** Each channel's values, in spec order. */
  evaluate(): number[][] {
    const sums =
      this.#orders.length > 0 ? this.#sums(this.#orders, this.#setup.transform) : undefined;
    return this.#channels.map((channel, c) => {
      let predictions: Float32Array | undefined;
      return this.specs.map((spec, i) => {
        const at = this.#pointwise[i]!;
        if (at >= 0)
          return finishMetric(
            spec.base as PointwiseMetric,
            sums![4 * at + 2 * c]!,
            sums![4 * at + 2 * c + 1]!,
          );
        predictions ??= this.#predictions(channel);
        return this.#other(spec, channel, predictions);
      });
    });
  }

  /** xgboost's evaluation line: `[3]#011train-auc:0.81234#011validation-auc:0.79000`. */
  line(round: number, values: number[][]): string {
    let out = `[${round}]`;
    this.#channels.forEach((channel, c) =>
      this.specs.forEach(
        (spec, i) => (out += `#011${channel.name}-${spec.name}:${formatValue(values[c]![i]!)}`),
      ),
    );
    return out;
  }

  #other(spec: MetricSpec, channel: EvalChannel, predictions: Float32Array): number {
    if (spec.base === 'r2') return r2Score(predictions, channel.labels);
    const cls = CLASS_METRICS.find((m) => m === spec.base);
    if (cls) return classMetric(cls, { ...channel, predictions, groups: this.#setup.groups });
    return rankedMetric(
      { base: spec.base as RankedMetric['base'], param: spec.param, minus: spec.minus },
      {
        predictions,
        labels: channel.labels,
        weights: channel.weights,
        groups: channel.queryGroups,
      },
    );
  }

  /** One prediction per row: the transformed margin (the first class's for multi-class). */
  #predictions(channel: EvalChannel): Float32Array {
    const groups = this.#setup.groups;
    const out = new Float32Array(channel.labels.length);
    for (let r = 0; r < out.length; r++) {
      const m = channel.margins[r * groups]!;
      switch (this.#setup.transform) {
        case 'sigmoid':
          out[r] = 1 / (1 + Math.exp(-m));
          break;
        case 'exp':
          out[r] = Math.exp(m);
          break;
        case 'hinge':
          out[r] = m > 0 ? 1 : 0;
          break;
        case 'identity':
        case 'softmax':
          out[r] = m;
      }
    }
    return out;
  }
}

function pointwiseParam(spec: MetricSpec, hp: XGBoostHyperparameters): number {
  switch (spec.base) {
    case 'error':
      return spec.param ?? 0.5;
    case 'mphe':
      return 1;
    case 'tweedie-nloglik':
      return hp.tweedieVariancePower;
    default:
      return 0;
  }
}

/** Python's `f"{x:.5f}"` (as xgboost's EvaluationMonitor prints scores). */
export function formatValue(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toFixed(5);
}
