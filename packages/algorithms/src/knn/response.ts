import { type AcceptType, InvocationError } from '../common/invocation.js';
import { RecordType, parseContentType, writeRecordIO } from '../data/index.js';
import type { Predictions } from './predict.js';

/**
 * Whether an Accept header asks for SageMaker k-NN's verbose answer (`verbose=true` on the
 * chosen type, e.g. `application/json; verbose=true`); any other verbose value is a 406.
 */
export function wantsVerbose(header: string | undefined, accept: AcceptType): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const type = parseContentType(part);
    const verbose = type.params.verbose;
    if (verbose === undefined) continue;
    if (type.mediaType !== accept && type.mediaType !== '*/*') continue;
    const value = verbose.toLowerCase();
    if (value !== 'true' && value !== 'false')
      throw new InvocationError(
        406,
        `Accept parameter verbose must be 'true' or 'false', got '${verbose}'.`,
      );
    if (value === 'true' && accept === 'text/csv')
      throw new InvocationError(
        406,
        'verbose=true is available for application/json, application/jsonlines and application/x-recordio-protobuf, not text/csv.',
      );
    return value === 'true';
  }
  return false;
}

/**
 * Serializes predictions in SageMaker k-NN's response shapes: `{"predictions": [{"predicted_label":
 * 0}]}` (verbose adds `distances` and `labels`, nearest first), one such object per JSON line,
 * one label per CSV line, or RecordIO records with float32 tensors in each Record's `label` map.
 */
export function formatPredictions(
  p: Predictions,
  options: { accept: AcceptType; verbose: boolean },
): Buffer {
  const { accept, verbose } = options;
  const item = (q: number): Record<string, number | number[]> => {
    const out: Record<string, number | number[]> = { predicted_label: short(p.predicted[q]!) };
    if (verbose) {
      out.distances = Array.from(p.distances.subarray(q * p.k, (q + 1) * p.k), short);
      out.labels = Array.from(p.labels.subarray(q * p.k, (q + 1) * p.k), short);
    }
    return out;
  };
  const all = Array.from({ length: p.count }, (_, q) => q);
  switch (accept) {
    case 'application/json':
      return Buffer.from(JSON.stringify({ predictions: all.map(item) }));
    case 'application/jsonlines':
      return Buffer.from(all.map((q) => `${JSON.stringify(item(q))}\n`).join(''));
    case 'text/csv':
      return Buffer.from(all.map((q) => `${short(p.predicted[q]!)}\n`).join(''));
    case 'application/x-recordio-protobuf':
      return writeRecordIO(
        all.map((q) => {
          const tensor = (values: ArrayLike<number>): object => ({
            float32_tensor: { values: Array.from(values) },
          });
          const label: Record<string, object> = { predicted_label: tensor([p.predicted[q]!]) };
          if (verbose) {
            label.distances = tensor(p.distances.subarray(q * p.k, (q + 1) * p.k));
            label.labels = tensor(p.labels.subarray(q * p.k, (q + 1) * p.k));
          }
          return RecordType.encode({ label }).finish();
        }),
      );
  }
}

/** The shortest decimal that is still the same float32 (`0.1`, not `0.10000000149011612`). */
function short(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  for (let digits = 1; digits < 10; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
