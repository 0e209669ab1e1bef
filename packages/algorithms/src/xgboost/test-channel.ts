// Test support: training channels built from plain rows, in shared memory as the trainer reads them.
import type { ChannelData } from './training-data.js';
import { sharedFloats } from './training-buffers.js';

/** A channel from rows of features (NaN = missing) and their labels. */
export function channel(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
): ChannelData {
  const dim = rows[0]!.length;
  return {
    rows: rows.length,
    dim,
    features: sharedFloats(Float32Array.from(rows.flat())),
    labels: sharedFloats(Float32Array.from(labels)),
  };
}
