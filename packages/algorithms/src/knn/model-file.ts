import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_METRICS, type IndexMetric, type PredictorType } from './hyperparameters.js';
import type { KnnModel } from './model.js';
import type { Reduction } from './reduction.js';
import { INDEX_TYPES, type IndexType, type StoredIndex, storedCount } from './stored-index.js';

/** SageMaker's k-NN file names: metadata, index, and labels (raw little-endian float32). */
export const MODEL_FILES = {
  metadata: 'model_algo-1.json',
  index: 'model_algo-1',
  labels: 'model_algo-1.labels',
} as const;

type ArrayType = 'float32' | 'int32' | 'uint8';
interface ArrayEntry {
  offset: number;
  length: number;
  type: ArrayType;
}

/** `model_algo-1.json`: what serving needs besides the arrays; `k` and `predictor_type` may be edited. */
interface Metadata {
  format: 'plinth-knn';
  version: 1;
  k: number;
  predictor_type: PredictorType;
  feature_dim: number;
  index_type: IndexType;
  index_metric: IndexMetric;
  index_dim: number;
  count: number;
  dimension_reduction: {
    type: Reduction['type'];
    seed: number;
    target_dim: number;
    input_dim: number;
  } | null;
  ivf?: { nlists: number; nprobe: number; probe: 'l2' | 'ip' };
  pq?: { m: number; ksub: number };
  arrays: Record<string, ArrayEntry>;
}

/** Writes the model's three files to `dir`; returns the metadata file's path. */
export async function saveModel(dir: string, model: KnnModel): Promise<string> {
  const { index } = model;
  const arrays: Record<string, Float32Array | Int32Array | Uint8Array> = {};
  if (index.type !== 'faiss.IVFPQ') arrays.vectors = index.vectors;
  if (index.type !== 'faiss.Flat') {
    arrays.centroids = index.centroids;
    arrays.list_sizes = index.listSizes;
  }
  if (index.type === 'faiss.IVFPQ') {
    arrays.codebooks = index.codebooks;
    arrays.codes = index.codes;
  }
  const entries: Record<string, ArrayEntry> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    const type: ArrayType =
      array instanceof Float32Array ? 'float32' : array instanceof Int32Array ? 'int32' : 'uint8';
    entries[name] = { offset, length: array.length, type };
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    const padding = (8 - (bytes.length % 8)) % 8;
    chunks.push(bytes, Buffer.alloc(padding));
    offset += bytes.length + padding;
  }
  const r = model.reduction;
  const metadata: Metadata = {
    format: 'plinth-knn',
    version: 1,
    k: model.k,
    predictor_type: model.predictorType,
    feature_dim: model.featureDim,
    index_type: index.type,
    index_metric: model.metric,
    index_dim: model.indexDim,
    count: storedCount(index),
    dimension_reduction: r
      ? { type: r.type, seed: r.seed, target_dim: r.targetDim, input_dim: r.inputDim }
      : null,
    arrays: entries,
  };
  if (index.type !== 'faiss.Flat')
    metadata.ivf = { nlists: index.listSizes.length, nprobe: index.nprobe, probe: index.probe };
  if (index.type === 'faiss.IVFPQ') metadata.pq = { m: index.m, ksub: index.ksub };
  await writeFile(join(dir, MODEL_FILES.index), Buffer.concat(chunks));
  const labels = model.labels;
  await writeFile(
    join(dir, MODEL_FILES.labels),
    Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength),
  );
  const path = join(dir, MODEL_FILES.metadata);
  await writeFile(path, `${JSON.stringify(metadata, null, 2)}\n`);
  return path;
}

/** Reads and checks a model written by {@link saveModel}; throws a message naming what is wrong. */
export async function loadModel(dir: string): Promise<KnnModel> {
  const path = join(dir, MODEL_FILES.metadata);
  const m = JSON.parse(await readFile(path, 'utf8')) as Partial<Metadata>;
  const fail = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  if (m.format !== 'plinth-knn' || m.version !== 1)
    fail('not a Plinth k-NN model (format plinth-knn, version 1)');
  const { k, feature_dim: featureDim, index_dim: indexDim, count } = m;
  if (!isCount(k) || !isCount(featureDim) || !isCount(indexDim) || !isCount(count))
    return fail('k, feature_dim, index_dim and count must be positive integers');
  if (k > count) fail(`k=${k} is more than the ${count} vectors in the index`);
  if (m.predictor_type !== 'classifier' && m.predictor_type !== 'regressor')
    fail("predictor_type must be 'classifier' or 'regressor'");
  if (!INDEX_TYPES.includes(m.index_type!) || !INDEX_METRICS.includes(m.index_metric!))
    fail('unknown index_type or index_metric');
  const bytes = await readFile(join(dir, MODEL_FILES.index));
  const array = <T extends ArrayType>(
    name: string,
    type: T,
  ): T extends 'float32' ? Float32Array : T extends 'int32' ? Int32Array : Uint8Array => {
    const entry = m.arrays?.[name];
    if (!entry || entry.type !== type || entry.offset + entry.length * width(type) > bytes.length)
      fail(`array '${name}' is missing or does not fit ${MODEL_FILES.index}`);
    const copy = new Uint8Array(
      bytes.subarray(entry!.offset, entry!.offset + entry!.length * width(type)),
    );
    const Type = type === 'float32' ? Float32Array : type === 'int32' ? Int32Array : Uint8Array;
    return new Type(copy.buffer) as never;
  };
  const labelBytes = await readFile(join(dir, MODEL_FILES.labels));
  if (labelBytes.length !== count * 4)
    fail(`${MODEL_FILES.labels} must hold ${count} float32 labels`);
  const labels = new Float32Array(new Uint8Array(labelBytes).buffer);
  const similarity = m.index_metric === 'L2' ? 'l2' : 'ip';
  const lists = () => ({
    centroids: array('centroids', 'float32'),
    listSizes: array('list_sizes', 'int32'),
    nprobe: m.ivf?.nprobe ?? fail('ivf.nprobe is missing'),
    probe: m.ivf?.probe ?? fail('ivf.probe is missing'),
  });
  let index: StoredIndex;
  if (m.index_type === 'faiss.Flat')
    index = { type: 'faiss.Flat', similarity, dim: indexDim, vectors: array('vectors', 'float32') };
  else if (m.index_type === 'faiss.IVFFlat')
    index = {
      type: 'faiss.IVFFlat',
      similarity,
      dim: indexDim,
      vectors: array('vectors', 'float32'),
      ...lists(),
    };
  else
    index = {
      type: 'faiss.IVFPQ',
      similarity: 'l2',
      dim: indexDim,
      m: m.pq?.m ?? fail('pq.m is missing'),
      ksub: m.pq?.ksub ?? fail('pq.ksub is missing'),
      codebooks: array('codebooks', 'float32'),
      codes: array('codes', 'uint8'),
      ...lists(),
    };
  if (storedCount(index) !== count)
    fail(`the index holds ${storedCount(index)} vectors, not count=${count}`);
  const model: KnnModel = {
    k,
    predictorType: m.predictor_type!,
    featureDim,
    metric: m.index_metric!,
    indexDim,
    index,
    labels,
  };
  const r = m.dimension_reduction;
  if (r)
    model.reduction = {
      type: r.type,
      seed: r.seed,
      targetDim: r.target_dim,
      inputDim: r.input_dim,
    };
  return model;
}

const width = (type: ArrayType): number => (type === 'uint8' ? 1 : 4);

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
