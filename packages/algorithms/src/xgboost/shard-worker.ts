// A row-shard worker thread: carries out the training thread's orders on its share of the rows
// (see shard-protocol.ts), one at a time, until told to stop.
import {
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  workerData,
} from 'node:worker_threads';
import type { FeatureCuts } from './quantile-cuts.js';
import { RowShard } from './row-shard.js';
import type { ShardRange } from './shard-arrays.js';
import { execute } from './shard-commands.js';
import { COMMAND, Command, DONE, FAILED, SEQUENCE, payloadOf } from './shard-protocol.js';
import { type SharedTraining, shardArrays } from './training-buffers.js';

/** What a shard worker starts with. */
export interface ShardWorkerData {
  index: number;
  training: SharedTraining;
  features: SharedArrayBuffer;
  cuts: FeatureCuts;
  range: ShardRange;
  control: SharedArrayBuffer;
  payload: SharedArrayBuffer;
  reals: SharedArrayBuffer;
  message: SharedArrayBuffer;
  port: MessagePort;
}

const data = workerData as ShardWorkerData;
const control = new Int32Array(data.control);
const ctx = {
  shard: new RowShard(shardArrays(data.training, data.index, data.range), data.training.slots),
  cuts: data.cuts,
  features: new Float32Array(data.features) as Float32Array | undefined,
};
let payload = payloadOf(data.payload, data.reals);
const doneSlot = DONE + data.index;
parentPort!.postMessage('ready');

/** The buffer the training thread posted just before its Resize order. */
function nextBuffer(): SharedArrayBuffer {
  for (;;) {
    const received = receiveMessageOnPort(data.port);
    if (received) return received.message as SharedArrayBuffer;
    Atomics.wait(control, COMMAND, Command.Resize, 1);
  }
}

let seen = 0;
try {
  for (;;) {
    Atomics.wait(control, SEQUENCE, seen);
    seen = Atomics.load(control, SEQUENCE);
    const command = control[COMMAND] as Command;
    if (command === Command.Resize) {
      payload = payloadOf(nextBuffer(), data.reals);
    } else {
      execute(ctx, command, payload);
    }
    Atomics.store(control, doneSlot, seen);
    Atomics.notify(control, doneSlot);
    if (command === Command.Stop) break;
  }
} catch (error) {
  const text = new TextEncoder().encode(
    error instanceof Error ? (error.stack ?? error.message) : String(error),
  );
  new Uint8Array(data.message).set(text.subarray(0, data.message.byteLength));
  Atomics.store(control, doneSlot, FAILED);
  Atomics.notify(control, doneSlot);
}
data.port.close();
