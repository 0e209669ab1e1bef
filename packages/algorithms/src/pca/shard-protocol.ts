import type { PassSums, PassTask } from './pass-sums.js';

/**
 * What the main thread asks of a shard worker, which holds some of the logical shards; orders
 * are carried out in turn. `begin`, `forget`, `replay` and `finish` concern all its shards.
 */
export type ShardOrder =
  | { type: 'begin'; task: PassTask }
  | { type: 'batch'; shard: number; features: Float32Array; rows: number; keep: boolean }
  | { type: 'forget' }
  | { type: 'replay' }
  | { type: 'finish' };

/**
 * What a shard worker answers: a batch taken in (for back-pressure), its shards' sums (in the
 * order of their shard numbers), or a failure.
 */
export type ShardReply =
  { type: 'taken' } | { type: 'sums'; sums: PassSums[] } | { type: 'error'; message: string };

/** The start-up data of a shard worker: the feature count and the logical shards it holds. */
export interface ShardWorkerData {
  dim: number;
  shards: number[];
}
