import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Centers } from './kernels.js';

/** The file a k-means model lives in under `model/`. */
export const MODEL_FILE = 'model.json';

/** Plinth's k-means model format: JSON, one array of `feature_dim` numbers per center. */
export interface KMeansModelFile {
  format: 'plinth-kmeans';
  version: 1;
  k: number;
  feature_dim: number;
  centers: number[][];
}

/** Writes the centers to `<modelDir>/model.json`. */
export async function saveModel(modelDir: string, centers: Centers): Promise<string> {
  const rows: number[][] = [];
  for (let c = 0; c < centers.count; c++)
    rows.push(Array.from(centers.values.subarray(c * centers.dim, (c + 1) * centers.dim)));
  const file: KMeansModelFile = {
    format: 'plinth-kmeans',
    version: 1,
    k: centers.count,
    feature_dim: centers.dim,
    centers: rows,
  };
  const path = join(modelDir, MODEL_FILE);
  await writeFile(path, `${JSON.stringify(file)}\n`);
  return path;
}

/** Reads and checks `<modelDir>/model.json`; throws a message naming what is wrong. */
export async function loadModel(modelDir: string): Promise<Centers> {
  const path = join(modelDir, MODEL_FILE);
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<KMeansModelFile>;
  const { k, feature_dim: dim, centers } = parsed;
  if (parsed.format !== 'plinth-kmeans' || parsed.version !== 1)
    throw new Error(`${path} is not a Plinth k-means model (format plinth-kmeans, version 1)`);
  if (!isCount(k) || !isCount(dim) || !Array.isArray(centers))
    throw new Error(`${path} must have positive integer k and feature_dim and a centers array`);
  const values = new Float64Array(k * dim);
  if (centers.length !== k) throw new Error(`${path} has ${centers.length} centers, not k=${k}`);
  centers.forEach((row, c) => {
    if (!Array.isArray(row) || row.length !== dim || !row.every(Number.isFinite))
      throw new Error(`${path}: center ${c} must be ${dim} finite numbers`);
    values.set(row, c * dim);
  });
  return { values, count: k, dim };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
