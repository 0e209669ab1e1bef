import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { buildForest } from './forest.js';
import { FOREST_FILE, MODEL_FILE, loadModel, saveModel } from './model.js';
import { ReservoirSampler } from './reservoir.js';
import { scoreRows } from './score.js';
import { prepareScoring } from './scoring-forest.js';

function forestOf(rows: number) {
  const random = createRandom(2);
  const dim = 3;
  const data = Float32Array.from({ length: rows * dim }, () => random());
  const sampler = new ReservoirSampler({ trees: 50, size: 32, dim, seed: 1 });
  sampler.add({ features: data, rows, dim });
  return { forest: buildForest(sampler.samples()), data, rows };
}

describe('Random Cut Forest model files', () => {
  it('round-trips the forest: the loaded model scores exactly as the trained one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-rcf-model-'));
    const { forest, data, rows } = forestOf(200);
    const path = await saveModel(dir, { forest, info: { numSamplesPerTree: 32, records: rows } });
    expect(path).toBe(join(dir, MODEL_FILE));
    const { forest: loaded, header } = await loadModel(dir);
    expect(header).toMatchObject({
      format: 'plinth-randomcutforest',
      version: 1,
      feature_dim: 3,
      num_trees: 50,
      num_samples_per_tree: 32,
      records: 200,
      file: FOREST_FILE,
    });
    const before = new Float64Array(rows);
    const after = new Float64Array(rows);
    scoreRows(prepareScoring(forest), data, before);
    scoreRows(prepareScoring(loaded), data, after);
    expect(after).toEqual(before);
  });

  it('refuses a file that is not its model, is truncated, or points outside the forest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-rcf-model-'));
    const { forest } = forestOf(100);
    await saveModel(dir, { forest, info: { numSamplesPerTree: 32, records: 100 } });
    const binary = await readFile(join(dir, FOREST_FILE));
    const header = await readFile(join(dir, MODEL_FILE), 'utf8');

    await writeFile(join(dir, FOREST_FILE), binary.subarray(0, binary.length - 4));
    await expect(loadModel(dir)).rejects.toThrow(
      /forest\.bin has \d+ bytes; the header .* describes/,
    );

    // The first right child (int32 after cutValue, roots and masses) pointing past the end.
    const damaged = Buffer.from(binary);
    const nodes = forest.cutDim.length;
    const rightAt = 8 * nodes + 4 * (forest.trees + 1) + 4 * forest.trees + 4 * nodes;
    damaged.writeInt32LE(nodes + 5, rightAt);
    await writeFile(join(dir, FOREST_FILE), damaged);
    await expect(loadModel(dir)).rejects.toThrow(
      'is damaged: node 0 has a right child outside the forest',
    );

    await writeFile(
      join(dir, MODEL_FILE),
      header.replace('plinth-randomcutforest', 'plinth-kmeans'),
    );
    await expect(loadModel(dir)).rejects.toThrow('is not a Plinth Random Cut Forest model');
  });
});
