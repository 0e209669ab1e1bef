import type { Random } from '../common/random.js';
import type { BatchSource } from '../data/batch-cache.js';
import type { LinearLearnerHyperparameters } from './hyperparameters.js';
import type { LinearFunction } from './linear-function.js';
import type { ModelPlan, TrainingSettings } from './linear-model.js';
import { type Evaluation, Evaluator } from './metrics.js';
import { type ModelGroup, createModelGroup } from './model-group.js';
import type { BatchPreparer } from './prepare.js';

export type { BatchSource } from '../data/batch-cache.js';

/** Everything a fit needs; train.ts builds it from the job, tests build it by hand. */
export interface FitSetup {
  hp: LinearLearnerHyperparameters;
  train: BatchSource;
  validation?: BatchSource;
  preparer: BatchPreparer;
  settings: TrainingSettings;
  /** One per parallel model. */
  plans: readonly ModelPlan[];
  random: Random;
  /** Threads to train the parallel models in; more than 1 needs the compiled package. Default 1. */
  threads?: number;
}

/** How one model did in one epoch. */
export interface Candidate {
  model: number;
  epoch: number;
  /** Mean objective over the epoch's training batches, as they were trained on. */
  trainObjective: number;
  validation?: Evaluation;
}

/** What the fit reports as it goes. */
export interface FitEvents {
  info(message: string): void;
  /** The epoch's best model (0-based epoch, as SageMaker numbers them). */
  epoch(best: Candidate): void;
}

/** The selected model: the best (model, epoch) seen, with its parameters at that epoch. */
export interface FitResult extends Candidate {
  fn: LinearFunction;
  plan: ModelPlan;
  /** How the selection was made, e.g. `validation binary_classification_accuracy`. */
  selectedOn: string;
}

/**
 * Trains all parallel models in the same passes over the training data, evaluates each on the
 * validation channel after every epoch, keeps the best (model, epoch), and stops early when
 * the monitored loss stops improving.
 */
export async function fitLinearLearner(setup: FitSetup, events: FitEvents): Promise<FitResult> {
  const { hp, settings, plans } = setup;
  const group = createModelGroup({
    settings,
    plans,
    random: setup.random,
    threads: setup.threads ?? 1,
    batchRows: hp.miniBatchSize,
  });
  try {
    return await fitGroup(setup, { group, events });
  } finally {
    await group.close();
  }
}

async function fitGroup(
  setup: FitSetup,
  context: { group: ModelGroup; events: FitEvents },
): Promise<FitResult> {
  const { hp, preparer, plans } = setup;
  const { group, events } = context;
  const labelScale = preparer.context.normalization.labelScale;
  const lossScale = hp.loss === 'squared_loss' ? labelScale * labelScale : 1;
  const selectedOn = selectionName(hp, setup.validation !== undefined);
  let best: FitResult | undefined;
  let monitored = Infinity;
  let stale = 0;
  for (let epoch = 0; epoch < hp.epochs; epoch++) {
    const losses = new Float64Array(plans.length);
    let rows = 0;
    for await (const batch of setup.train()) {
      group.step(preparer.prepare(batch, 'train'), losses);
      rows += batch.rows;
    }
    if (rows === 0) throw new RangeError("The 'train' channel holds no records.");
    const functions = group.functions();
    const evaluations = setup.validation && (await evaluate(functions, setup, labelScale));
    const candidates: Candidate[] = plans.map((_, m) => ({
      model: m,
      epoch,
      trainObjective: (losses[m]! / rows) * lossScale,
      ...(evaluations && { validation: evaluations[m]! }),
    }));
    const epochBest = candidates.reduce((a, b) => (isBetter(b, a, hp) ? b : a));
    events.epoch(epochBest);
    if (best === undefined || isBetter(epochBest, best, hp)) {
      const fn = functions[epochBest.model]!.copy();
      best = { ...epochBest, fn, plan: plans[epochBest.model]!, selectedOn };
    }
    // A diverged model's loss is NaN; it neither improves nor blocks improvement.
    const current = candidates
      .map((c) => c.validation?.objective ?? c.trainObjective)
      .reduce((a, b) => (lower(b, a) ? b : a), NaN);
    const threshold = monitored - hp.earlyStoppingTolerance * Math.abs(monitored);
    if (monitored === Infinity ? !Number.isNaN(current) : current < threshold) {
      monitored = current;
      stale = 0;
    } else if (++stale >= hp.earlyStoppingPatience && epoch + 1 < hp.epochs) {
      events.info(
        `Early stopping after epoch ${epoch}: the ${setup.validation ? 'validation' : 'training'} loss improved by less than early_stopping_tolerance=${hp.earlyStoppingTolerance} for ${stale} epochs.`,
      );
      break;
    }
  }
  if (best === undefined) throw new RangeError('epochs must be at least 1');
  return best;
}

async function evaluate(
  functions: readonly LinearFunction[],
  setup: FitSetup,
  labelScale: number,
): Promise<Evaluation[]> {
  const evaluators = functions.map(() => new Evaluator(setup.hp, labelScale));
  for await (const batch of setup.validation!()) {
    const prepared = setup.preparer.prepare(batch, 'validation');
    functions.forEach((fn, m) => evaluators[m]!.add(fn, prepared));
  }
  return evaluators.map((e) => e.result());
}

/** Classifiers are chosen on validation accuracy (ties: lower loss); otherwise on loss. */
function byAccuracy(hp: LinearLearnerHyperparameters, validation: boolean): boolean {
  return (
    validation && hp.predictorType !== 'regressor' && hp.selectionCriterion !== 'loss_function'
  );
}

function selectionName(hp: LinearLearnerHyperparameters, validation: boolean): string {
  if (byAccuracy(hp, validation))
    return hp.predictorType === 'binary_classifier'
      ? 'validation binary_classification_accuracy'
      : 'validation multiclass_accuracy';
  return validation ? 'validation objective loss' : 'train objective loss';
}

/** Whether `a` beats `b` under the model selection rule. */
export function isBetter(a: Candidate, b: Candidate, hp: LinearLearnerHyperparameters): boolean {
  if (a.validation && b.validation) {
    if (byAccuracy(hp, true) && a.validation.accuracy !== b.validation.accuracy)
      return a.validation.accuracy > b.validation.accuracy;
    return lower(a.validation.objective, b.validation.objective);
  }
  return lower(a.trainObjective, b.trainObjective);
}

/** a < b, where NaN (a diverged model) loses to any number. */
function lower(a: number, b: number): boolean {
  return Number.isNaN(b) ? !Number.isNaN(a) : a < b;
}
