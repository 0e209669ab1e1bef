import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelJson } from './model-reader.js';
import { predict, predictMargins } from './predictor.js';
import { denseRows, hasXGBoost, trainReferenceModels } from './python-reference.js';

type Reference = ReturnType<typeof trainReferenceModels>;

/** Asserts equality to float32 precision: 1e-5 relative (or 1e-6 absolute near zero). */
function expectClose(
  actual: ArrayLike<number>,
  expected: readonly number[][],
  label: string,
): void {
  const flat = expected.flat();
  expect(actual.length, label).toBe(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const tolerance = Math.max(1e-6, 1e-5 * Math.abs(flat[i]!));
    if (!(Math.abs(actual[i]! - flat[i]!) <= tolerance))
      expect.fail(`${label}: value ${i} is ${actual[i]}, xgboost says ${flat[i]}`);
  }
}

describe.runIf(hasXGBoost())('xgboost JSON models saved by the xgboost library', () => {
  let ref: Reference;
  beforeAll(() => {
    ref = trainReferenceModels(mkdtempSync(join(tmpdir(), 'plinth-xgb-ref-')));
  }, 60_000);

  const load = (name: string) => readModelJson(readFileSync(ref.models[name]!.file, 'utf8'));

  it.each([
    'binary',
    'softprob',
    'regression',
    'softmax',
    'logitraw',
    'hinge',
    'poisson',
    'logistic_base',
    'dart',
    'forest',
    'linear',
    'linear_multi',
  ])('%s: predictions and margins equal the library', (name) => {
    const model = load(name);
    const matrix = { features: denseRows(ref.rows), rows: ref.rows.length };
    expectClose(predictMargins(model, matrix), ref.models[name]!.margins, `${name} margins`);
    const predictions = predict(model, matrix);
    expect(predictions.width).toBe(ref.models[name]!.predictions[0]!.length);
    expectClose(predictions.values, ref.models[name]!.predictions, `${name} predictions`);
  });

  it('reads the model shape: objective, features, groups and base margin', () => {
    const binary = load('binary');
    expect(binary).toMatchObject({
      objective: 'binary:logistic',
      numFeature: 6,
      numGroup: 1,
      baseScore: 0.5,
    });
    expect(binary.baseMargin).toBe(0);
    expect(binary.trees!.count).toBe(20);
    expect(binary.trees!.maxDepth).toBeLessThanOrEqual(4);
    const softprob = load('softprob');
    expect(softprob.numGroup).toBe(3);
    expect(Array.from(softprob.trees!.group.slice(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(load('logistic_base').baseMargin).toBeCloseTo(Math.log(0.2 / 0.8), 6);
    expect(load('dart').trees!.weight).toBeDefined();
  });

  it('predicts with best_ntree_limit after early stopping, as SageMaker does', () => {
    const early = ref.models.early;
    const model = readModelJson(readFileSync(early.file, 'utf8'));
    expect(early.best_ntree_limit).toBeLessThan(early.rounds);
    expect(model.treeLimit).toBe(early.best_ntree_limit);
    const matrix = { features: denseRows(ref.rows), rows: ref.rows.length };
    expectClose(predict(model, matrix).values, early.predictions, 'best iterations');
    expectClose(
      predict({ ...model, treeLimit: model.trees!.count }, matrix).values,
      early.all_trees,
      'all trees',
    );
  });

  it('follows categorical splits (category sets go right, unknown categories left)', () => {
    const model = load('categorical');
    expect(model.trees!.categorical).toBeDefined();
    const rows = ref.categorical_rows;
    const matrix = { features: denseRows(rows), rows: rows.length };
    expectClose(predict(model, matrix).values, ref.models.categorical!.predictions, 'categorical');
  });
});
