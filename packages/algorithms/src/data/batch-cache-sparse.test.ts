import { describe, expect, it } from 'vitest';
import type { SparseBatch } from './sparse-batch.js';
import { cacheBatches } from './batch-cache.js';

/** A source that counts its passes and yields fresh batches of `rows` one-entry rows. */
function counted(batches: number): {
  source: () => AsyncIterable<SparseBatch>;
  passes: () => number;
} {
  let passes = 0;
  return {
    passes: () => passes,
    source: async function* () {
      passes++;
      for (let b = 0; b < batches; b++)
        yield {
          rows: 2,
          dim: 4,
          offsets: Int32Array.of(0, 1, 2),
          indices: Int32Array.of(b, 3),
          values: Float32Array.of(1, 2),
          labels: Float32Array.of(0, 1),
        };
    },
  };
}

async function collect(source: () => AsyncIterable<SparseBatch>): Promise<SparseBatch[]> {
  const out: SparseBatch[] = [];
  for await (const batch of source()) out.push(batch);
  return out;
}

describe('cacheBatches on sparse batches', () => {
  it('replays the first complete pass from memory', async () => {
    const data = counted(3);
    const cached = cacheBatches(data.source, 1 << 20);
    const first = await collect(cached);
    const second = await collect(cached);
    expect(data.passes()).toBe(1);
    expect(second).toEqual(first);
    expect(second.map((b) => b.indices[0])).toEqual([0, 1, 2]);
  });

  it('reads the source again when the batches do not fit the budget', async () => {
    const data = counted(3);
    // Each batch holds 12 + 8 + 8 + 8 = 36 bytes; two fit, three do not.
    const cached = cacheBatches(data.source, 80);
    await collect(cached);
    expect(await collect(cached)).toHaveLength(3);
    expect(data.passes()).toBe(2);
  });
});
