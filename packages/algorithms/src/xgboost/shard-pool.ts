import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { GradientSpec } from './gradients.js';
import type { EvalTransform, MetricOrder } from './pointwise-metrics.js';
import type { FeatureCuts } from './quantile-cuts.js';
import { RowShard } from './row-shard.js';
import type { ShardRange, SplitOrder } from './shard-arrays.js';
import { type ShardContext, execute, transformIndex } from './shard-commands.js';
import {
  COMMAND,
  Command,
  DONE,
  FAILED,
  type Payload,
  SEQUENCE,
  payloadOf,
  splitSize,
  treeSize,
  writeGradients,
  writeMetrics,
  writeSplit,
  writeTree,
} from './shard-protocol.js';
import type { ShardWorkerData } from './shard-worker.js';
import type { TreeArrays } from './tree-arrays.js';
import { MAX_METRICS, type SharedTraining, bufferOf, shardArrays } from './training-buffers.js';

interface Remote {
  worker: Worker;
  port: MessagePort;
  message: Uint8Array;
}

/** How to split the work: the data (laid out for `threads` threads) and its cuts. */
export interface PoolOptions {
  training: SharedTraining;
  /** The raw training features (shared), binned once by all threads. */
  features: Float32Array;
  cuts: FeatureCuts;
  threads: number;
}

/**
 * The training rows split into one contiguous shard per thread: the calling thread works on
 * the first, worker threads on the others, all on shared memory. Each order (bin, gradients,
 * start a tree, split and build a level, finish a tree, sum metrics) runs on every shard at once
 * and returns when all are done; node histograms and metric sums are added up here.
 */
export class ShardPool {
  readonly #local: ShardContext;
  readonly #remotes: Remote[];
  readonly #control: Int32Array;
  readonly #hists: Float64Array[];
  readonly #sums: Float64Array[];
  readonly #reals: SharedArrayBuffer;
  readonly #histLength: number;
  /** Node histograms a thread can build per order. */
  readonly capacity: number;
  #payload: Payload;
  #sequence = 0;

  private constructor(local: ShardContext, remotes: Remote[], parts: PoolParts) {
    this.#local = local;
    this.#remotes = remotes;
    this.#control = new Int32Array(parts.control);
    const t = parts.training;
    const buffer = bufferOf(t);
    this.#histLength = 2 * t.slots;
    this.#hists = t.layout.hists.map(
      (at) => new Float64Array(buffer, at, this.#histLength * t.capacity),
    );
    this.#sums = t.sums.map((s) => new Float64Array(s));
    this.#reals = parts.reals;
    this.#payload = payloadOf(parts.payload, parts.reals);
    this.capacity = t.capacity;
  }

