import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LinearFunction } from './linear-function.js';
import type { ModelPlan } from './linear-model.js';
import type { Objective, PredictorType } from './objective.js';
import type { Normalization } from './scaler.js';

/** The file a linear-learner model lives in under `model/`. */
export const MODEL_FILE = 'model.json';

const OBJECTIVES: Record<PredictorType, Objective> = {
  binary_classifier: 'logistic',
  multiclass_classifier: 'softmax_loss',
  regressor: 'squared_loss',
};

/**
 * Plinth's linear-learner model format. Weights apply to normalized features,
 * (x - feature_shift) / feature_scale; a regressor's output is then multiplied by label_scale
 * and shifted by label_shift.
 */
export interface LinearLearnerModelFile {
  format: 'plinth-linear-learner';
  version: 1;
  predictor_type: PredictorType;
  feature_dim: number;
  /** Classifiers only: 2 for binary. */
  num_classes?: number;
  /** One row of feature_dim weights per output (1, or num_classes for multiclass). */
  weights: number[][];
  bias: number[];
  normalization: {
    feature_shift: number[];
    feature_scale: number[];
    label_shift: number;
    label_scale: number;
  };
  /** Which parallel model was selected, and its settings (informational). */
  training?: { model: number; epoch: number; learning_rate: number; wd: number; l1: number };
}

/** A loaded model, ready to predict. */
export interface LinearLearnerModel {
  predictorType: PredictorType;
  objective: Objective;
  fn: LinearFunction;
  normalization: Normalization;
}

/** What {@link saveModel} writes: the model and how it was chosen. */
export interface SavedModel extends LinearLearnerModel {
  selected: { model: number; epoch: number; plan: ModelPlan };
}

/** Writes `<modelDir>/model.json`; returns its path. */
export async function saveModel(modelDir: string, model: SavedModel): Promise<string> {
  const { fn, normalization: n, selected } = model;
  const file: LinearLearnerModelFile = {
    format: 'plinth-linear-learner',
    version: 1,
    predictor_type: model.predictorType,
    feature_dim: fn.dim,
    ...(model.predictorType !== 'regressor' && { num_classes: Math.max(2, fn.outputs) }),
    weights: Array.from({ length: fn.outputs }, (_, o) =>
      Array.from(fn.weights.subarray(o * fn.dim, (o + 1) * fn.dim)),
    ),
    bias: Array.from(fn.bias),
    normalization: {
      feature_shift: Array.from(n.featureShift),
      feature_scale: Array.from(n.featureScale),
      label_shift: n.labelShift,
      label_scale: n.labelScale,
    },
    training: {
      model: selected.model,
      epoch: selected.epoch,
      learning_rate: selected.plan.learningRate,
      wd: selected.plan.wd,
      l1: selected.plan.l1,
    },
  };
  const path = join(modelDir, MODEL_FILE);
  await writeFile(path, `${JSON.stringify(file)}\n`);
  return path;
}

/** Reads and checks `<modelDir>/model.json`; throws a message naming what is wrong. */
export async function loadModel(modelDir: string): Promise<LinearLearnerModel> {
  const path = join(modelDir, MODEL_FILE);
  const file = JSON.parse(await readFile(path, 'utf8')) as Partial<LinearLearnerModelFile>;
  if (file.format !== 'plinth-linear-learner' || file.version !== 1)
    throw new Error(
      `${path} is not a Plinth linear-learner model (format plinth-linear-learner, version 1)`,
    );
  const type = file.predictor_type;
  if (type === undefined || !(type in OBJECTIVES))
    throw new Error(`${path}: predictor_type must be one of ${Object.keys(OBJECTIVES).join(', ')}`);
  const dim = file.feature_dim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1)
    throw new Error(`${path}: feature_dim must be a positive integer`);
  const outputs = type === 'multiclass_classifier' ? (file.num_classes ?? 0) : 1;
  const n = file.normalization;
  const fn = new LinearFunction(dim, outputs);
  if (!Array.isArray(file.weights) || file.weights.length !== outputs || outputs < 1)
    throw new Error(`${path}: weights must hold ${outputs || 'num_classes'} rows`);
  file.weights.forEach((row, o) =>
    fn.weights.set(numbers(row, { path, what: 'weights row', length: dim }), o * dim),
  );
  fn.bias.set(numbers(file.bias, { path, what: 'bias', length: outputs }));
  if (n === undefined || typeof n.label_shift !== 'number' || typeof n.label_scale !== 'number')
    throw new Error(
      `${path}: normalization must have feature_shift, feature_scale, label_shift and label_scale`,
    );
  return {
    predictorType: type,
    objective: OBJECTIVES[type],
    fn,
    normalization: {
      featureShift: Float64Array.from(
        numbers(n.feature_shift, { path, what: 'feature_shift', length: dim }),
      ),
      featureScale: Float64Array.from(
        numbers(n.feature_scale, { path, what: 'feature_scale', length: dim }),
      ),
      labelShift: n.label_shift,
      labelScale: n.label_scale,
    },
  };
}

function numbers(value: unknown, expect: { path: string; what: string; length: number }): number[] {
  if (
    !Array.isArray(value) ||
    value.length !== expect.length ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v))
  )
    throw new Error(`${expect.path}: ${expect.what} must be ${expect.length} finite numbers`);
  return value as number[];
}
