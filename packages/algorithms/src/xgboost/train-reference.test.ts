// Plinth's trainer against the real xgboost library (1.7, Debian's python3-xgboost): trained on
// the same rows with the same hyperparameters, the two models score alike; and the library
// loads Plinth's model file and predicts exactly what Plinth's own predictor predicts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { boost } from './boost.js';
import { parseHyperparameters } from './hyperparameters.js';
import { stringifyModelJson } from './model-json.js';
import { readModelJson } from './model-reader.js';
import { modelJson } from './model-writer.js';
import { objectiveSetup } from './objective-setup.js';
import { predictMargins } from './predictor.js';
import { hasXGBoost, runPython } from './python-reference.js';
import { channel } from './test-channel.js';

const COMPARE = String.raw`
import json, sys, numpy as np, xgboost as xgb
cfg = json.load(sys.stdin)
X = np.array(cfg["train"], dtype=np.float32); y = np.array(cfg["labels"], dtype=np.float32)
T = np.array(cfg["test"], dtype=np.float32); ty = np.array(cfg["testLabels"], dtype=np.float32)
ref = xgb.train(cfg["params"], xgb.DMatrix(X, label=y), cfg["rounds"])
mine = xgb.Booster(model_file=cfg["model"])
dt = xgb.DMatrix(T)
def score(b):
    p = b.predict(dt)
    if cfg["params"]["objective"] == "binary:logistic":
        order = np.argsort(-p, kind="stable"); pos = ty[order]
        tp = np.cumsum(pos); fp = np.cumsum(1 - pos)
        return float(np.trapz(tp / tp[-1], fp / fp[-1]))
    if cfg["params"]["objective"].startswith("multi"):
        return float(np.mean(np.argmax(p, axis=1) == ty))
    return float(np.sqrt(np.mean((p - ty) ** 2)))
emit({"reference": score(ref), "plinth": score(mine),
      "margins": mine.predict(dt, output_margin=True).reshape(len(T), -1).tolist()})
`;

interface Comparison {
  reference: number;
  plinth: number;
  margins: number[][];
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-xgb-ref-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rows with a nonlinear signal and 10% missing values, as float32. */
function dataset(rows: number, seed: number, label: (x: number[]) => number) {
  const random = createRandom(seed);
  const x = Array.from({ length: rows }, () =>
    Array.from({ length: 5 }, (_, f) =>
      random() < 0.1 ? NaN : Math.fround((random() - 0.5) * (f + 1)),
    ),
  );
  const clean = (v: number) => (Number.isNaN(v) ? 0 : v);
  const y = x.map((r) => label(r.map(clean)) + (random() - 0.5) * 0.8);
  return { x, y };
}

async function compare(
  params: Record<string, string>,
  data: ReturnType<typeof dataset>,
  labels: (y: number) => number,
) {
  const hp = parseHyperparameters(params);
  const setup = objectiveSetup(hp);
  const cut = Math.floor(data.x.length * 0.8);
  const y = data.y.map(labels);
  const result = await boost({
    hp,
    setup,
    train: channel(data.x.slice(0, cut), y.slice(0, cut)),
    threads: 1,
    print: () => {},
    log: () => {},
  });
  const model = modelJson(result.trees, result.treeInfo, {
    objective: hp.objective,
    numFeature: 5,
    numClass: hp.numClass,
    baseScore: hp.baseScore,
    numParallelTree: 1,
    scalePosWeight: 1,
    poissonMaxDeltaStep: 0.7,
    tweedieVariancePower: 1.5,
    attributes: { best_iteration: String(hp.numRound - 1), best_ntree_limit: String(hp.numRound) },
  });
  const file = join(dir, `${params.objective}.json`);
  const text = stringifyModelJson(model);
  await writeFile(file, text);
  const nulls = (rows: number[][]) => rows.map((r) => r.map((v) => (Number.isNaN(v) ? null : v)));
  const out = runPython<Comparison>(COMPARE, {
    train: nulls(data.x.slice(0, cut)),
    labels: y.slice(0, cut),
    test: nulls(data.x.slice(cut)),
    testLabels: y.slice(cut),
    params: {
      ...Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'num_round')),
      tree_method: 'hist',
      nthread: 1,
    },
    rounds: hp.numRound,
    model: file,
  });
  const test = data.x.slice(cut);
  const own = predictMargins(readModelJson(text), {
    features: Float32Array.from(test.flat()),
    rows: test.length,
  });
  return { ...out, own };
}

describe.skipIf(!hasXGBoost())('XGBoost training against the xgboost library', () => {
  it('binary:logistic: the same held-out AUC, and xgboost predicts what Plinth predicts', async () => {
    const data = dataset(3000, 1, (r) => r[0]! - 0.7 * r[1]! + 0.4 * r[2]! * r[2]! - 0.3);
    const out = await compare(
      { num_round: '20', objective: 'binary:logistic', max_depth: '4', eta: '0.3' },
      data,
      (y) => (y > 0 ? 1 : 0),
    );
    expect(Math.abs(out.plinth - out.reference)).toBeLessThan(0.01);
    expect(out.plinth).toBeGreaterThan(0.8);
    out.margins.forEach(([m], r) => expect(out.own[r]).toBeCloseTo(m!, 5));
  });

  it('reg:squarederror: the same held-out RMSE within 3%', async () => {
    const data = dataset(3000, 2, (r) => 2 * r[0]! + Math.sin(3 * r[1]!) - r[3]!);
    const out = await compare(
      { num_round: '30', objective: 'reg:squarederror', max_depth: '5', eta: '0.2', lambda: '2' },
      data,
      (y) => y,
    );
    expect(out.plinth / out.reference).toBeGreaterThan(0.97);
    expect(out.plinth / out.reference).toBeLessThan(1.03);
    out.margins.forEach(([m], r) => expect(out.own[r]).toBeCloseTo(m!, 4));
  });

  it('multi:softprob: the same held-out accuracy within 2 points, same margins per class', async () => {
    const data = dataset(3000, 3, (r) => r[0]! + r[1]!);
    const out = await compare(
      { num_round: '15', objective: 'multi:softprob', num_class: '3', max_depth: '4' },
      data,
      (y) => (y < -0.5 ? 0 : y < 0.5 ? 1 : 2),
    );
    expect(Math.abs(out.plinth - out.reference)).toBeLessThan(0.02);
    out.margins.forEach((row, r) =>
      row.forEach((m, k) => expect(out.own[r * 3 + k]).toBeCloseTo(m, 5)),
    );
  });
});
