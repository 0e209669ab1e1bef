import type { Random } from '../common/random.js';
import { LinearFunction } from './linear-function.js';
import { type BatchLoss, batchLoss } from './loss.js';
import type { Objective } from './objective.js';
import { type OptimizerSettings, type Update, createUpdate } from './optimizer.js';

/** A mini-batch ready for every model: normalized features, labels and per-row weights. */
export interface PreparedBatch {
  /** Row-major normalized features. */
  x: Float64Array;
  /** 0/1, a class index, or the normalized regression target. */
  labels: Float64Array;
  /** Example weights (class balancing); 1 by default. */
  weights: Float64Array;
  rows: number;
}

/** What differs between the models trained in parallel (`num_models`). */
export interface ModelPlan {
  learningRate: number;
  wd: number;
  l1: number;
}

/** What all parallel models share. */
export interface TrainingSettings extends OptimizerSettings {
  objective: Objective;
  dim: number;
  outputs: number;
  useBias: boolean;
  biasLrMult: number;
  biasWdMult: number;
  /** Multiply the learning rate by `factor` every `step` updates, not going below `minimum`. */
  scheduler?: { step: number; factor: number; minimum: number };
  init: { method: 'uniform' | 'normal'; scale: number; sigma: number; bias: number };
}

/** One linear model trained by mini-batch SGD or Adam with L1 and L2 regularization. */
export class LinearModel {
  readonly fn: LinearFunction;
  #lr: number;
  #updates = 0;
  readonly #gradW: Float64Array;
  readonly #gradB: Float64Array;
  /** Raw outputs and their loss gradients for a batch, grown to the largest batch seen. */
  #z = new Float64Array(0);
  #dz = new Float64Array(0);
  readonly #loss: BatchLoss;
  readonly #updateW: Update;
  readonly #updateB: Update;

  constructor(
    readonly settings: TrainingSettings,
    readonly plan: ModelPlan,
    random: Random,
  ) {
    const { dim, outputs, init } = settings;
    this.fn = new LinearFunction(dim, outputs);
    const weights = this.fn.weights;
    for (let i = 0; i < weights.length; i++)
      weights[i] =
        init.method === 'uniform'
          ? (2 * random() - 1) * init.scale
          : init.sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    if (settings.useBias) this.fn.bias.fill(init.bias);
    this.#lr = plan.learningRate;
    this.#gradW = new Float64Array(dim * outputs);
    this.#gradB = new Float64Array(outputs);
    this.#loss = batchLoss(settings.objective);
    this.#updateW = createUpdate(settings, dim * outputs);
    this.#updateB = createUpdate(settings, outputs);
  }

  /** Trains on one mini-batch; returns its weighted loss sum, measured before the update. */
  step(batch: PreparedBatch): number {
    const { outputs } = this.settings;
    const { weights, bias } = this.fn;
    const { x, labels, rows } = batch;
    if (this.#z.length < rows * outputs) {
      this.#z = new Float64Array(rows * outputs);
      this.#dz = new Float64Array(rows * outputs);
    }
    const z = this.#z;
    this.fn.forward(x, rows, z);
    const loss = this.#loss({ z, outputs, labels, weights: batch.weights, rows }, this.#dz);
    const gradW = this.#gradW.fill(0);
    const gradB = this.#gradB.fill(0);
    this.fn.backward(x, this.#dz, { rows, scale: 1 / rows, weights: gradW, bias: gradB });
    const { wd, l1 } = this.plan;
    for (let i = 0; i < weights.length; i++)
      gradW[i]! += wd * weights[i]! + l1 * Math.sign(weights[i]!);
    this.#updateW(weights, gradW, this.#lr);
    if (this.settings.useBias) {
      for (let o = 0; o < outputs; o++) gradB[o]! += wd * this.settings.biasWdMult * bias[o]!;
      this.#updateB(bias, gradB, this.#lr * this.settings.biasLrMult);
    }
    this.#schedule();
    return loss;
  }

  #schedule(): void {
    const scheduler = this.settings.scheduler;
    this.#updates++;
    if (scheduler === undefined || this.#updates % scheduler.step !== 0) return;
    this.#lr = Math.max(this.#lr * scheduler.factor, Math.min(this.#lr, scheduler.minimum));
  }
}
