import { Worker } from 'node:worker_threads';
import { scoreRows } from './score.js';
import {
  COMMAND,
  CONTROL_SLOTS,
  Command,
  DONE,
  FAILED,
  INPUT_FLOATS,
  READY,
  ROWS,
  type ScoreWorkerData,
  SEQUENCE,
} from './score-worker-protocol.js';
import type { ScoringForest } from './scoring-forest.js';

/** Fewer rows than this per thread are scored in the calling thread alone. */
export const MIN_ROWS_PER_THREAD = 500;

/** One scoring worker and its shared buffers. */
interface Remote {
  worker: Worker;
  control: Int32Array;
  input: Float32Array;
  output: Float64Array;
  message: Uint8Array;
  sequence: number;
}

/**
 * Scores rows with a forest on the calling thread and `threads - 1` worker threads, which read
 * the forest from shared memory: a large request is cut into one block per thread, each worker's
 * block copied to its input buffer, and the caller scores its own block meanwhile and then waits
 * for the others. Scoring is synchronous (model servers answer from it directly); a worker that
 * has not started yet is simply not used. Results equal single-thread scoring exactly.
 */
export class ForestScorer {
  readonly #forest: ScoringForest;
  readonly #remotes: Remote[] = [];
  readonly #capacity: number;
  readonly #started: Promise<void>;

  /**
   * `threads` counts the calling thread; `chunkRows` caps the rows a worker takes per order
   * (default: what fits {@link INPUT_FLOATS}).
   */
  constructor(forest: ScoringForest, options: { threads: number; chunkRows?: number }) {
    this.#forest = forest;
    this.#capacity = options.chunkRows ?? Math.max(1, Math.floor(INPUT_FLOATS / forest.dim));
    const starts: Promise<void>[] = [];
    for (let i = 1; i < options.threads; i++) {
      const data: ScoreWorkerData = {
        forest,
        input: new SharedArrayBuffer(4 * this.#capacity * forest.dim),
        output: new SharedArrayBuffer(8 * this.#capacity),
        control: new SharedArrayBuffer(4 * CONTROL_SLOTS),
        message: new SharedArrayBuffer(1024),
      };
      const worker = new Worker(new URL('./score-worker.js', import.meta.url), {
        workerData: data,
      });
      // A worker that fails to start is left out (its READY never rises); it must not keep the
      // process alive or crash it.
      worker.on('error', () => undefined);
      worker.unref();
      starts.push(
        new Promise<void>((resolve) => {
          worker.once('message', () => resolve());
          worker.once('error', () => resolve());
          worker.once('exit', () => resolve());
        }),
      );
      this.#remotes.push({
        worker,
        control: new Int32Array(data.control),
        input: new Float32Array(data.input),
        output: new Float64Array(data.output),
        message: new Uint8Array(data.message),
        sequence: 0,
      });
    }
    this.#started = Promise.all(starts).then(() => undefined);
  }

  /**
   * Resolves once every worker has started (or failed to): scoring uses only started workers,
   * so callers about to score much wait for this first.
   */
  started(): Promise<void> {
    return this.#started;
  }

  /** Worker threads that have started and take orders. */
  get readyWorkers(): number {
    return this.#remotes.filter((r) => Atomics.load(r.control, READY) === 1).length;
  }

  /** Scores `out.length` rows of `rows` (row-major) into `out`. */
  score(rows: Float32Array, out: Float64Array): void {
    const { dim } = this.#forest;
    const ready = this.#remotes.filter((r) => Atomics.load(r.control, READY) === 1);
    const parts = Math.min(ready.length + 1, Math.floor(out.length / MIN_ROWS_PER_THREAD));
    if (parts < 2) {
      scoreRows(this.#forest, rows, out);
      return;
    }
    const helpers = ready.slice(0, parts - 1);
    const round = Math.min(Math.ceil(out.length / parts), this.#capacity);
    for (let start = 0; start < out.length;) {
      const blocks = helpers.map((remote) => {
        const from = start;
        const count = Math.min(round, out.length - from);
        start += count;
        if (count > 0) {
          remote.input.set(rows.subarray(from * dim, (from + count) * dim));
          this.#send(remote, { command: Command.Score, rows: count });
        }
        return { remote, from, count };
      });
      const mine = Math.min(round, out.length - start);
      scoreRows(
        this.#forest,
        rows.subarray(start * dim, (start + mine) * dim),
        out.subarray(start, start + mine),
      );
      start += mine;
      for (const { remote, from, count } of blocks) {
        if (count === 0) continue;
        this.#await(remote);
        out.set(remote.output.subarray(0, count), from);
      }
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    for (const remote of this.#remotes)
      if (Atomics.load(remote.control, READY) === 1)
        this.#send(remote, { command: Command.Stop, rows: 0 });
    await Promise.all(this.#remotes.map((remote) => remote.worker.terminate()));
  }

  #send(remote: Remote, order: { command: Command; rows: number }): void {
    remote.control[COMMAND] = order.command;
    remote.control[ROWS] = order.rows;
    Atomics.store(remote.control, SEQUENCE, ++remote.sequence);
    Atomics.notify(remote.control, SEQUENCE);
  }

  // Blocking is right here: the caller's answer needs every block's scores.
  #await(remote: Remote): void {
    for (;;) {
      const done = Atomics.load(remote.control, DONE);
      if (done === remote.sequence) return;
      if (done === FAILED) {
        const text = new TextDecoder().decode(remote.message.slice()).replace(/\0+$/, '');
        throw new Error(`A Random Cut Forest scoring thread failed: ${text}`);
      }
      Atomics.wait(remote.control, DONE, done);
    }
  }
}
