import { type AcceptType, packRows } from '../common/invocation.js';
import { RecordType, writeRecordIO } from '../data/index.js';
import type { PcaModel } from './model.js';

/** The response types SageMaker's PCA writes (it has no CSV response); JSON is the default. */
export const PCA_ACCEPT_TYPES = [
  'application/json',
  'application/jsonlines',
  'application/x-recordio-protobuf',
] as const satisfies readonly AcceptType[];
/** One of {@link PCA_ACCEPT_TYPES}. */
export type PcaAcceptType = (typeof PCA_ACCEPT_TYPES)[number];

/**
 * Each row's projection `(x − mean) · components` (without the mean when the model was trained
 * with subtract_mean=false), in SageMaker's order: the component of smallest variance first and
 * the largest last. Row-major, `rows × count`; rows must have the model's feature count.
 */
export function project(model: PcaModel, rows: readonly Float32Array[]): Float64Array {
  const { dim, count, mean, components, subtractMean } = model;
  const x = packRows(rows, dim);
  const out = new Float64Array(rows.length * count);
  const centered = new Float64Array(dim);
  for (let r = 0; r < rows.length; r++) {
    const at = r * dim;
    for (let j = 0; j < dim; j++) centered[j] = x[at + j]! - (subtractMean ? mean[j]! : 0);
    for (let i = 0; i < count; i++) {
      const c = i * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += centered[j]! * components[c + j]!;
      out[r * count + (count - 1 - i)] = s;
    }
  }
  return out;
}

/** Serializes projections in SageMaker PCA's response shape for the chosen type. */
export function formatProjections(
  projections: Float64Array,
  shape: { rows: number; count: number; accept: PcaAcceptType },
): Buffer {
  const { rows, count, accept } = shape;
  const row = (r: number): number[] => Array.from(projections.subarray(r * count, (r + 1) * count));
  switch (accept) {
    case 'application/json': {
      const items = Array.from({ length: rows }, (_, r) => ({ projection: row(r) }));
      return Buffer.from(JSON.stringify({ projections: items }));
    }
    case 'application/jsonlines':
      return Buffer.from(
        Array.from({ length: rows }, (_, r) => `${JSON.stringify({ projection: row(r) })}\n`).join(
          '',
        ),
      );
    case 'application/x-recordio-protobuf':
      // As SageMaker's PCA: the projection is a float32 tensor in each Record's label map.
      return writeRecordIO(
        Array.from({ length: rows }, (_, r) =>
          RecordType.encode({
            label: { projection: { float32_tensor: { values: row(r) } } },
          }).finish(),
        ),
      );
  }
}
