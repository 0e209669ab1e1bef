import type { Random } from '../common/random.js';
import type { LinearLearnerHyperparameters } from './hyperparameters.js';
import type { ModelPlan, TrainingSettings } from './linear-model.js';

/**
 * The seed every linear-learner run uses (initial weights and the spread of parallel models);
 * SageMaker has no seed hyperparameter, and a fixed one makes runs reproducible.
 */
export const LINEAR_LEARNER_SEED = 0x11ea4;

/** Models `num_models=auto` trains, as many as SageMaker's logs show it training. */
export const AUTO_NUM_MODELS = 32;

/** `learning_rate=auto` for the first model, by optimizer. */
export const AUTO_LEARNING_RATE = { adam: 0.01, sgd: 0.1 } as const;

// `auto` learning-rate scheduler: a gentle decay every 100 updates.
const AUTO_SCHEDULER = { step: 100, factor: 0.99, minimum: 1e-5 };

/**
 * The parallel models' learning rate and regularization. As SageMaker documents, the first
 * model uses the given values; the others use close ones (x10^±0.5), or, where a value is
 * `auto`, a wider spread: learning rate x10^±1, wd 0 or 1e-6..1e-2, l1 mostly 0 or 1e-6..1e-3.
 */
export function planModels(hp: LinearLearnerHyperparameters, random: Random): ModelPlan[] {
  const count = hp.numModels === 'auto' ? AUTO_NUM_MODELS : hp.numModels;
  const base = hp.learningRate === 'auto' ? AUTO_LEARNING_RATE[hp.optimizer] : hp.learningRate;
  const spread = (low: number, high: number): number => Math.pow(10, low + (high - low) * random());
  const plans: ModelPlan[] = [
    { learningRate: base, wd: hp.wd === 'auto' ? 0 : hp.wd, l1: hp.l1 === 'auto' ? 0 : hp.l1 },
  ];
  for (let i = 1; i < count; i++)
    plans.push({
      learningRate: base * (hp.learningRate === 'auto' ? spread(-1, 1) : spread(-0.5, 0.5)),
      wd: hp.wd === 'auto' ? (random() < 0.5 ? 0 : spread(-6, -2)) : hp.wd * spread(-0.5, 0.5),
      l1: hp.l1 === 'auto' ? (random() < 0.75 ? 0 : spread(-6, -3)) : hp.l1 * spread(-0.5, 0.5),
    });
  return plans;
}

/** What every parallel model shares, with `auto` values resolved. */
export function trainingSettings(hp: LinearLearnerHyperparameters, dim: number): TrainingSettings {
  const auto = <T>(value: T | 'auto', fallback: T): T => (value === 'auto' ? fallback : value);
  return {
    optimizer: hp.optimizer,
    momentum: hp.momentum,
    beta1: hp.beta1,
    beta2: hp.beta2,
    objective: hp.loss,
    dim,
    outputs: hp.predictorType === 'multiclass_classifier' ? hp.numClasses : 1,
    useBias: hp.useBias,
    biasLrMult: hp.biasLrMult,
    biasWdMult: hp.biasWdMult,
    ...(hp.useLrScheduler && {
      scheduler: {
        step: auto(hp.lrSchedulerStep, AUTO_SCHEDULER.step),
        factor: auto(hp.lrSchedulerFactor, AUTO_SCHEDULER.factor),
        minimum: auto(hp.lrSchedulerMinimumLr, AUTO_SCHEDULER.minimum),
      },
    }),
    init: {
      method: hp.initMethod,
      scale: hp.initScale,
      sigma: hp.initSigma,
      bias: hp.initBias,
    },
  };
}
