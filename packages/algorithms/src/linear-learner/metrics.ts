import type { QualityMetric } from '../common/log.js';
import type { LinearLearnerHyperparameters } from './hyperparameters.js';
import type { LinearFunction } from './linear-function.js';
import type { PreparedBatch } from './linear-model.js';
import { batchLoss } from './loss.js';
import type { Objective } from './objective.js';

/** How well one model does on one channel. */
export interface Evaluation {
  records: number;
  /** Mean (example-weighted) training objective; for regression in the label's own units². */
  objective: number;
  /** Fraction right: binary (score > 0.5) or multiclass (top score). */
  accuracy: number;
  /** Among the true label's `accuracy_top_k` best scores (multiclass). */
  topKAccuracy: number;
  precision: number;
  recall: number;
  /** F-beta with `f_beta` (binary). */
  fScore: number;
  /** Mean squared and absolute error in the label's units (regression). */
  mse: number;
  absoluteLoss: number;
}

/** SageMaker's name for each objective in `<channel> <name> <loss>=` lines. */
export const OBJECTIVE_METRIC: Record<Objective, string> = {
  logistic: 'binary_classification_cross_entropy_objective',
  softmax_loss: 'multiclass_cross_entropy_objective',
  squared_loss: 'mse_objective',
};

/** Accumulates one model's {@link Evaluation} over prepared batches. */
export class Evaluator {
  #records = 0;
  #loss = 0;
  #correct = 0;
  #topK = 0;
  #tp = 0;
  #fp = 0;
  #fn = 0;
  #squared = 0;
  #absolute = 0;
  /** Raw outputs of the current batch, grown to the largest batch seen. */
  #z = new Float64Array(0);

  constructor(
    readonly hp: LinearLearnerHyperparameters,
    /** The regression label's scale, to report errors in the label's units. */
    readonly labelScale: number,
  ) {}

  add(fn: LinearFunction, batch: PreparedBatch): void {
    const { loss: objective, accuracyTopK } = this.hp;
    const { outputs } = fn;
    const { rows, labels } = batch;
    if (this.#z.length < rows * outputs) this.#z = new Float64Array(rows * outputs);
    const z = this.#z;
    fn.forward(batch.x, rows, z);
    this.#loss += batchLoss(objective)({ z, outputs, labels, weights: batch.weights, rows });
    for (let r = 0; r < rows; r++) {
      const y = labels[r]!;
      if (objective === 'squared_loss') {
        const error = (z[r]! - y) * this.labelScale;
        this.#squared += error * error;
        this.#absolute += Math.abs(error);
      } else if (objective === 'logistic') {
        const predicted = z[r]! > 0 ? 1 : 0;
        if (predicted === y) this.#correct++;
        if (predicted === 1 && y === 1) this.#tp++;
        else if (predicted === 1) this.#fp++;
        else if (y === 1) this.#fn++;
      } else {
        const base = r * outputs;
        let above = 0;
        for (let o = 0; o < outputs; o++) if (z[base + o]! > z[base + y]!) above++;
        if (above === 0) this.#correct++;
        if (above < accuracyTopK) this.#topK++;
      }
    }
    this.#records += rows;
  }

  result(): Evaluation {
    const n = Math.max(this.#records, 1);
    const precision = ratio(this.#tp, this.#tp + this.#fp);
    const recall = ratio(this.#tp, this.#tp + this.#fn);
    const b2 = this.hp.fBeta * this.hp.fBeta;
    const scale = this.hp.loss === 'squared_loss' ? this.labelScale * this.labelScale : 1;
    return {
      records: this.#records,
      objective: (this.#loss / n) * scale,
      accuracy: this.#correct / n,
      topKAccuracy: this.#topK / n,
      precision,
      recall,
      fScore: ratio((1 + b2) * precision * recall, b2 * precision + recall),
      mse: this.#squared / n,
      absoluteLoss: this.#absolute / n,
    };
  }
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/** The `#quality_metric` values SageMaker's linear-learner reports for a channel. */
export function channelMetrics(
  channel: string,
  e: Evaluation,
  hp: LinearLearnerHyperparameters,
): QualityMetric[] {
  const metrics: QualityMetric[] = [
    { name: `${channel} ${OBJECTIVE_METRIC[hp.loss]}`, value: e.objective },
  ];
  const score = (name: string, value: number): QualityMetric => ({
    name: `${channel} ${name}`,
    value,
    kind: 'score',
  });
  switch (hp.predictorType) {
    case 'binary_classifier':
      metrics.push(
        score('binary_classification_accuracy', e.accuracy),
        score('precision', e.precision),
        score('recall', e.recall),
        score(`binary_f_${hp.fBeta.toFixed(3)}`, e.fScore),
      );
      break;
    case 'multiclass_classifier':
      metrics.push(
        score('multiclass_accuracy', e.accuracy),
        score(`multiclass_top_k_accuracy_${hp.accuracyTopK}`, e.topKAccuracy),
      );
      break;
    case 'regressor':
      metrics.push(
        { name: `${channel} mse`, value: e.mse },
        { name: `${channel} absolute_loss`, value: e.absoluteLoss },
      );
      break;
  }
  return metrics;
}
