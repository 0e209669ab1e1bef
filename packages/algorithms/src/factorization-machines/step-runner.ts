import type { SparseBatch } from '../data/sparse-batch.js';
import type { FmHyperparameters } from './hyperparameters.js';
import {
  FmKernel,
  type KernelBatch,
  type KernelSettings,
  type KernelState,
  tableStride,
} from './kernel.js';
import { type FmWeights, allocateFloats } from './weights.js';

/** A mini-batch with a label per row. */
export type LabelledBatch = SparseBatch & { labels: Float32Array };

/** Trains the weights one mini-batch at a time, in this thread or spread over worker threads. */
export interface StepRunner {
  /** One optimizer step on the batch; returns ŷ per row before the step (valid until the next). */
  step(batch: LabelledBatch): Float64Array;
  close(): Promise<void>;
}

/** The kernel's view of the hyperparameters. */
export function kernelSettings(hp: FmHyperparameters): KernelSettings {
  return {
    numFactors: hp.numFactors,
    logistic: hp.predictorType === 'binary_classifier',
    rescaleGrad: hp.rescaleGrad,
    clipGradient: hp.clipGradient ?? Infinity,
    eps: hp.eps,
    bias: { lr: hp.bias.lr, wd: hp.bias.wd },
    linear: { lr: hp.linear.lr, wd: hp.linear.wd },
    factors: { lr: hp.factors.lr, wd: hp.factors.wd },
  };
}

/**
 * A zeroed kernel state for weights of that shape, in shared memory when worker threads will
 * train it too; {@link copyIntoState} then sets the weights.
 */
export function createKernelState(weights: FmWeights, shared: boolean): KernelState {
  const { featureDim: d, numFactors: k } = weights;
  const table = allocateFloats(d * tableStride(k), shared);
  const slotOf = shared ? new Int32Array(new SharedArrayBuffer(4 * d)) : new Int32Array(d);
  slotOf.fill(-1);
  const bias = allocateFloats(1, shared);
  return { numFactors: k, table, bias, biasMoments: new Float64Array(2), slotOf };
}

/** Puts the weights into the state's table (Adam's moments stay as they are). */
export function copyIntoState(weights: FmWeights, state: KernelState): void {
  const { featureDim: d, numFactors: k } = weights;
  const stride = tableStride(k);
  const { table } = state;
  state.bias[0] = weights.bias[0]!;
  for (let i = 0; i < d; i++) {
    table[i * stride] = weights.linear[i]!;
    table.set(weights.factors.subarray(i * k, (i + 1) * k), i * stride + 1);
  }
}

/** The weights the state holds now, copied out of its table into `into`. */
export function copyWeights(state: KernelState, into: FmWeights): FmWeights {
  const { featureDim: d, numFactors: k } = into;
  const stride = tableStride(k);
  const { table } = state;
  into.bias[0] = state.bias[0]!;
  for (let i = 0; i < d; i++) {
    into.linear[i] = table[i * stride]!;
    into.factors.set(table.subarray(i * stride + 1, i * stride + 1 + k), i * k);
  }
  return into;
}

/** Scratch arrays of a kernel batch for up to `rows` rows, over the given CSR arrays. */
export function kernelBatch(
  csr: Pick<KernelBatch, 'offsets' | 'indices' | 'values' | 'labels'>,
  size: { rows: number; numFactors: number },
): KernelBatch {
  return {
    ...csr,
    outputs: new Float64Array(size.rows),
    dloss: new Float64Array(size.rows),
    sums: new Float64Array(size.rows * size.numFactors),
  };
}

/** Every step in the calling thread. */
export class LocalStepRunner implements StepRunner {
  readonly #kernel: FmKernel;
  readonly #numFactors: number;
  #step = 0;

  constructor(settings: KernelSettings, state: KernelState) {
    this.#numFactors = settings.numFactors;
    const empty = { offsets: new Int32Array(1), indices: new Int32Array(0) };
    const csr = { ...empty, values: new Float32Array(0), labels: new Float32Array(0) };
    this.#kernel = new FmKernel(settings, {
      state,
      batch: kernelBatch(csr, { rows: 0, numFactors: settings.numFactors }),
    });
  }

  step(batch: LabelledBatch): Float64Array {
    const kernel = this.#kernel;
    const { rows } = batch;
    const scratch =
      kernel.batch.outputs.length >= rows
        ? kernel.batch
        : kernelBatch(kernel.batch, { rows, numFactors: this.#numFactors });
    const { offsets, indices, values, labels } = batch;
    kernel.batch = { ...scratch, offsets, indices, values, labels };
    const step = ++this.#step;
    kernel.forwardRows(0, rows);
    kernel.updateBias(rows, step);
    kernel.updateColumns(rows, { part: 0, parts: 1, step });
    return kernel.batch.outputs;
  }

  async close(): Promise<void> {}
}
