import { type AcceptType, packRows } from '../common/invocation.js';
import { RecordType, writeRecordIO } from '../data/index.js';
import type { ForestScorer } from './forest-scorer.js';

/** Scores every row; rows must have the model's feature count. */
export function scoreRequest(
  scorer: ForestScorer,
  rows: readonly Float32Array[],
  dim: number,
): Float64Array {
  const scores = new Float64Array(rows.length);
  scorer.score(packRows(rows, dim), scores);
  return scores;
}

/**
 * Serializes anomaly scores in SageMaker RCF's response shapes: JSON
 * `{"scores":[{"score":0.02},…]}`, JSON Lines `{"score":0.02}` per record, CSV one score per
 * line, RecordIO records whose label map holds a float32 `score`.
 */
export function formatScores(scores: Float64Array, accept: AcceptType): Buffer {
  switch (accept) {
    case 'application/json':
      return Buffer.from(JSON.stringify({ scores: Array.from(scores, (score) => ({ score })) }));
    case 'application/jsonlines':
      return Buffer.from(Array.from(scores, (score) => `{"score":${score}}\n`).join(''));
    case 'text/csv':
      return Buffer.from(Array.from(scores, (score) => `${score}\n`).join(''));
    case 'application/x-recordio-protobuf':
      return writeRecordIO(
        Array.from(scores, (score) =>
          RecordType.encode({ label: { score: { float32_tensor: { values: [score] } } } }).finish(),
        ),
      );
  }
}
