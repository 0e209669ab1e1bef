import type { GroupRates } from './hyperparameters.js';

/** {@link KernelState.slotOf} for a feature not in the batch, and for one seen once so far. */
const UNSEEN = -1;
const ONCE = -2;

/** Adam's moment decay rates (MXNet's defaults; SageMaker's FM exposes no hyperparameter). */
export const BETA1 = 0.9;
export const BETA2 = 0.999;

/** What a training step needs to know besides the data: loss, optimizer settings, sizes. */
export interface KernelSettings {
  numFactors: number;
  /** Logistic loss (binary_classifier); otherwise squared loss (regressor). */
  logistic: boolean;
  rescaleGrad: number;
  /** Gradient clipping bound; Infinity when clip_gradient is not set. */
  clipGradient: number;
  eps: number;
  bias: GroupRates;
  linear: GroupRates;
  factors: GroupRates;
}

/**
 * Floats per feature in {@link KernelState.table}: its linear weight and factors (k + 1 values,
 * the weight first), then their first moments, then their second moments.
 */
export function tableStride(numFactors: number): number {
  return 3 * (numFactors + 1);
}

/**
 * What training updates, shared by every thread. A feature's weights and Adam moments sit
 * together in one row of `table` (see {@link tableStride}), so a step on a feature touches one
 * contiguous block of memory rather than six scattered ones: on wide data the step is bound by
 * memory, not arithmetic.
 */
export interface KernelState {
  numFactors: number;
  table: Float32Array;
  /** The global bias w0 (read by every thread, written by the calling thread). */
  bias: Float32Array;
  /** The bias's first and second moments (the calling thread alone updates the bias). */
  biasMoments: Float64Array;
  /**
   * Per feature, during a step's update: its gradient slot in the owning thread when it occurs
   * more than once in the batch; otherwise -1 (absent) or -2 (once). All -1 between steps.
   */
  slotOf: Int32Array;
}

/** The mini-batch being trained on (CSR with labels) and what the forward pass leaves for the update. */
export interface KernelBatch {
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  labels: Float32Array;
  /** The model's raw output ŷ per row. */
  outputs: Float64Array;
  /** d loss / d ŷ per row, times rescale_grad. */
  dloss: Float64Array;
  /** Per row, Σ_i v_i x_i (numFactors values), which the factor gradients reuse. */
  sums: Float64Array;
}

/**
 * One thread's share of a factorization machine's training step, in two phases the caller runs
 * on every thread with a barrier between them: {@link forwardRows} computes ŷ by Rendle's
 * identity (O(nnz · k)) and the loss gradient for a range of rows; {@link updateColumns}
 * accumulates the gradients of the features this thread owns (`feature % parts === part`) over
 * the whole batch, in record order, and applies lazy Adam to those features only. Each feature's
 * arithmetic is the same whichever thread owns it, so any thread count gives the same model.
 */
export class FmKernel {
  batch: KernelBatch;
  readonly #settings: KernelSettings;
  readonly #state: KernelState;
  /** This thread's features in the batch. */
  #touched: Int32Array = new Int32Array(1024);
  /** Those that occur more than once, by gradient slot. */
  #multiple: Int32Array = new Int32Array(1024);
  /** Per slot, the summed gradient of the feature's weight then of its k factors. */
  #grads: Float64Array;
  /** The gradient of a feature that occurs once. */
  readonly #single: Float64Array;
  #linearLr = 0;
  #factorsLr = 0;

  constructor(settings: KernelSettings, shared: { state: KernelState; batch: KernelBatch }) {
    this.#settings = settings;
    this.#state = shared.state;
    this.batch = shared.batch;
    this.#grads = new Float64Array(1024 * (settings.numFactors + 1));
    this.#single = new Float64Array(settings.numFactors + 1);
  }

  forwardRows(lo: number, hi: number): void {
    const k = this.#settings.numFactors;
    const stride = tableStride(k);
    const { logistic, rescaleGrad } = this.#settings;
    const { offsets, indices, values, labels, outputs, dloss, sums } = this.batch;
    const { table } = this.#state;
    const bias = this.#state.bias[0]!;
    for (let r = lo; r < hi; r++) {
      const sb = r * k;
      for (let f = 0; f < k; f++) sums[sb + f] = 0;
      let y = bias;
      let squares = 0;
      const end = offsets[r + 1]!;
      for (let p = offsets[r]!; p < end; p++) {
        const x = values[p]!;
        const base = indices[p]! * stride;
        y += table[base]! * x;
        const vb = base + 1;
        for (let f = 0; f < k; f++) {
          const t = table[vb + f]! * x;
          sums[sb + f]! += t;
          squares += t * t;
        }
      }
      let total = 0;
      for (let f = 0; f < k; f++) total += sums[sb + f]! * sums[sb + f]!;
      y += 0.5 * (total - squares);
      outputs[r] = y;
      const label = labels[r]!;
      dloss[r] = rescaleGrad * (logistic ? sigmoid(y) - label : y - label);
    }
  }

