// A linear-learner model worker: trains its share of the parallel models on batches the caller
// puts in shared memory, one order at a time (see model-worker-protocol.ts).
import { workerData } from 'node:worker_threads';
import { LinearModel } from './linear-model.js';
import {
  COMMAND,
  Command,
  DONE,
  FAILED,
  type ModelWorkerData,
  ROWS,
  SEQUENCE,
  viewsOf,
} from './model-worker-protocol.js';

const data = workerData as ModelWorkerData;
const control = new Int32Array(data.control);
const losses = new Float64Array(data.losses);
const params = new Float64Array(data.params);
const batch = viewsOf(data.batch);
// The caller drew the initial weights; these models only take them over.
const models = data.plans.map((plan, i) => {
  const model = new LinearModel(data.settings, plan, () => 0.5);
  model.fn.weights.set(data.initial[i]!.weights);
  model.fn.bias.set(data.initial[i]!.bias);
  return model;
});

function carryOut(command: Command, rows: number): void {
  if (command === Command.Step) {
    const { dim } = data.settings;
    const prepared = {
      x: batch.x.subarray(0, rows * dim),
      labels: batch.labels.subarray(0, rows),
      weights: batch.weights.subarray(0, rows),
      rows,
    };
    models.forEach((model, m) => (losses[m] = model.step(prepared)));
  } else if (command === Command.Publish) {
    let offset = 0;
    for (const { fn } of models) {
      params.set(fn.weights, offset);
      params.set(fn.bias, (offset += fn.weights.length));
      offset += fn.bias.length;
    }
  }
}

let seen = 0;
try {
  for (;;) {
    Atomics.wait(control, SEQUENCE, seen);
    seen = Atomics.load(control, SEQUENCE);
    const command = control[COMMAND] as Command;
    carryOut(command, control[ROWS]!);
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
