import type { QualityMetric } from '../common/log.js';
import type { PredictorType } from './hyperparameters.js';
import { sigmoid } from './kernel.js';

/** F-beta's beta for `binary_f_…`: SageMaker's FM reports F1. */
const F_BETA = 1;

/**
 * Accumulates the metrics SageMaker's FM reports over rows of raw outputs ŷ and labels:
 * for binary_classifier the accuracy and F1 at score ≥ 0.5 and the mean cross entropy (log
 * loss); for regressor the root mean squared error.
 */
export class FmMetrics {
  #rows = 0;
  #loss = 0;
  #correct = 0;
  #tp = 0;
  #fp = 0;
  #fn = 0;

  constructor(readonly predictorType: PredictorType) {}

  get rows(): number {
    return this.#rows;
  }

  add(outputs: Float64Array, labels: Float32Array, rows: number): void {
    if (this.predictorType === 'regressor') {
      for (let r = 0; r < rows; r++) {
        const error = outputs[r]! - labels[r]!;
        this.#loss += error * error;
      }
    } else {
      for (let r = 0; r < rows; r++) {
        const z = outputs[r]!;
        const y = labels[r]!;
        // log(1 + e^z) - y z, stable for any z.
        this.#loss += Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
        const predicted = sigmoid(z) >= 0.5 ? 1 : 0;
        if (predicted === y) this.#correct++;
        if (predicted === 1 && y === 1) this.#tp++;
        else if (predicted === 1) this.#fp++;
        else if (y === 1) this.#fn++;
      }
    }
    this.#rows += rows;
  }

  /** The `<channel> <metric>` values for `#quality_metric` lines, SageMaker's names. */
  report(channel: string): QualityMetric[] {
    const n = Math.max(this.#rows, 1);
    if (this.predictorType === 'regressor')
      return [{ name: `${channel} rmse`, value: Math.sqrt(this.#loss / n) }];
    const precision = ratio(this.#tp, this.#tp + this.#fp);
    const recall = ratio(this.#tp, this.#tp + this.#fn);
    const b2 = F_BETA * F_BETA;
    return [
      {
        name: `${channel} binary_classification_accuracy`,
        value: this.#correct / n,
        kind: 'score',
      },
      { name: `${channel} binary_classification_cross_entropy`, value: this.#loss / n },
      {
        name: `${channel} binary_f_${F_BETA.toFixed(3)}`,
        value: ratio((1 + b2) * precision * recall, b2 * precision + recall),
        kind: 'score',
      },
    ];
  }
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}
