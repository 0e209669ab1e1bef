import { type GradientSpec, computeGradients } from './gradients.js';
import type { ShardArrays } from './shard-arrays.js';
import type { HistKernels } from './wasm/hist-kernels.js';
import { LossMode, SCRATCH } from './wasm/logistic-kernel.js';

/** A shard's rows for the gradient pass: `[from, from + count)`, and whether labels are 0/1. */
export interface LogisticRows {
  from: number;
  count: number;
  binaryLabels: boolean;
}

/** The WebAssembly kernel's summing mode for the fused metrics; undefined when it has none. */
function lossMode(thresholds: Float64Array | undefined, binary: boolean): LossMode | undefined {
  if (thresholds === undefined) return LossMode.None;
  if (thresholds.length !== 1) return undefined;
  if (!Number.isNaN(thresholds[0])) return LossMode.Error;
  return binary ? LossMode.Logloss01 : LossMode.Logloss;
}

/**
 * binary:logistic's gradient pass in WebAssembly, four rows at a time, with its training
 * logloss or error summed into `sums[0..1]`; the last rows (and their sums) in JavaScript.
 * Returns false (doing nothing) when the kernel cannot take the order: another objective,
 * several classes, or several fused metrics.
 */
export function logisticPass(
  kernels: HistKernels,
  a: ShardArrays,
  order: { spec: GradientSpec; thresholds?: Float64Array | undefined; rows: LogisticRows },
): boolean {
  const { spec, thresholds, rows } = order;
  const mode = lossMode(thresholds, rows.binaryLabels);
  if (spec.kind !== 'logistic' || a.groups !== 1 || mode === undefined) return false;
  const { from, count } = rows;
  const simd = count & ~3;
  const at = a.layout;
  const scratch = new DataView(a.tables.buffer, a.scratchAt, SCRATCH.bytes);
  scratch.setFloat32(SCRATCH.scalePosWeight, spec.scalePosWeight, true);
  scratch.setFloat32(SCRATCH.threshold, thresholds?.[0] ?? 0, true);
  kernels.logistic(
    at.margins + 4 * from,
    at.labels + 4 * from,
    at.weights >= 0 ? at.weights + 4 * from : 0,
    at.gradients + 8 * from,
    simd,
    a.scratchAt,
    mode,
  );
  const tail = thresholds && { thresholds, out: new Float64Array(4) };
  const arrays = {
    margins: a.margins,
    labels: a.labels,
    weights: a.weights,
    gradients: a.gradients,
  };
  computeGradients(spec, arrays, { from: from + simd, to: from + count, fused: tail });
  if (!tail) return true;
  a.sums[0] = scratch.getFloat64(SCRATCH.loss, true) + tail.out[0]!;
  const weight = at.weights >= 0 ? scratch.getFloat64(SCRATCH.weight, true) : simd;
  a.sums[1] = weight + tail.out[1]!;
  return true;
}
