// A PCA shard worker: holds some logical shards of the training records and runs each pass's
// sums over them, orders arriving from the main thread one at a time (see shard-protocol.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { Shard } from './shard.js';
import type { ShardOrder, ShardReply, ShardWorkerData } from './shard-protocol.js';

const port = parentPort!;
const data = workerData as ShardWorkerData;
const shards = new Map(data.shards.map((s) => [s, new Shard(data.dim)]));
const reply = (message: ShardReply, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

function carryOut(order: ShardOrder): void {
  switch (order.type) {
    case 'begin':
      for (const shard of shards.values()) shard.begin(order.task);
      return;
    case 'batch':
      shards.get(order.shard)!.add(order, order.keep);
      reply({ type: 'taken' });
      return;
    case 'forget':
      for (const shard of shards.values()) shard.forget();
      return;
    case 'replay':
      for (const shard of shards.values()) shard.replay();
      return;
    case 'finish': {
      const sums = [...shards.values()].map((shard) => shard.finish());
      const transfer = sums.flatMap((s) => [s.sum.buffer, s.matrix.buffer] as ArrayBuffer[]);
      reply({ type: 'sums', sums }, transfer);
      return;
    }
  }
}

port.on('message', (order: ShardOrder) => {
  try {
    carryOut(order);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    reply({ type: 'error', message });
  }
});
