// A factorization-machines step worker: runs its share of each training step on batches and
// weights the caller keeps in shared memory, one order at a time (see step-protocol.ts).
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { FmKernel, type KernelBatch } from './kernel.js';
import {
  COMMAND,
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

const data = workerData as StepWorkerData;
const { control, part, parts } = data;
const kernel = new FmKernel(data.settings, { state: data.state, batch: data.batch });

function carryOut(command: Command, rows: number): void {
  switch (command) {
    case Command.Forward: {
      const [lo, hi] = rowShare(rows, { part, parts });
      kernel.forwardRows(lo, hi);
      break;
    }
    case Command.Update:
      kernel.updateColumns(rows, { part, parts, step: control[STEP]! });
      break;
    case Command.Resize: {
      const received = receiveMessageOnPort(data.port);
      if (received === undefined) throw new Error('No batch arrays arrived with the Resize order');
      kernel.batch = received.message as KernelBatch;
      break;
    }
    case Command.Stop:
      break;
  }
}

let seen = 0;
try {
  for (;;) {
    const now = awaitChange(control, { slot: SEQUENCE, value: seen });
    if (now === seen) continue;
    seen = now;
    const command = control[COMMAND] as Command;
    carryOut(command, control[ROWS]!);
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
    if (command === Command.Stop) break;
  }
} catch (error) {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  new TextEncoder().encodeInto(text, data.message);
  Atomics.store(control, DONE, FAILED);
  Atomics.notify(control, DONE);
}
data.port.close();
