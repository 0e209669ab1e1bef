import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { FmKernel, type KernelBatch, type KernelSettings, type KernelState } from './kernel.js';
import {
  COMMAND,
  CONTROL_SLOTS,
  Command,
  DONE,
  FAILED,
  ROWS,
  SEQUENCE,
  STEP,
  type StepWorkerData,
  awaitChange,
  rowShare,
} from './step-protocol.js';
import type { LabelledBatch, StepRunner } from './step-runner.js';

/** A worker thread and how to reach it. */
interface Remote {
  worker: Worker;
  control: Int32Array;
  message: Uint8Array;
  port: MessagePort;
  sequence: number;
}

/** Stored entries per row a shared batch has room for at first; it grows when a batch needs more. */
const INITIAL_ENTRIES_PER_ROW = 8;

/**
 * Training steps spread over the calling thread and `threads - 1` worker threads, the weights
 * and each batch in shared memory: every thread scores its share of the rows, then updates the
 * features it owns. The model is the same as one thread's (see FmKernel), about `threads` times
 * sooner on large batches. Needs state in SharedArrayBuffers (createKernelState(…, true)).
 */
export class ThreadedStepRunner implements StepRunner {
  readonly #kernel: FmKernel;
  readonly #remotes: Remote[] = [];
  readonly #parts: number;
  #step = 0;

  constructor(
    settings: KernelSettings,
    options: { state: KernelState; threads: number; batchRows: number },
  ) {
    const { state, threads, batchRows } = options;
    this.#parts = threads;
    const batch = sharedBatch({
      rows: batchRows,
      entries: batchRows * INITIAL_ENTRIES_PER_ROW,
      numFactors: settings.numFactors,
    });
    this.#kernel = new FmKernel(settings, { state, batch });
    for (let part = 1; part < threads; part++) {
      const { port1, port2 } = new MessageChannel();
      const data: StepWorkerData = {
        settings,
        state,
        batch,
        part,
        parts: threads,
        control: new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS)),
        message: new Uint8Array(new SharedArrayBuffer(2048)),
        port: port2,
      };
      const worker = new Worker(new URL('./step-worker.js', import.meta.url), {
        workerData: data,
        transferList: [port2],
      });
      this.#remotes.push({
        worker,
        control: data.control,
        message: data.message,
        port: port1,
        sequence: 0,
      });
    }
  }

  step(batch: LabelledBatch): Float64Array {
    const { rows } = batch;
    const entries = batch.offsets[rows]!;
    if (entries > this.#kernel.batch.indices.length) this.#grow(entries);
    const shared = this.#kernel.batch;
    shared.offsets.set(batch.offsets.subarray(0, rows + 1));
    shared.indices.set(batch.indices.subarray(0, entries));
    shared.values.set(batch.values.subarray(0, entries));
    shared.labels.set(batch.labels.subarray(0, rows));
    const step = ++this.#step;
    this.#all({ command: Command.Forward, rows, step }, () => {
      const [lo, hi] = rowShare(rows, { part: 0, parts: this.#parts });
      this.#kernel.forwardRows(lo, hi);
    });
    this.#all({ command: Command.Update, rows, step }, () => {
      this.#kernel.updateBias(rows, step);
      this.#kernel.updateColumns(rows, { part: 0, parts: this.#parts, step });
    });
    return shared.outputs;
  }

  async close(): Promise<void> {
    for (const remote of this.#remotes)
      this.#send(remote, { command: Command.Stop, rows: 0, step: 0 });
    await Promise.all(this.#remotes.map((remote) => remote.worker.terminate()));
    for (const remote of this.#remotes) remote.port.close();
  }

  /** New, larger shared CSR arrays, handed to every worker. */
  #grow(entries: number): void {
    const old = this.#kernel.batch;
    const capacity = Math.max(entries, 2 * old.indices.length);
    const batch: KernelBatch = {
      ...old,
      indices: new Int32Array(new SharedArrayBuffer(4 * capacity)),
      values: new Float32Array(new SharedArrayBuffer(4 * capacity)),
    };
    for (const remote of this.#remotes) remote.port.postMessage(batch);
    this.#all({ command: Command.Resize, rows: 0, step: 0 }, () => (this.#kernel.batch = batch));
  }

  /** Gives every worker the order, does this thread's share, and waits for all. */
  #all(order: { command: Command; rows: number; step: number }, mine: () => void): void {
    for (const remote of this.#remotes) this.#send(remote, order);
    mine();
    for (const remote of this.#remotes) this.#await(remote);
  }

  #send(remote: Remote, order: { command: Command; rows: number; step: number }): void {
    remote.control[COMMAND] = order.command;
    remote.control[ROWS] = order.rows;
    remote.control[STEP] = order.step;
    Atomics.store(remote.control, SEQUENCE, ++remote.sequence);
    Atomics.notify(remote.control, SEQUENCE);
  }

  // Blocking is right here: the step is the work, and the next phase needs every share done.
  #await(remote: Remote): void {
    for (;;) {
      const done = Atomics.load(remote.control, DONE);
      if (done === remote.sequence) return;
      if (done === FAILED) {
        const text = new TextDecoder().decode(remote.message.slice()).replace(/\0+$/, '');
        throw new Error(`A factorization-machines training thread failed: ${text}`);
      }
      awaitChange(remote.control, { slot: DONE, value: done });
    }
  }
}

/** A kernel batch in shared memory for up to `rows` rows and `entries` stored entries. */
function sharedBatch(size: { rows: number; entries: number; numFactors: number }): KernelBatch {
  const { rows, entries, numFactors } = size;
  const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);
  return {
    offsets: new Int32Array(sab(4 * (rows + 1))),
    indices: new Int32Array(sab(4 * entries)),
    values: new Float32Array(sab(4 * entries)),
    labels: new Float32Array(sab(4 * rows)),
    outputs: new Float64Array(sab(8 * rows)),
    dloss: new Float64Array(sab(8 * rows)),
    sums: new Float64Array(sab(8 * rows * numFactors)),
  };
}