  /** Applies the bias's gradient, the sum of `dloss` over the rows; `step` counts from 1. */
  updateBias(rows: number, step: number): void {
    const { clipGradient: clip, eps, bias: rates } = this.#settings;
    const { dloss } = this.batch;
    const { bias } = this.#state;
    const moments = this.#state.biasMoments;
    let g = 0;
    for (let r = 0; r < rows; r++) g += dloss[r]!;
    g = (g > clip ? clip : g < -clip ? -clip : g) + rates.wd * bias[0]!;
    const m = BETA1 * moments[0]! + (1 - BETA1) * g;
    const v = BETA2 * moments[1]! + (1 - BETA2) * g * g;
    moments[0] = m;
    moments[1] = v;
    const lr = (rates.lr * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step);
    bias[0] = bias[0]! - (lr * m) / (Math.sqrt(v) + eps);
  }

  /** Accumulates and applies the gradients of this thread's features; `step` counts from 1. */
  updateColumns(rows: number, at: { part: number; parts: number; step: number }): void {
    const { part, parts, step } = at;
    const k = this.#settings.numFactors;
    const k1 = k + 1;
    const stride = tableStride(k);
    const { offsets, indices, values, dloss, sums } = this.batch;
    const { slotOf, table } = this.#state;
    const entries = offsets[rows]!;
    this.#reserve(entries);
    const touched = this.#touched;
    const multiple = this.#multiple;
    const grads = this.#grads;
    const single = this.#single;
    // Which of this thread's features occur once in the batch, and which need their gradient summed.
    let n = 0;
    let slots = 0;
    for (let p = 0; p < entries; p++) {
      const i = indices[p]!;
      if (parts > 1 && i % parts !== part) continue;
      const mark = slotOf[i]!;
      if (mark === UNSEEN) {
        slotOf[i] = ONCE;
        touched[n++] = i;
      } else if (mark === ONCE) {
        const gb = slots * k1;
        for (let f = 0; f < k1; f++) grads[gb + f] = 0;
        multiple[slots] = i;
        slotOf[i] = slots++;
      }
    }
    this.#rates(step);
    // In record order: a feature seen once is updated at once, the others' gradients summed.
    for (let r = 0; r < rows; r++) {
      const g = dloss[r]!;
      const sb = r * k;
      const end = offsets[r + 1]!;
      for (let p = offsets[r]!; p < end; p++) {
        const i = indices[p]!;
        if (parts > 1 && i % parts !== part) continue;
        const mark = slotOf[i]!;
        const x = values[p]!;
        const gx = g * x;
        const vb = i * stride + 1;
        if (mark === ONCE) {
          single[0] = gx;
          for (let f = 0; f < k; f++) single[1 + f] = gx * (sums[sb + f]! - table[vb + f]! * x);
          this.#adam(i, single, 0);
        } else {
          const gb = mark * k1;
          grads[gb]! += gx;
          for (let f = 0; f < k; f++)
            grads[gb + 1 + f]! += gx * (sums[sb + f]! - table[vb + f]! * x);
        }
      }
    }
    for (let s = 0; s < slots; s++) this.#adam(multiple[s]!, grads, s * k1);
    for (let s = 0; s < n; s++) slotOf[touched[s]!] = UNSEEN;
  }

  /** This step's bias-corrected learning rates (MXNet's Adam folds the correction into the rate). */
  #rates(step: number): void {
    const correction = Math.sqrt(1 - BETA2 ** step) / (1 - BETA1 ** step);
    this.#linearLr = this.#settings.linear.lr * correction;
    this.#factorsLr = this.#settings.factors.lr * correction;
  }

  /** Adam on feature i's weight and factors, their gradient at `grads[at .. at + k]`. */
  #adam(i: number, grads: Float64Array, at: number): void {
    const k1 = this.#settings.numFactors + 1;
    const { clipGradient: clip, eps } = this.#settings;
    const { table } = this.#state;
    const w = i * tableStride(k1 - 1);
    const m = w + k1;
    const v = m + k1;
    const clipping = clip !== Infinity;
    let lr = this.#linearLr;
    let wd = this.#settings.linear.wd;
    for (let f = 0; f < k1; f++) {
      if (f === 1) {
        lr = this.#factorsLr;
        wd = this.#settings.factors.wd;
      }
      const pf = table[w + f]!;
      let gf = grads[at + f]!;
      if (clipping) gf = gf > clip ? clip : gf < -clip ? -clip : gf;
      gf += wd * pf;
      const mf = BETA1 * table[m + f]! + (1 - BETA1) * gf;
      const vf = BETA2 * table[v + f]! + (1 - BETA2) * gf * gf;
      table[m + f] = mf;
      table[v + f] = vf;
      table[w + f] = pf - (lr * mf) / (Math.sqrt(vf) + eps);
    }
  }

  /** Room for one slot per stored entry, the most a batch can touch. */
  #reserve(entries: number): void {
    if (entries <= this.#touched.length) return;
    const size = Math.max(entries, 2 * this.#touched.length);
    this.#touched = new Int32Array(size);
    this.#multiple = new Int32Array(size);
    this.#grads = new Float64Array(size * (this.#settings.numFactors + 1));
  }
}

/** The logistic function, computed without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
