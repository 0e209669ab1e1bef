import { HyperparameterError } from '../common/errors.js';

/** What the model predicts, SageMaker's `predictor_type`. */
export type PredictorType = 'binary_classifier' | 'multiclass_classifier' | 'regressor';

/** The training objectives Plinth implements, one per predictor type. */
export type Objective = 'logistic' | 'softmax_loss' | 'squared_loss';

// SageMaker's losses for each predictor type; the first is what `auto` picks and the only
// one Plinth implements.
const LOSSES: Record<PredictorType, readonly string[]> = {
  binary_classifier: ['logistic', 'hinge_loss'],
  multiclass_classifier: ['softmax_loss'],
  regressor: [
    'squared_loss',
    'absolute_loss',
    'eps_insensitive_squared_loss',
    'eps_insensitive_absolute_loss',
    'quantile_loss',
    'huber_loss',
  ],
};

/** Resolves `loss` for the predictor type, explaining what is unknown, misplaced or unsupported. */
export function resolveLoss(type: PredictorType, loss: string): Objective {
  const supported = LOSSES[type][0] as Objective;
  if (loss === 'auto' || loss === supported) return supported;
  const options = `use 'auto' or '${supported}'`;
  if (LOSSES[type].includes(loss))
    throw new HyperparameterError(
      `Hyperparameter loss='${loss}' is not supported by Plinth's linear-learner; for predictor_type=${type} ${options}.`,
    );
  if (Object.values(LOSSES).some((losses) => losses.includes(loss)))
    throw new HyperparameterError(
      `Hyperparameter loss='${loss}' does not apply to predictor_type=${type}; ${options}.`,
    );
  const all = ['auto', ...new Set(Object.values(LOSSES).flat())];
  throw new HyperparameterError(
    `Hyperparameter 'loss' must be one of ${all.map((l) => `'${l}'`).join(', ')}, got '${loss}'.`,
  );
}
