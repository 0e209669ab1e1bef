import type { ModelPlan, TrainingSettings } from './linear-model.js';

/** Slots of a worker's control array (Int32Array over a SharedArrayBuffer). */
export const COMMAND = 0;
export const ROWS = 1;
/** Raised by the caller for every order. */
export const SEQUENCE = 2;
/** Set by the worker to the sequence number it has carried out, or {@link FAILED}. */
export const DONE = 3;
export const FAILED = -1;

/** What the caller asks of a model worker. */
export enum Command {
  /** Train every model on the shared batch's first `ROWS` rows; write their losses. */
  Step = 1,
  /** Write every model's weights and bias to the shared parameters. */
  Publish = 2,
  Stop = 3,
}

/** A model worker's start-up data: its models and the shared memory it works in. */
export interface ModelWorkerData {
  settings: TrainingSettings;
  plans: ModelPlan[];
  /** Each model's initial weights and bias, as the caller drew them. */
  initial: { weights: Float64Array; bias: Float64Array }[];
  batch: { x: SharedArrayBuffer; labels: SharedArrayBuffer; weights: SharedArrayBuffer };
  control: SharedArrayBuffer;
  losses: SharedArrayBuffer;
  params: SharedArrayBuffer;
  /** A failure's message, UTF-8. */
  message: SharedArrayBuffer;
}

/** Shared memory for one prepared batch of up to `rows` rows, and views over it. */
export function sharedBatch(
  rows: number,
  dim: number,
): {
  buffers: ModelWorkerData['batch'];
  views: { x: Float64Array; labels: Float64Array; weights: Float64Array };
} {
  const buffers = {
    x: new SharedArrayBuffer(8 * rows * dim),
    labels: new SharedArrayBuffer(8 * rows),
    weights: new SharedArrayBuffer(8 * rows),
  };
  return { buffers, views: viewsOf(buffers) };
}

/** Float64 views over a shared batch's buffers. */
export function viewsOf(buffers: ModelWorkerData['batch']): {
  x: Float64Array;
  labels: Float64Array;
  weights: Float64Array;
} {
  return {
    x: new Float64Array(buffers.x),
    labels: new Float64Array(buffers.labels),
    weights: new Float64Array(buffers.weights),
  };
}
