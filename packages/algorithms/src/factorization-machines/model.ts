import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PredictorType } from './hyperparameters.js';
import type { FmWeights } from './weights.js';

/** The file describing a factorization machine under `model/`. */
export const MODEL_FILE = 'model.json';
/** The weights, float32 little-endian: w0, then feature_dim linear weights, then the factors row by row. */
export const PARAMETERS_FILE = 'parameters.bin';

/** Plinth's factorization-machines model description (`model.json`). */
export interface FmModelFile {
  format: 'plinth-factorization-machines';
  version: 1;
  predictor_type: PredictorType;
  feature_dim: number;
  num_factors: number;
  parameters: typeof PARAMETERS_FILE;
}

/** A loaded model: what it predicts and its weights. */
export interface FmModel {
  predictorType: PredictorType;
  weights: FmWeights;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes `model.json` and `parameters.bin` to the model directory; returns the JSON file's path. */
export async function saveModel(modelDir: string, model: FmModel): Promise<string> {
  const { weights } = model;
  const { featureDim: d, numFactors: k } = weights;
  const all = new Float32Array(1 + d + d * k);
  all[0] = weights.bias[0]!;
  all.set(weights.linear, 1);
  all.set(weights.factors, 1 + d);
  const bytes = new Uint8Array(all.buffer);
  if (!LITTLE_ENDIAN) {
    const view = new DataView(all.buffer);
    for (let i = 0; i < all.length; i++) view.setFloat32(4 * i, all[i]!, true);
  }
  await writeFile(join(modelDir, PARAMETERS_FILE), bytes);
  const file: FmModelFile = {
    format: 'plinth-factorization-machines',
    version: 1,
    predictor_type: model.predictorType,
    feature_dim: d,
    num_factors: k,
    parameters: PARAMETERS_FILE,
  };
  const path = join(modelDir, MODEL_FILE);
  await writeFile(path, `${JSON.stringify(file)}\n`);
  return path;
}

/** Reads and checks a model directory; throws a message naming what is wrong. */
export async function loadModel(modelDir: string): Promise<FmModel> {
  const path = join(modelDir, MODEL_FILE);
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<FmModelFile>;
  if (parsed.format !== 'plinth-factorization-machines' || parsed.version !== 1)
    throw new Error(
      `${path} is not a Plinth factorization-machines model (format plinth-factorization-machines, version 1)`,
    );
  const { feature_dim: d, num_factors: k, predictor_type: predictorType } = parsed;
  if (!isCount(d) || !isCount(k))
    throw new Error(`${path} must have positive integer feature_dim and num_factors`);
  if (predictorType !== 'binary_classifier' && predictorType !== 'regressor')
    throw new Error(`${path}: predictor_type must be binary_classifier or regressor`);
  const bytes = await readFile(join(modelDir, PARAMETERS_FILE));
  const count = 1 + d + d * k;
  if (bytes.length !== 4 * count)
    throw new Error(
      `${join(modelDir, PARAMETERS_FILE)} has ${bytes.length} bytes; feature_dim=${d} and num_factors=${k} need ${4 * count}`,
    );
  const all = new Float32Array(count);
  if (LITTLE_ENDIAN) new Uint8Array(all.buffer).set(bytes);
  else for (let i = 0; i < count; i++) all[i] = bytes.readFloatLE(4 * i);
  return {
    predictorType,
    weights: {
      featureDim: d,
      numFactors: k,
      bias: all.subarray(0, 1),
      linear: all.subarray(1, 1 + d),
      factors: all.subarray(1 + d),
    },
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
