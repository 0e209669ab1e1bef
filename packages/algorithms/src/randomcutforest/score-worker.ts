// A Random Cut Forest scoring worker: scores the rows the caller puts in shared memory with the
// shared forest, one order at a time (see score-worker-protocol.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { scoreRows } from './score.js';
import {
  COMMAND,
  Command,
  DONE,
  FAILED,
  READY,
  ROWS,
  type ScoreWorkerData,
  SEQUENCE,
} from './score-worker-protocol.js';

const data = workerData as ScoreWorkerData;
const control = new Int32Array(data.control);
const input = new Float32Array(data.input);
const output = new Float64Array(data.output);
const dim = data.forest.dim;

let seen = 0;
try {
  Atomics.store(control, READY, 1);
  // Tells the caller, which may be waiting for its workers, that this one takes orders now.
  parentPort?.postMessage('ready');
  for (;;) {
    Atomics.wait(control, SEQUENCE, seen);
    seen = Atomics.load(control, SEQUENCE);
    const command = control[COMMAND] as Command;
    if (command === Command.Score) {
      const rows = control[ROWS]!;
      scoreRows(data.forest, input.subarray(0, rows * dim), output.subarray(0, rows));
    }
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
    if (command === Command.Stop) break;
  }
} catch (error) {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  new TextEncoder().encodeInto(text, new Uint8Array(data.message));
  Atomics.store(control, DONE, FAILED);
  Atomics.notify(control, DONE);
}
