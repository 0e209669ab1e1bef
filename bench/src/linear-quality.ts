import { readCsvBatches } from '@plinth/algorithms';
import { loadModel } from '@plinth/algorithms/linear-learner/model';
import { normalizeRows } from '@plinth/algorithms/linear-learner/prepare';
import { rocAuc } from './roc-auc.js';

/** A binary classifier's figures on held-out data. */
export interface HeldOutQuality {
  /** Fraction right, predicting 1 when the probability is above 0.5. */
  readonly accuracy: number;
  readonly auc: number;
  readonly rows: number;
  /** Rows labelled 1. */
  readonly positives: number;
}

/**
 * Scores the binary linear-learner model in `modelDir` on a held-out CSV file (label first) as
 * Plinth's serving code does: normalize, then the linear function. Both sides' models go through
 * this one function, so their figures are comparable.
 */
export async function heldOutQuality(modelDir: string, csv: string): Promise<HeldOutQuality> {
  const { fn, normalization } = await loadModel(modelDir);
  const scores: number[] = [];
  const labels: number[] = [];
  let x = new Float64Array(0);
  for await (const batch of readCsvBatches(csv, { labelColumns: 1, batchSize: 10_000 })) {
    if (x.length < batch.features.length) x = new Float64Array(batch.features.length);
    normalizeRows(batch.features, normalization, x.subarray(0, batch.features.length));
    for (let r = 0; r < batch.rows; r++) {
      scores.push(fn.outputsAt(x, r)[0]!); // the logit: ranks and thresholds like the probability
      labels.push(batch.labels![r]!);
    }
  }
  let correct = 0;
  for (const [i, z] of scores.entries()) if ((z > 0 ? 1 : 0) === labels[i]) correct++;
  return {
    accuracy: correct / scores.length,
    auc: rocAuc(Float64Array.from(scores), Uint8Array.from(labels)),
    rows: scores.length,
    positives: labels.filter((y) => y === 1).length,
  };
}
