import type { Random } from '../common/random.js';
import type { LinearFunction } from './linear-function.js';
import {
  LinearModel,
  type ModelPlan,
  type PreparedBatch,
  type TrainingSettings,
} from './linear-model.js';
import { ThreadedModels } from './threaded-models.js';

/** The parallel models (`num_models`) of one fit, trained in one thread or several. */
export interface ModelGroup {
  /** Trains every model on one batch; adds model m's weighted loss sum into `losses[m]`. */
  step(batch: PreparedBatch, losses: Float64Array): void;
  /** Every model's current linear function, in plan order; valid until the next step. */
  functions(): readonly LinearFunction[];
  /** Ends the group's threads, if any. */
  close(): Promise<void>;
}

/** What a group is made of, and how many threads and batch rows it may use. */
export interface ModelGroupOptions {
  settings: TrainingSettings;
  plans: readonly ModelPlan[];
  random: Random;
  /** 1 trains in the calling thread; more needs the compiled package (the worker's file). */
  threads: number;
  /** The largest batch `step` will be given. */
  batchRows: number;
}

/**
 * Creates one model per plan, all in plan order from `random` so that the result does not depend
 * on the thread count, and spreads them over up to `threads` threads.
 */
export function createModelGroup(options: ModelGroupOptions): ModelGroup {
  const { settings, plans, random } = options;
  const models = plans.map((plan) => new LinearModel(settings, plan, random));
  const threads = Math.min(options.threads, models.length);
  if (threads > 1) return new ThreadedModels(models, { threads, batchRows: options.batchRows });
  const functions = models.map((model) => model.fn);
  return {
    step: (batch, losses) => models.forEach((model, m) => (losses[m]! += model.step(batch))),
    functions: () => functions,
    close: async () => undefined,
  };
}
