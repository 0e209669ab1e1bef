import { JobConfigError } from '../common/errors.js';
import type { ChannelInput } from '../common/job-config.js';
import { DataFormatError, type FeatureBatch, parseContentType } from '../data/index.js';
import type { ForestScorer } from './forest-scorer.js';
import { type TestEvaluation, evaluateScores } from './metrics.js';

/** Fails before training when the test channel says it has no labels, which SageMaker requires. */
export function requireTestLabels(test: ChannelInput): void {
  const type = parseContentType(test.contentType);
  if (type.mediaType === 'text/csv' && type.params.label_size === '0')
    throw new JobConfigError(
      `The 'test' channel must be labelled (1 = anomaly, 0 = normal) to compute test metrics, but its content type is '${test.contentType}': use text/csv;label_size=1 with the label in the first column, or RecordIO-protobuf records with a label.`,
    );
}

/**
 * Scores the labelled test records and compares SageMaker's three-sigma labelling with the
 * given labels (each must be 0 or 1).
 */
export async function evaluateTestChannel(
  batches: AsyncIterable<FeatureBatch>,
  scorer: ForestScorer,
): Promise<TestEvaluation> {
  let scores = new Float64Array(1024);
  let labels = new Uint8Array(1024);
  let records = 0;
  for await (const batch of batches) {
    if (batch.labels === undefined)
      throw new DataFormatError(
        "The 'test' channel's records carry no label; RCF's test metrics need each record labelled 1 (anomaly) or 0 (normal).",
      );
    if (records + batch.rows > scores.length) {
      const size = Math.max(2 * scores.length, records + batch.rows);
      scores = grow(scores, new Float64Array(size));
      labels = grow(labels, new Uint8Array(size));
    }
    for (let r = 0; r < batch.rows; r++) {
      const label = batch.labels[r]!;
      if (label !== 0 && label !== 1)
        throw new DataFormatError(
          `Record ${records + r} of the 'test' channel has label ${label}; RCF's test labels must be 1 (anomaly) or 0 (normal).`,
        );
      labels[records + r] = label;
    }
    scorer.score(batch.features, scores.subarray(records, records + batch.rows));
    records += batch.rows;
  }
  if (records === 0) throw new DataFormatError("The 'test' channel has no records.");
  return evaluateScores(scores.subarray(0, records), labels.subarray(0, records));
}

function grow<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
