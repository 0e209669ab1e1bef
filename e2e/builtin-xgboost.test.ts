// SageMaker's XGBoost built-in through the AWS SDK on real flights (vega-datasets' flights-20k:
// is a flight more than 15 minutes late, from its hour, weekday, day, month and distance). The
// model Plinth writes is XGBoost's own JSON format: the xgboost library loads it and predicts
// what the endpoint answers, and a model the library trained serves on Plinth unchanged.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtinImage,
  deployJob,
  downloadModel,
  finalMetric,
  invokeText,
  trainBuiltin,
  useLivePlinth,
} from './support/builtins.js';
import { flights, toCsv } from './support/datasets.js';
import { deployModel } from './support/hosting.js';
import { hasPython, runPython } from './support/python.js';
import { sourceTarball } from './support/training.js';

const hasXgboost = hasPython('xgboost', 'sklearn');
const IMAGE = builtinImage('sagemaker-xgboost', '1.7-1');
const PARAMS = { max_depth: '5', eta: '0.3', num_round: '40', objective: 'binary:logistic' };

/** Predictions of an xgboost JSON model file (argv[1]) for the CSV rows on stdin. */
const LIBRARY_PREDICT = `
import sys, json, numpy as np, xgboost
booster = xgboost.Booster(model_file=sys.argv[1])
x = np.loadtxt(sys.stdin, delimiter=",", ndmin=2)
print(json.dumps(booster.predict(xgboost.DMatrix(x)).tolist()))
`;

/** Trains the library on {"train", "validation"} CSVs (label first) with the same hyperparameters, saves JSON to argv[1], prints its validation AUC. */
const LIBRARY_TRAIN = `
import sys, json, io, numpy as np, xgboost
from sklearn.metrics import roc_auc_score
data = json.load(sys.stdin)
train = np.loadtxt(io.StringIO(data["train"]), delimiter=",", ndmin=2)
valid = np.loadtxt(io.StringIO(data["validation"]), delimiter=",", ndmin=2)
params = {"max_depth": 5, "eta": 0.3, "objective": "binary:logistic", "tree_method": "hist", "nthread": 1}
booster = xgboost.train(params, xgboost.DMatrix(train[:, 1:], label=train[:, 0]), num_boost_round=40)
booster.save_model(sys.argv[1])
print(json.dumps({"auc": roc_auc_score(valid[:, 0], booster.predict(xgboost.DMatrix(valid[:, 1:])))}))
`;

/** Flights as CSV (label first): 16,000 to train on, every fifth of the rest to validate. */
function split() {
  const all = flights();
  const rows = all.map((f) => [f.hour, f.weekday, f.day, f.month, f.distance]);
  const labels = all.map((f) => (f.delay > 15 ? 1 : 0));
  const isValidation = (i: number): boolean => i % 5 === 4;
  const pick = (validation: boolean) => ({
    rows: rows.filter((_, i) => isValidation(i) === validation),
    labels: labels.filter((_, i) => isValidation(i) === validation),
  });
  const train = pick(false);
  const validation = pick(true);
  return {
    train: toCsv(train.rows, train.labels),
    validation: toCsv(validation.rows, validation.labels),
    validationRows: toCsv(validation.rows),
  };
}

/** Every number in a CSV answer, in order. */
function numbers(text: string): number[] {
  return text.trim().split(/[\n,]/).map(Number);
}

describe('XGBoost built-in through @aws-sdk/client-sagemaker on real flights', () => {
  const live = useLivePlinth();
  let work: string;
  const data = split();

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'plinth-xgb-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('trains with a validation channel, reports validation:auc, and its model predicts the same in the xgboost library', async () => {
    const job = await trainBuiltin(live, {
      bucket: 'xgb-flights',
      name: 'xgb-flights',
      image: IMAGE,
      hyperParameters: { ...PARAMS, eval_metric: 'auc' },
      channels: {
        train: { body: data.train, contentType: 'text/csv' },
        validation: { body: data.validation, contentType: 'text/csv' },
      },
    });
    const auc = finalMetric(job, 'validation:auc');
    expect(auc).toBeGreaterThan(0.6);

    const endpoint = await deployJob(live.sm, job);
    const served = numbers(
      await invokeText(live.runtime, endpoint, {
        body: data.validationRows,
        contentType: 'text/csv',
        accept: 'text/csv',
      }),
    );
    expect(served).toHaveLength(data.validationRows.trim().split('\n').length);
    expect(served.every((p) => p > 0 && p < 1)).toBe(true);
    if (!hasXgboost) return;

    const model = await downloadModel(live.s3, job.ModelArtifacts!.S3ModelArtifacts!, work);
    const library = JSON.parse(
      runPython(LIBRARY_PREDICT, {
        args: [join(model, 'xgboost-model')],
        input: data.validationRows,
      }),
    ) as number[];
    const worst = Math.max(...library.map((p, i) => Math.abs(p - served[i]!)));
    expect(worst).toBeLessThan(1e-5);

    const reference = JSON.parse(
      runPython(LIBRARY_TRAIN, {
        args: [join(work, 'reference.json')],
        input: JSON.stringify({ train: data.train, validation: data.validation }),
      }),
    ) as { auc: number };
    expect(Math.abs(auc! - reference.auc)).toBeLessThan(0.01);
  });

  it.skipIf(!hasXgboost)(
    'serves a model the xgboost library trained, with its predictions',
    async () => {
      const file = join(work, 'library.json');
      runPython(LIBRARY_TRAIN, {
        args: [file],
        input: JSON.stringify({ train: data.train, validation: data.validation }),
      });
      const tarball = sourceTarball(work, { 'xgboost-model': readFileSync(file) });
      await live.s3.send(
        new PutObjectCommand({ Bucket: 'xgb-flights', Key: 'library/model.tar.gz', Body: tarball }),
      );
      await deployModel(live.sm, {
        model: 'xgb-library',
        image: IMAGE,
        modelData: 's3://xgb-flights/library/model.tar.gz',
        config: 'xgb-library',
        variant: 'AllTraffic',
        instances: 1,
        endpoint: 'xgb-library',
      });
      const served = numbers(
        await invokeText(live.runtime, 'xgb-library', {
          body: data.validationRows,
          contentType: 'text/csv',
          accept: 'text/csv',
        }),
      );
      const library = JSON.parse(
        runPython(LIBRARY_PREDICT, { args: [file], input: data.validationRows }),
      ) as number[];
      expect(served).toHaveLength(library.length);
      expect(Math.max(...library.map((p, i) => Math.abs(p - served[i]!)))).toBeLessThan(1e-5);
    },
  );
});
