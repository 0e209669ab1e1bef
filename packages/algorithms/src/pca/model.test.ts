import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, modelFile, saveModel } from './model.js';

const fit = {
  dim: 2,
  count: 1,
  components: Float64Array.of(0.6, 0.8),
  eigenvalues: Float64Array.of(36),
  mean: Float64Array.of(1, -1),
  records: 10,
  trace: 40,
};

describe('PCA model file', () => {
  it('round-trips, with variances derived from the eigenvalues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-pca-'));
    const file = modelFile(fit, { algorithmMode: 'regular', subtractMean: true });
    expect(file).toMatchObject({
      singular_values: [6],
      explained_variance: [4], // 36 / (10 - 1)
      explained_variance_ratio: [0.9],
    });
    await saveModel(dir, file);
    const model = await loadModel(dir);
    expect(model).toMatchObject({ dim: 2, count: 1, subtractMean: true });
    expect(Array.from(model.components)).toEqual([0.6, 0.8]);
    expect(Array.from(model.mean)).toEqual([1, -1]);
  });

  it.each([
    [{ format: 'plinth-kmeans' }, 'is not a Plinth PCA model'],
    [{ num_components: 2 }, 'must have 2 components'],
    [{ components: [[0.6, 'x']] }, 'component 0 must be 2 finite numbers'],
    [{ mean: [1] }, 'mean must be 2 finite numbers'],
    [{ subtract_mean: 'yes' }, 'must say subtract_mean (true or false)'],
  ])('refuses a broken model file (%j)', async (change, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-pca-'));
    const file = { ...modelFile(fit, { algorithmMode: 'regular', subtractMean: true }), ...change };
    await writeFile(join(dir, 'model.json'), JSON.stringify(file));
    await expect(loadModel(dir)).rejects.toThrow(message);
  });
});
