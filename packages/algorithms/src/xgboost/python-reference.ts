// Test support: the real xgboost library (Debian's python3-xgboost 1.7 at /usr/bin/python3) as
// the reference that Plinth's reader and predictor must agree with.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python interpreter that has xgboost 1.7 (CI installs python3-xgboost). */
export const PYTHON = '/usr/bin/python3';

/** Whether the reference library is installed. */
export function hasXGBoost(): boolean {
  return existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/xgboost');
}

/** Marks the JSON result line: xgboost's C++ logger also writes warnings to stdout. */
const RESULT_MARK = '@@plinth-result@@';

/**
 * Runs a Python script with `input` as JSON on stdin; the script prints its result as
 * `emit(value)` (defined for it). Returns that value.
 */
export function runPython<T>(script: string, input: unknown = {}): T {
  const prelude = `import json as _json\ndef emit(value): print("${RESULT_MARK}" + _json.dumps(value))\n`;
  const out = execFileSync(PYTHON, ['-c', prelude + script], {
    input: JSON.stringify(input),
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONWARNINGS: 'ignore' },
  });
  const text = out.toString('utf8');
  const at = text.lastIndexOf(RESULT_MARK);
  if (at === -1) throw new Error(`The Python script printed no result:\n${text}`);
  return JSON.parse(text.slice(at + RESULT_MARK.length)) as T;
}

/** One model the library trained and saved, with its predictions on the shared test rows. */
export interface ReferenceModel {
  file: string;
  /** `Booster.predict` output, one array per row (a single value for 1-D outputs). */
  predictions: number[][];
  /** `output_margin=True`, same shape. */
  margins: number[][];
}

/** What {@link trainReferenceModels} returns. */
export interface ReferenceSet {
  /** Test rows, `null` for missing values. */
  rows: (number | null)[][];
  models: Record<string, ReferenceModel>;
}