  /** Starts the worker threads (threads - 1 of them) and waits until they are ready. */
  static async create(options: PoolOptions): Promise<ShardPool> {
    const { training, threads } = options;
    const parts: PoolParts = {
      training,
      control: new SharedArrayBuffer(4 * (DONE + threads)),
      payload: new SharedArrayBuffer(4 * 65536),
      reals: new SharedArrayBuffer(8 * MAX_METRICS),
    };
    const ranges = shardRanges(training, threads);
    const local: ShardContext = {
      shard: new RowShard(shardArrays(training, 0, ranges[0]!), training.slots),
      cuts: options.cuts,
      features: options.features,
    };
    const remotes: Remote[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 1; i < threads; i++) {
      const { port1, port2 } = new MessageChannel();
      const message = new SharedArrayBuffer(4096);
      const data: ShardWorkerData = {
        index: i,
        training,
        features: options.features.buffer as SharedArrayBuffer,
        cuts: options.cuts,
        range: ranges[i]!,
        control: parts.control,
        payload: parts.payload,
        reals: parts.reals,
        message,
        port: port2,
      };
      const worker = new Worker(new URL('./shard-worker.js', import.meta.url), {
        workerData: data,
        transferList: [port2],
      });
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
          worker.once('exit', (code) =>
            reject(new Error(`An XGBoost training thread exited with code ${code}`)),
          );
        }),
      );
      remotes.push({ worker, port: port1, message: new Uint8Array(message) });
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(remotes.map((r) => r.worker.terminate()));
      throw error;
    }
    for (const { worker } of remotes) worker.removeAllListeners();
    return new ShardPool(local, remotes, parts);
  }

  /** Bins every shard's rows; the raw training features are not needed after. */
  bin(): void {
    this.#run(Command.Bin);
  }

  /**
   * Computes every row's gradient pairs; with `thresholds` (logistic objectives), also sums
   * those training metrics in the same pass (read them with {@link totals}).
   */
  gradients(spec: GradientSpec, thresholds?: readonly number[]): void {
    writeGradients(this.#payload, spec, thresholds);
    this.#run(Command.Gradients);
  }

  /** Puts each shard's (sampled) rows in the root and adds up the root histogram into `out`. */
  startTree(group: number, sample: { ratio: number; seed: number }, out: Float64Array): void {
    this.#payload.ints[0] = group;
    this.#payload.ints[1] = sample.seed;
    this.#payload.reals[0] = sample.ratio;
    this.#run(Command.StartTree);
    this.#gather(0, out);
  }

  /** Applies the splits, then builds `builds[i]`'s histogram into `outs[i]`, in chunks. */
  split(
    group: number,
    level: { splits: readonly SplitOrder[]; builds: number[] },
    outs: Float64Array[],
  ): void {
    const { splits, builds } = level;
    let first = 0;
    do {
      const chunk = builds.slice(first, first + this.capacity);
      const orders = first === 0 ? splits : [];
      this.#reserve(splitSize(orders.length, chunk.length));
      writeSplit(this.#payload, group, { splits: orders, builds: chunk });
      this.#run(Command.Split);
      chunk.forEach((_, i) => this.#gather(i, outs[first + i]!));
      first += chunk.length;
    } while (first < builds.length);
  }

  /** Adds a finished tree's leaves to group `group`'s training and validation margins. */
  finishTree(group: number, tree: TreeArrays): void {
    this.#reserve(treeSize(tree.count));
    writeTree(this.#payload, group, tree);
    this.#run(Command.FinishTree);
  }

  /**
   * Sums pointwise metrics over the validation rows and, when `train`, the training rows; read
   * them with {@link totals}.
   */
  metrics(orders: readonly MetricOrder[], transform: EvalTransform, train: boolean): void {
    writeMetrics(this.#payload, { transform: transformIndex(transform), orders, train });
    this.#run(Command.Metrics);
  }

  /** The summed metrics: `[train loss, train weight, validation loss, validation weight]` each. */
  totals(count: number): Float64Array {
    const total = new Float64Array(4 * count);
    for (const sums of this.#sums) for (let i = 0; i < total.length; i++) total[i]! += sums[i]!;
    return total;
  }

  async close(): Promise<void> {
    this.#run(Command.Stop, false);
    await Promise.all(this.#remotes.map((r) => r.worker.terminate()));
  }

  #gather(slot: number, out: Float64Array): void {
    const length = this.#histLength;
    const start = slot * length;
    out.set(this.#hists[0]!.subarray(start, start + length));
    for (let t = 1; t < this.#hists.length; t++) {
      const h = this.#hists[t]!;
      for (let i = 0; i < length; i++) out[i]! += h[start + i]!;
    }
  }

  #reserve(ints: number): void {
    if (ints <= this.#payload.ints.length) return;
    const buffer = new SharedArrayBuffer(4 * Math.max(ints, 2 * this.#payload.ints.length));
    this.#payload = payloadOf(buffer, this.#reals);
    for (const remote of this.#remotes) remote.port.postMessage(buffer);
    this.#run(Command.Resize, false);
  }

  // Blocking is right here: the calling thread has nothing else to do until every shard is done.
  #run(command: Command, local = true): void {
    const control = this.#control;
    const sequence = ++this.#sequence;
    control[COMMAND] = command;
    Atomics.store(control, SEQUENCE, sequence);
    Atomics.notify(control, SEQUENCE);
    if (local) execute(this.#local, command, this.#payload);
    this.#remotes.forEach((remote, i) => {
      const slot = DONE + i + 1;
      for (;;) {
        const done = Atomics.load(control, slot);
        if (done === sequence) return;
        if (done === FAILED) {
          const text = new TextDecoder().decode(remote.message.slice()).replace(/\0+$/, '');
          throw new Error(`An XGBoost training thread failed: ${text}`);
        }
        Atomics.wait(control, slot, done);
      }
    });
  }
}

interface PoolParts {
  training: SharedTraining;
  control: SharedArrayBuffer;
  payload: SharedArrayBuffer;
  reals: SharedArrayBuffer;
}

/** Equal contiguous row ranges of the training and validation rows, one per thread. */
export function shardRanges(
  training: { rows: number; validation?: { rows: number } | undefined },
  threads: number,
): ShardRange[] {
  const validRows = training.validation?.rows ?? 0;
  return Array.from({ length: threads }, (_, i) => ({
    from: Math.floor((i * training.rows) / threads),
    to: Math.floor(((i + 1) * training.rows) / threads),
    validFrom: Math.floor((i * validRows) / threads),
    validTo: Math.floor(((i + 1) * validRows) / threads),
  }));
}
