import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Forest, allocateForest } from './forest.js';

/** The model's header under `model/`: what the forest is and how its binary file is laid out. */
export const MODEL_FILE = 'model.json';
/** The forest's arrays, little-endian, in {@link ARRAYS} order. */
export const FOREST_FILE = 'forest.bin';

/** Plinth's Random Cut Forest model header. */
export interface RcfModelFile {
  format: 'plinth-randomcutforest';
  version: 1;
  feature_dim: number;
  num_trees: number;
  num_samples_per_tree: number;
  /** Training records the reservoirs saw. */
  records: number;
  nodes: number;
  /** Sample rows over all trees. */
  rows: number;
  file: typeof FOREST_FILE;
  /** The arrays in the binary file, in order: name, element type, length. */
  arrays: { name: ArrayName; type: 'float64' | 'int32' | 'float32'; length: number }[];
}

type ArrayName =
  'cutValue' | 'roots' | 'masses' | 'cutDim' | 'right' | 'first' | 'count' | 'points';
// 8-byte values first, so that every array starts aligned for its element size.
const ARRAYS: readonly ArrayName[] = [
  'cutValue',
  'roots',
  'masses',
  'cutDim',
  'right',
  'first',
  'count',
  'points',
];

/** What the model records besides the forest. */
export interface ModelInfo {
  numSamplesPerTree: number;
  records: number;
}

/** Writes `model.json` and `forest.bin` to the model directory; returns the header's path. */
export async function saveModel(
  modelDir: string,
  model: { forest: Forest; info: ModelInfo },
): Promise<string> {
  const { forest, info } = model;
  const views = ARRAYS.map((name) => forest[name]);
  const header: RcfModelFile = {
    format: 'plinth-randomcutforest',
    version: 1,
    feature_dim: forest.dim,
    num_trees: forest.trees,
    num_samples_per_tree: info.numSamplesPerTree,
    records: info.records,
    nodes: forest.cutDim.length,
    rows: forest.points.length / forest.dim,
    file: FOREST_FILE,
    arrays: ARRAYS.map((name, i) => ({
      name,
      type: name === 'cutValue' ? 'float64' : name === 'points' ? 'float32' : 'int32',
      length: views[i]!.length,
    })),
  };
  const bytes = Buffer.concat(
    views.map((view) => Buffer.from(view.buffer, view.byteOffset, view.byteLength)),
  );
  await writeFile(join(modelDir, FOREST_FILE), bytes);
  const path = join(modelDir, MODEL_FILE);
  await writeFile(path, `${JSON.stringify(header)}\n`);
  return path;
}

/** Reads and checks a saved forest; throws a message naming the file and what is wrong. */
export async function loadModel(
  modelDir: string,
): Promise<{ forest: Forest; header: RcfModelFile }> {
  const path = join(modelDir, MODEL_FILE);
  const header = JSON.parse(await readFile(path, 'utf8')) as Partial<RcfModelFile>;
  if (header.format !== 'plinth-randomcutforest' || header.version !== 1)
    throw new Error(
      `${path} is not a Plinth Random Cut Forest model (format plinth-randomcutforest, version 1)`,
    );
  const { feature_dim: dim, num_trees: trees, nodes, rows } = header;
  if (![dim, trees, nodes, rows].every(isCount))
    throw new Error(`${path} must have positive integer feature_dim, num_trees, nodes and rows`);
  const forest = allocateForest({ dim: dim!, trees: trees!, nodes: nodes!, rows: rows! });
  const binary = join(modelDir, FOREST_FILE);
  const bytes = await readFile(binary);
  const expected = ARRAYS.reduce((sum, name) => sum + forest[name].byteLength, 0);
  if (bytes.length !== expected)
    throw new Error(
      `${binary} has ${bytes.length} bytes; the header ${path} describes ${expected}`,
    );
  let offset = 0;
  for (const name of ARRAYS) {
    const view = forest[name];
    new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(
      bytes.subarray(offset, offset + view.byteLength),
    );
    offset += view.byteLength;
  }
  checkForest(forest, binary);
  return { forest, header: header as RcfModelFile };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** Scoring trusts the indices; a damaged file must fail here, not read out of bounds. */
function checkForest(forest: Forest, file: string): void {
  const { roots, trees, cutDim, right, first, count, dim } = forest;
  const nodes = cutDim.length;
  const rows = forest.points.length / dim;
  const fail = (what: string): never => {
    throw new Error(`${file} is damaged: ${what}`);
  };
  for (let t = 0; t < trees; t++)
    if (!(roots[t]! >= 0 && roots[t]! < roots[t + 1]! && roots[t + 1]! <= nodes))
      fail(`tree ${t} has no nodes within the file`);
  if (roots[trees] !== nodes) fail(`the trees do not cover its ${nodes} nodes`);
  for (let n = 0; n < nodes; n++) {
    if (cutDim[n]! >= dim || first[n]! < 0 || count[n]! < 1 || first[n]! + count[n]! > rows)
      fail(`node ${n} has a cut dimension or rows outside the forest`);
    if (cutDim[n]! >= 0 && !(right[n]! > n + 1 && right[n]! < nodes))
      fail(`node ${n} has a right child outside the forest`);
  }
}
