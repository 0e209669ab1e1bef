import { DataFormatError } from '../data/index.js';
import type { GradientSpec, PointwiseObjective } from './gradients.js';
import type { Objective, XGBoostHyperparameters } from './hyperparameters.js';
import type { EvalTransform } from './pointwise-metrics.js';

/** How training treats an objective: gradients, the margin link and the metrics' transform. */
export interface ObjectiveSetup {
  /** Pointwise gradients; undefined for rank:pairwise (computed per query group). */
  gradients?: GradientSpec;
  /** Output groups: num_class for multi-class, else 1. */
  groups: number;
  /** The starting margin for base_score (xgboost's `ProbToMargin`), float32. */
  baseMargin: number;
  transform: EvalTransform;
}

const KIND: Partial<Record<Objective, PointwiseObjective>> = {
  'reg:squarederror': 'squarederror',
  'reg:linear': 'squarederror',
  'reg:logistic': 'logistic',
  'binary:logistic': 'logistic',
  'binary:logitraw': 'logitraw',
  'binary:hinge': 'hinge',
  'multi:softmax': 'softmax',
  'multi:softprob': 'softmax',
  'count:poisson': 'poisson',
  'reg:gamma': 'gamma',
  'reg:tweedie': 'tweedie',
  'reg:pseudohubererror': 'pseudohuber',
  'reg:squaredlogerror': 'squaredlog',
};

/** The objective's training setup from the hyperparameters. */
export function objectiveSetup(hp: XGBoostHyperparameters): ObjectiveSetup {
  const kind = KIND[hp.objective];
  const groups = hp.numClass > 0 ? hp.numClass : 1;
  const f32 = Math.fround;
  const score = f32(hp.baseScore);
  let baseMargin = score;
  let transform: EvalTransform = 'identity';
  if (kind === 'logistic') {
    baseMargin = f32(-Math.log(1 / score - 1));
    transform = 'sigmoid';
  } else if (kind === 'poisson' || kind === 'gamma' || kind === 'tweedie') {
    baseMargin = f32(Math.log(score));
    transform = 'exp';
  } else if (kind === 'hinge') transform = 'hinge';
  else if (kind === 'softmax') transform = 'softmax';
  return {
    ...(kind && {
      gradients: {
        kind,
        groups,
        scalePosWeight: hp.scalePosWeight,
        poissonMaxDeltaStep: hp.maxDeltaStepGiven ? hp.maxDeltaStep : 0.7,
        tweedieVariancePower: hp.tweedieVariancePower,
        huberSlope: 1,
      },
    }),
    groups,
    baseMargin,
    transform,
  };
}

/** Checks the labels as xgboost does for the objective, naming the channel and the row. */
export function checkLabels(
  hp: XGBoostHyperparameters,
  labels: Float32Array,
  channel: string,
): void {
  const rule = labelRule(hp);
  if (!rule) return;
  for (let r = 0; r < labels.length; r++)
    if (!rule.valid(labels[r]!))
      throw new DataFormatError(
        `The '${channel}' channel's row ${r + 1} has label ${labels[r]}, but objective '${hp.objective}' needs ${rule.text}.`,
      );
}

function labelRule(
  hp: XGBoostHyperparameters,
): { valid: (y: number) => boolean; text: string } | undefined {
  switch (hp.objective) {
    case 'reg:logistic':
    case 'binary:logistic':
    case 'binary:logitraw':
      return {
        valid: (y) => y >= 0 && y <= 1,
        text: 'labels in [0, 1] (label must be in [0,1] for logistic regression)',
      };
    case 'binary:hinge':
      return { valid: (y) => y === 0 || y === 1, text: 'labels 0 or 1' };
    case 'multi:softmax':
    case 'multi:softprob':
      return {
        valid: (y) => Number.isInteger(y) && y >= 0 && y < hp.numClass,
        text: `integer labels in [0, num_class) = [0, ${hp.numClass})`,
      };
    case 'count:poisson':
    case 'reg:tweedie':
      return { valid: (y) => y >= 0, text: 'non-negative labels' };
    case 'reg:gamma':
      return { valid: (y) => y > 0, text: 'positive labels' };
    case 'reg:squaredlogerror':
      return { valid: (y) => y > -1, text: 'labels greater than -1' };
    case 'rank:pairwise':
      return { valid: (y) => y >= 0, text: 'non-negative relevance labels' };
    case 'reg:squarederror':
    case 'reg:linear':
    case 'reg:pseudohubererror':
      return undefined;
  }
}
