import { Worker } from 'node:worker_threads';
import type { LinearFunction } from './linear-function.js';
import type { LinearModel, PreparedBatch } from './linear-model.js';
import {
  COMMAND,
  Command,
  DONE,
  FAILED,
  ROWS,
  SEQUENCE,
  type ModelWorkerData,
  sharedBatch,
} from './model-worker-protocol.js';

/** One worker thread and the models it trains. */
interface Remote {
  worker: Worker;
  control: Int32Array;
  /** Its models are `models[first, first + count)`. */
  first: number;
  count: number;
  losses: Float64Array;
  /** Each model's weights then bias, as the worker last published them. */
  params: Float64Array;
  message: Uint8Array;
  sequence: number;
}

/**
 * The parallel models spread over the calling thread and worker threads: each batch is copied
 * once into shared memory, every thread steps its own models on it, and the caller waits for
 * all. Models are independent, so the result is the same as in one thread, about `threads`
 * times sooner. Workers start from the weights the caller's models were initialized with.
 */
export class ThreadedModels {
  readonly #local: LinearModel[];
  readonly #models: LinearModel[];
  readonly #remotes: Remote[] = [];
  readonly #batch: ReturnType<typeof sharedBatch>;

  constructor(models: LinearModel[], options: { threads: number; batchRows: number }) {
    const { dim, outputs } = models[0]!.settings;
    this.#models = models;
    this.#batch = sharedBatch(options.batchRows, dim);
    const share = Math.ceil(models.length / options.threads);
    this.#local = models.slice(0, share);
    for (let first = share; first < models.length; first += share) {
      const mine = models.slice(first, first + share);
      const data: ModelWorkerData = {
        settings: models[0]!.settings,
        plans: mine.map((m) => m.plan),
        initial: mine.map((m) => ({ weights: m.fn.weights, bias: m.fn.bias })),
        batch: this.#batch.buffers,
        control: new SharedArrayBuffer(4 * 4),
        losses: new SharedArrayBuffer(8 * mine.length),
        params: new SharedArrayBuffer(8 * mine.length * (dim + 1) * outputs),
        message: new SharedArrayBuffer(1024),
      };
      this.#remotes.push({
        worker: new Worker(new URL('./model-worker.js', import.meta.url), { workerData: data }),
        control: new Int32Array(data.control),
        first,
        count: mine.length,
        losses: new Float64Array(data.losses),
        params: new Float64Array(data.params),
        message: new Uint8Array(data.message),
        sequence: 0,
      });
    }
  }

  step(batch: PreparedBatch, losses: Float64Array): void {
    const { rows, x, labels, weights } = batch;
    const shared = this.#batch.views;
    shared.x.set(x.subarray(0, rows * this.#models[0]!.settings.dim));
    shared.labels.set(labels.subarray(0, rows));
    shared.weights.set(weights.subarray(0, rows));
    for (const remote of this.#remotes) this.#send(remote, { command: Command.Step, rows });
    this.#local.forEach((model, m) => (losses[m]! += model.step(batch)));
    for (const remote of this.#remotes) {
      this.#await(remote);
      for (let i = 0; i < remote.count; i++) losses[remote.first + i]! += remote.losses[i]!;
    }
  }

  functions(): readonly LinearFunction[] {
    for (const remote of this.#remotes) this.#send(remote, { command: Command.Publish, rows: 0 });
    for (const remote of this.#remotes) {
      this.#await(remote);
      let offset = 0;
      for (let i = 0; i < remote.count; i++) {
        const { weights, bias } = this.#models[remote.first + i]!.fn;
        weights.set(remote.params.subarray(offset, (offset += weights.length)));
        bias.set(remote.params.subarray(offset, (offset += bias.length)));
      }
    }
    return this.#models.map((model) => model.fn);
  }

  async close(): Promise<void> {
    for (const remote of this.#remotes) this.#send(remote, { command: Command.Stop, rows: 0 });
    await Promise.all(this.#remotes.map((remote) => remote.worker.terminate()));
  }

  #send(remote: Remote, order: { command: Command; rows: number }): void {
    remote.control[COMMAND] = order.command;
    remote.control[ROWS] = order.rows;
    Atomics.store(remote.control, SEQUENCE, ++remote.sequence);
    Atomics.notify(remote.control, SEQUENCE);
  }

  // Blocking is right here: the models are the work, and the next batch needs them all stepped.
  #await(remote: Remote): void {
    for (;;) {
      const done = Atomics.load(remote.control, DONE);
      if (done === remote.sequence) return;
      if (done === FAILED) {
        const text = new TextDecoder().decode(remote.message.slice()).replace(/\0+$/, '');
        throw new Error(`A linear-learner training thread failed: ${text}`);
      }
      Atomics.wait(remote.control, DONE, done);
    }
  }
}
