import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { buildIndex } from './build-index.js';
import type { IndexMetric } from './hyperparameters.js';
import { type KnnModel, createVectorTransform, similarityOf } from './model.js';
import { MODEL_FILES, loadModel, saveModel } from './model-file.js';
import { KnnPredictor, majority } from './predict.js';
import type { IndexType } from './stored-index.js';

const DIM = 6;

function points(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count * DIM }, () => 4 * random() - 2);
}

/** A model whose label for each training vector is its index, so verbose labels name the neighbours. */
function model(spec: {
  metric: IndexMetric;
  type?: IndexType;
  k?: number;
  count?: number;
}): KnnModel {
  const count = spec.count ?? 500;
  const base = {
    k: spec.k ?? 7,
    predictorType: 'regressor' as const,
    featureDim: DIM,
    metric: spec.metric,
    indexDim: DIM,
  };
  const vectors = createVectorTransform(base)(points(count, 1), count);
  const similarity = similarityOf(spec.metric);
  const { index, order } = buildIndex(vectors, {
    type: spec.type ?? 'faiss.Flat',
    similarity,
    probe: spec.metric === 'INNER_PRODUCT' ? 'ip' : 'l2',
    dim: DIM,
    nlists: 8,
    nprobe: 3,
    m: 3,
    random: createRandom(2),
  });
  return { ...base, index, labels: Float32Array.from(order) };
}

/** Reference neighbours in float64: by L2 distance, inner product or cosine similarity. */
function reference(
  metric: IndexMetric,
  query: Float32Array,
  k: number,
): { ids: number[]; distances: number[] } {
  const train = points(500, 1);
  const norm = (x: ArrayLike<number>, at: number): number =>
    Math.sqrt(Array.from({ length: DIM }, (_, j) => x[at + j]! ** 2).reduce((a, b) => a + b));
  const scored = Array.from({ length: 500 }, (_, i) => {
    let l2 = 0;
    let ip = 0;
    for (let j = 0; j < DIM; j++) {
      l2 += (query[j]! - train[i * DIM + j]!) ** 2;
      ip += query[j]! * train[i * DIM + j]!;
    }
    const value =
      metric === 'L2'
        ? l2
        : metric === 'INNER_PRODUCT'
          ? ip
          : ip / (norm(query, 0) * norm(train, i * DIM));
    return { i, value };
  }).sort((a, b) => (metric === 'L2' ? a.value - b.value : b.value - a.value) || a.i - b.i);
  return {
    ids: scored.slice(0, k).map((s) => s.i),
    distances: scored.slice(0, k).map((s) => s.value),
  };
}

describe('KnnPredictor', () => {
  it.each(['L2', 'INNER_PRODUCT', 'COSINE'] as const)(
    'finds the exact %s neighbours with faiss.Flat',
    async (metric) => {
      const predictor = new KnnPredictor(model({ metric }), 1);
      const queries = points(20, 3);
      const p = await predictor.predict(queries, 20);
      for (let q = 0; q < 20; q++) {
        const exact = reference(metric, queries.subarray(q * DIM, (q + 1) * DIM), 7);
        expect(Array.from(p.labels.subarray(q * 7, (q + 1) * 7))).toEqual(exact.ids);
        Array.from(p.distances.subarray(q * 7, (q + 1) * 7)).forEach((d, i) =>
          expect(d).toBeCloseTo(exact.distances[i]!, 4),
        );
        // A regressor predicts the mean label.
        expect(p.predicted[q]).toBeCloseTo(exact.ids.reduce((a, b) => a + b) / 7, 3);
      }
      await predictor.close();
    },
  );

  it('votes the most frequent label, the smallest on a tie', () => {
    expect(majority(Float32Array.of(2, 1, 2, 3))).toBe(2);
    expect(majority(Float32Array.of(3, 1, 3, 1, 5))).toBe(1);
    expect(majority(Float32Array.of(4))).toBe(4);
  });
});

describe('model files', () => {
  it.each(['faiss.Flat', 'faiss.IVFFlat', 'faiss.IVFPQ'] as const)(
    'round-trip a %s model with the same predictions',
    async (type) => {
      const original = model({ metric: 'L2', type });
      const dir = await mkdtemp(join(tmpdir(), 'plinth-knn-model-'));
      await saveModel(dir, original);
      const loaded = await loadModel(dir);
      expect(loaded.index.type).toBe(type);
      const queries = points(30, 4);
      const before = await new KnnPredictor(original, 1).predict(queries, 30);
      const after = await new KnnPredictor(loaded, 1).predict(queries, 30);
      expect(after).toEqual(before);
    },
  );

  it('lets k and predictor_type be edited, as SageMaker documents, and checks them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-knn-model-'));
    await saveModel(dir, model({ metric: 'L2', count: 50 }));
    const path = join(dir, MODEL_FILES.metadata);
    const metadata = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...metadata, k: 3, predictor_type: 'classifier' }));
    expect(await loadModel(dir)).toMatchObject({ k: 3, predictorType: 'classifier' });
    await writeFile(path, JSON.stringify({ ...metadata, k: 51 }));
    await expect(loadModel(dir)).rejects.toThrow('k=51 is more than the 50 vectors in the index');
    await writeFile(path, JSON.stringify({ ...metadata, format: 'other' }));
    await expect(loadModel(dir)).rejects.toThrow('not a Plinth k-NN model');
    await writeFile(path, JSON.stringify(metadata));
    await writeFile(join(dir, MODEL_FILES.labels), Buffer.alloc(8));
    await expect(loadModel(dir)).rejects.toThrow('model_algo-1.labels must hold 50 float32 labels');
  });
});
