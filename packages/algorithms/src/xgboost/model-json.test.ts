import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type XGBoostModelJson, formatFloat32, stringifyModelJson } from './model-json.js';
import { readModelJson } from './model-reader.js';
import { predict } from './predictor.js';
import { hasXGBoost, runPython } from './python-reference.js';

describe('stringifyModelJson', () => {
  it('writes float arrays as float tokens, shortest for float32', () => {
    expect([0, 1, -2, 0.1, 1e-7, 3e38, NaN, -Infinity].map(formatFloat32)).toEqual([
      '0.0',
      '1.0',
      '-2.0',
      '0.1',
      '1e-7',
      '3e+38',
      'NaN',
      '-Infinity',
    ]);
  });

  it.runIf(hasXGBoost())(
    'writes a model the xgboost library loads and predicts the same with',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'plinth-xgb-write-'));
      const made = runPython<{ file: string }>(
        String.raw`
import json, sys, numpy as np, xgboost as xgb
d = json.load(sys.stdin)["dir"]
rng = np.random.default_rng(3); X = rng.normal(size=(200, 3)).astype(np.float32); y = (X[:, 0] > 0).astype(float)
b = xgb.train({"objective": "binary:logistic", "max_depth": 3}, xgb.DMatrix(X, label=y), 5)
b.save_model(d + "/orig.json"); emit({"file": d + "/orig.json"})
`,
        { dir },
      );
      const model = JSON.parse(readFileSync(made.file, 'utf8')) as XGBoostModelJson;
      // Integer-valued floats are what JSON.stringify would write as integers.
      const tree = (
        model.learner.gradient_booster as { model: { trees: { loss_changes: number[] }[] } }
      ).model.trees[0]!;
      tree.loss_changes = tree.loss_changes.map(() => 0);
      const text = stringifyModelJson(model);
      writeFileSync(join(dir, 'plinth.json'), text);
      const rows = [
        [0.5, -1, 2],
        [-0.3, 0.2, NaN],
      ];
      const python = runPython<number[]>(
        String.raw`
import json, sys, numpy as np, xgboost as xgb
cfg = json.load(sys.stdin)
b = xgb.Booster(model_file=cfg["file"])
emit(b.predict(xgb.DMatrix(np.array(cfg["rows"], dtype=np.float32))).tolist())
`,
        {
          file: join(dir, 'plinth.json'),
          rows: rows.map((r) => r.map((v) => (Number.isNaN(v) ? null : v))),
        },
      );
      const ours = predict(readModelJson(text), {
        features: Float32Array.from(rows.flat()),
        rows: 2,
      });
      expect(Array.from(ours.values)).toEqual(python.map((p) => Math.fround(p)));
    },
  );
});