const TRAIN_SCRIPT = String.raw`
import json, sys, numpy as np, xgboost as xgb
cfg = json.load(sys.stdin)
out_dir = cfg["dir"]
rng = np.random.default_rng(7)
n, d = 400, 6
X = rng.normal(size=(n, d)).astype(np.float32)
X[rng.random(X.shape) < 0.15] = np.nan
z = np.nan_to_num(X[:, 0]) - 0.8 * np.nan_to_num(X[:, 1]) + 0.5 * np.nan_to_num(X[:, 2]) ** 2
y_bin = (z + 0.3 * rng.normal(size=n) > 0.4).astype(float)
y_multi = np.digitize(z, [-0.5, 0.8]).astype(float)
y_reg = 3 * z + rng.normal(size=n)
y_count = rng.poisson(np.exp(0.3 * np.clip(z, -3, 3)))
X_test = rng.normal(size=(60, d)).astype(np.float32)
X_test[rng.random(X_test.shape) < 0.2] = np.nan
base = {"max_depth": 4, "eta": 0.3, "nthread": 1, "seed": 1}
jobs = {
  "binary": ({"objective": "binary:logistic"}, y_bin, 20),
  "softprob": ({"objective": "multi:softprob", "num_class": 3}, y_multi, 20),
  "regression": ({"objective": "reg:squarederror"}, y_reg, 20),
  "softmax": ({"objective": "multi:softmax", "num_class": 3}, y_multi, 8),
  "logitraw": ({"objective": "binary:logitraw", "base_score": 0.3}, y_bin, 8),
  "hinge": ({"objective": "binary:hinge"}, y_bin, 8),
  "poisson": ({"objective": "count:poisson", "max_depth": 3}, y_count, 10),
  "logistic_base": ({"objective": "reg:logistic", "base_score": 0.2}, y_bin, 6),
  "dart": ({"objective": "binary:logistic", "booster": "dart", "rate_drop": 0.3, "seed": 3}, y_bin, 10),
  "forest": ({"objective": "reg:squarederror", "num_parallel_tree": 3, "subsample": 0.8, "colsample_bynode": 0.8}, y_reg, 4),
  "linear": ({"objective": "reg:squarederror", "booster": "gblinear"}, y_reg, 10),
  "linear_multi": ({"objective": "multi:softprob", "num_class": 3, "booster": "gblinear"}, y_multi, 10),
}
result = {"rows": [[None if np.isnan(v) else float(v) for v in row] for row in X_test], "models": {}}
dtest = xgb.DMatrix(X_test)
def shaped(p):
  return [[float(v) for v in row] if np.ndim(row) else [float(row)] for row in p]
for name, (params, y, rounds) in jobs.items():
  bst = xgb.train({**base, **params}, xgb.DMatrix(X, label=y), rounds)
  path = f"{out_dir}/{name}.json"
  bst.save_model(path)
  result["models"][name] = {"file": path, "predictions": shaped(bst.predict(dtest)), "margins": shaped(bst.predict(dtest, output_margin=True))}
# Early stopping: SageMaker's server predicts with best_ntree_limit, not every tree.
dtrain = xgb.DMatrix(X[:300], label=y_reg[:300]); dvalid = xgb.DMatrix(X[300:], label=y_reg[300:])
bst = xgb.train({**base, "objective": "reg:squarederror", "eta": 0.9, "max_depth": 6}, dtrain, 60, evals=[(dvalid, "validation")], early_stopping_rounds=3, verbose_eval=False)
path = f"{out_dir}/early.json"
bst.save_model(path)
best = xgb.Booster(model_file=path)
result["models"]["early"] = {"file": path, "predictions": shaped(best.predict(dtest, ntree_limit=best.best_ntree_limit)), "margins": shaped(best.predict(dtest, output_margin=True, ntree_limit=best.best_ntree_limit)), "all_trees": shaped(best.predict(dtest)), "best_ntree_limit": best.best_ntree_limit, "rounds": best.num_boosted_rounds()}
# Categorical splits (xgboost's own categorical support, saved in the JSON's categories arrays).
Xc = X.copy(); Xc[:, 3] = rng.integers(0, 5, size=n).astype(np.float32)
yc = y_reg + 2 * (Xc[:, 3] == 2) - 3 * (Xc[:, 3] == 4)
dc = xgb.DMatrix(Xc, label=yc, feature_types=["q", "q", "q", "c", "q", "q"], enable_categorical=True)
bst = xgb.train({**base, "objective": "reg:squarederror", "tree_method": "hist", "max_cat_to_onehot": 1}, dc, 10)
path = f"{out_dir}/categorical.json"
bst.save_model(path)
Xct = X_test.copy(); Xct[:, 3] = rng.integers(0, 7, size=60).astype(np.float32); Xct[::7, 3] = np.nan
dct = xgb.DMatrix(Xct, feature_types=["q", "q", "q", "c", "q", "q"], enable_categorical=True)
result["categorical_rows"] = [[None if np.isnan(v) else float(v) for v in row] for row in Xct]
result["models"]["categorical"] = {"file": path, "predictions": shaped(bst.predict(dct)), "margins": shaped(bst.predict(dct, output_margin=True))}
emit(result)
`;

/** Trains the reference models into `dir` with the real library; see TRAIN_SCRIPT above. */
export function trainReferenceModels(dir: string): ReferenceSet & {
  categorical_rows: (number | null)[][];
  models: {
    early: ReferenceModel & { all_trees: number[][]; best_ntree_limit: number; rounds: number };
  };
} {
  return runPython(TRAIN_SCRIPT, { dir });
}

/** Rows with `null` for missing as a row-major Float32Array with NaN. */
export function denseRows(rows: readonly (readonly (number | null)[])[]): Float32Array {
  const width = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, r) => row.forEach((v, c) => (out[r * width + c] = v ?? NaN)));
  return out;
}
