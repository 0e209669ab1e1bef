import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlgorithmMode } from './hyperparameters.js';

/** The file a PCA model lives in under `model/`. */
export const MODEL_FILE = 'model.json';

/**
 * Plinth's PCA model format. Components are listed largest variance first (as scikit-learn's
 * `components_`); SageMaker's model and its projections list them the other way round.
 */
export interface PcaModelFile {
  format: 'plinth-pca';
  version: 1;
  feature_dim: number;
  num_components: number;
  algorithm_mode: AlgorithmMode;
  subtract_mean: boolean;
  /** Training records. */
  records: number;
  /** The training data's mean; subtracted before projecting when `subtract_mean` is true. */
  mean: number[];
  /** `num_components` unit vectors of `feature_dim` numbers, largest variance first. */
  components: number[][];
  /** Singular values of the (centered) training matrix, `sqrt` of the scatter eigenvalues. */
  singular_values: number[];
  /** Variance along each component: eigenvalue / (records − 1), or / records without centering. */
  explained_variance: number[];
  /** Each component's share of the total variation. */
  explained_variance_ratio: number[];
}

/** A model ready to project with: typed arrays, components row-major. */
export interface PcaModel {
  dim: number;
  count: number;
  subtractMean: boolean;
  mean: Float64Array;
  /** `count × dim`, largest variance first. */
  components: Float64Array;
}

/** Writes the model file; returns its path. */
export async function saveModel(modelDir: string, file: PcaModelFile): Promise<string> {
  const path = join(modelDir, MODEL_FILE);
  await writeFile(path, `${JSON.stringify(file)}\n`);
  return path;
}

/** Reads and checks `<modelDir>/model.json`; throws a message naming what is wrong. */
export async function loadModel(modelDir: string): Promise<PcaModel> {
  const path = join(modelDir, MODEL_FILE);
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<PcaModelFile>;
  if (parsed.format !== 'plinth-pca' || parsed.version !== 1)
    throw new Error(`${path} is not a Plinth PCA model (format plinth-pca, version 1)`);
  const { feature_dim: dim, num_components: count, mean, components } = parsed;
  if (!isCount(dim) || !isCount(count))
    throw new Error(`${path} must have positive integer feature_dim and num_components`);
  if (typeof parsed.subtract_mean !== 'boolean')
    throw new Error(`${path} must say subtract_mean (true or false)`);
  if (!isVector(mean, dim)) throw new Error(`${path}: mean must be ${dim} finite numbers`);
  if (!Array.isArray(components) || components.length !== count)
    throw new Error(`${path} must have ${count} components`);
  const flat = new Float64Array(count * dim);
  components.forEach((row, i) => {
    if (!isVector(row, dim))
      throw new Error(`${path}: component ${i} must be ${dim} finite numbers`);
    flat.set(row, i * dim);
  });
  return {
    dim,
    count,
    subtractMean: parsed.subtract_mean,
    mean: Float64Array.from(mean),
    components: flat,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isVector(value: unknown, dim: number): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === dim &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/** The model file for a fit: components, their variances, and the mean. */
export function modelFile(
  fit: {
    dim: number;
    count: number;
    components: Float64Array;
    eigenvalues: Float64Array;
    mean: Float64Array;
    records: number;
    trace: number;
  },
  settings: { algorithmMode: AlgorithmMode; subtractMean: boolean },
): PcaModelFile {
  const { dim, count, records, trace } = fit;
  const dof = settings.subtractMean ? Math.max(records - 1, 1) : records;
  const eigenvalues = Array.from(fit.eigenvalues);
  return {
    format: 'plinth-pca',
    version: 1,
    feature_dim: dim,
    num_components: count,
    algorithm_mode: settings.algorithmMode,
    subtract_mean: settings.subtractMean,
    records,
    mean: Array.from(fit.mean),
    components: Array.from({ length: count }, (_, i) =>
      Array.from(fit.components.subarray(i * dim, (i + 1) * dim)),
    ),
    singular_values: eigenvalues.map(Math.sqrt),
    explained_variance: eigenvalues.map((v) => v / dof),
    explained_variance_ratio: eigenvalues.map((v) => (trace > 0 ? v / trace : 0)),
  };
}
