import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gather, isPrimary, publish } from '../common/cluster.js';
import { mergeSummaries, type StreamingSummary } from './fit.js';
import { decodeSummary, encodeSummary } from './summary-codec.js';

function summary(values: number[], weights: number[], records: number): StreamingSummary {
  return {
    centers: { values: Float64Array.from(values), count: weights.length, dim: 2 },
    weights: Float64Array.from(weights),
    records,
  };
}

describe('combining k-means hosts', () => {
  it('sends a streaming summary between hosts through their shared folder, bit for bit', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'plinth-shared-'));
    try {
      const hosts = ['algo-1', 'algo-2', 'algo-3'];
      const sent = [
        summary([0.1, 1 / 3, 2, 3], [5, 7.25], 12),
        summary([-4, 1e-300, 6, 7], [1, 2], 3),
      ];
      const waiting = gather({ host: 'algo-1', hosts, shared }, 'kmeans-summary');
      await publish(
        { host: 'algo-3', hosts, shared },
        { name: 'kmeans-summary', bytes: encodeSummary(sent[1]!) },
      );
      await publish(
        { host: 'algo-2', hosts, shared },
        { name: 'kmeans-summary', bytes: encodeSummary(sent[0]!) },
      );
      expect((await waiting).map(decodeSummary)).toEqual(sent);
      expect(isPrimary({ host: 'algo-1', hosts, shared })).toBe(true);
      expect(isPrimary({ host: 'algo-2', hosts, shared })).toBe(false);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it('merges summaries into all their weighted centers and records', () => {
    const merged = mergeSummaries([summary([0, 0, 1, 1], [2, 3], 5), summary([9, 9], [4], 4)]);
    expect(merged.centers).toEqual({
      values: Float64Array.from([0, 0, 1, 1, 9, 9]),
      count: 3,
      dim: 2,
    });
    expect([...merged.weights]).toEqual([2, 3, 4]);
    expect(merged.records).toBe(9);
  });
});
