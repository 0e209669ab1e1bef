import { describe, expect, it } from 'vitest';
import type { FeatureBatch } from '../data/index.js';
import { refineOnData } from './refine.js';

/** Points around (0,0) and (10,10), in batches of `size`. */
function source(size: number) {
  const rows = Array.from({ length: 40 }, (_, i) =>
    i % 2 === 0 ? [0 + (i % 5) / 10, 0] : [10, 10 - (i % 3) / 10],
  );
  return async function* (): AsyncGenerator<FeatureBatch> {
    for (let at = 0; at < rows.length; at += size) {
      const part = rows.slice(at, at + size);
      yield { features: Float32Array.from(part.flat()), rows: part.length, dim: 2 };
    }
  };
}

describe('refineOnData', () => {
  it('moves centers to the means of their records until they settle', async () => {
    const start = { values: Float64Array.from([3, 3, 7, 7, 100, 100]), count: 3, dim: 2 };
    const refined = await refineOnData(source(7), start);
    const [ax, ay, bx, by, cx, cy] = refined.centers.values;
    expect([ax, ay]).toEqual([expect.closeTo(0.2, 5), 0]);
    expect([bx, by]).toEqual([10, expect.closeTo(9.905, 5)]);
    // No record is nearest to the third center: it stays where it was.
    expect([cx, cy]).toEqual([100, 100]);
    expect(refined.passes).toBeGreaterThanOrEqual(1);
    expect(refined.passes).toBeLessThanOrEqual(3);
    expect(refined.ssd).toBeGreaterThan(0);
    expect(refined.ssd).toBeLessThan(1);
  });
});
