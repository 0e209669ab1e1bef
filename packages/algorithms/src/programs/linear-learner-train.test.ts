import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPrograms, contractRoot, csv, runTrainer } from '../testing/contract-job.js';
import { blobs, linear, recordIO, separable } from '../testing/linear-data.js';

const run = (root: string) => runTrainer('linear-learner-train', root);
const metric = (stdout: string, pattern: string): number[] =>
  [...stdout.matchAll(new RegExp(pattern, 'g'))].map((m) => Number(m[1]));

beforeAll(buildPrograms, 120_000);

describe('linear-learner-train program', () => {
  it('trains a binary classifier on CSV and logs SageMaker metric lines', async () => {
    const root = await contractRoot({
      hyperparameters: { predictor_type: 'binary_classifier', mini_batch_size: '50', epochs: '6' },
      channels: {
        train: { contentType: 'text/csv', file: 'train.csv', body: csv(separable(600)) },
        validation: { contentType: 'text/csv', file: 'v.csv', body: csv(separable(200)) },
        test: { contentType: 'text/csv', file: 'test.csv', body: csv(separable(200)) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    const host = '#quality_metric: host=algo-1,';
    const perEpoch = metric(stdout, `${host} epoch=\\S+, train \\S+_objective <loss>=(\\S+)`);
    expect(perEpoch.length).toBeGreaterThanOrEqual(4);
    expect(perEpoch.at(-1)).toBeLessThan(perEpoch[0]!);
    expect(
      metric(
        stdout,
        `${host} epoch=\\S+, validation binary_classification_accuracy <score>=(\\S+)`,
      ),
    ).toHaveLength(perEpoch.length);
    const [validation] = metric(
      stdout,
      `${host} validation binary_classification_accuracy <score>=(\\S+)`,
    );
    const [test] = metric(stdout, `${host} test binary_classification_accuracy <score>=(\\S+)`);
    expect(validation).toBeGreaterThanOrEqual(0.97);
    expect(test).toBeGreaterThanOrEqual(0.97);
    expect(
      metric(stdout, `${host} test binary_classification_cross_entropy_objective <loss>=(\\S+)`),
    ).toHaveLength(1);
    expect(stdout).toMatch(
      /Selected model \d+ of 32 from epoch \d+ on validation binary_classification_accuracy/,
    );
    const model = JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8'));
    expect(model).toMatchObject({
      format: 'plinth-linear-learner',
      version: 1,
      predictor_type: 'binary_classifier',
      feature_dim: 2,
      bias: [expect.any(Number)],
      normalization: { label_shift: 0, label_scale: 1 },
    });
    expect(model.weights).toHaveLength(1);
    expect(model.normalization.feature_shift[1]).toBeCloseTo(20, 0);
  });

  it('trains a multiclass classifier on RecordIO-protobuf with labels', async () => {
    const root = await contractRoot({
      hyperparameters: {
        predictor_type: 'multiclass_classifier',
        num_classes: '3',
        feature_dim: '3',
        mini_batch_size: '30',
      },
      channels: {
        train: {
          contentType: 'application/x-recordio-protobuf',
          file: 'a.rec',
          body: recordIO(blobs(600)),
        },
        test: {
          contentType: 'application/x-recordio-protobuf',
          file: 't.rec',
          body: recordIO(blobs(150)),
        },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    const [accuracy] = metric(stdout, 'host=algo-1, test multiclass_accuracy <score>=(\\S+)');
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(stdout).toContain('on train objective loss');
  });

  it('trains a regressor whose test mse is near the noise', async () => {
    const root = await contractRoot({
      hyperparameters: { predictor_type: 'regressor', mini_batch_size: '50', epochs: '20' },
      channels: {
        train: { contentType: 'text/csv', file: 'train.csv', body: csv(linear(1000, 0.1)) },
        test: { contentType: 'text/csv', file: 'test.csv', body: csv(linear(200, 0.1)) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    const [mse] = metric(stdout, 'host=algo-1, test mse <loss>=(\\S+)');
    expect(mse).toBeLessThan(0.02);
    expect(metric(stdout, 'host=algo-1, test absolute_loss <loss>=(\\S+)')[0]).toBeLessThan(0.15);
  });

  it.each([
    [{ mini_batch_size: '10' }, "Missing required hyperparameter 'predictor_type'", 'text/csv'],
    [
      { predictor_type: 'binary_classifier', loss: 'hinge_loss' },
      "loss='hinge_loss' is not supported by Plinth's linear-learner",
      'text/csv',
    ],
    [
      { predictor_type: 'binary_classifier', feature_dim: '5' },
      "Hyperparameter feature_dim=5 but the 'train' channel's records have 2 features",
      'text/csv',
    ],
    [
      { predictor_type: 'binary_classifier' },
      "The 'train' channel's records have no labels",
      'text/csv;label_size=0',
    ],
  ])('fails with output/failure and exit 1 for %j', async (hyperparameters, message, type) => {
    const root = await contractRoot({
      hyperparameters,
      channels: { train: { contentType: type, file: 'a.csv', body: csv(separable(20)) } },
    });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });

  it('fails on labels outside the classes and on an unsupported channel', async () => {
    const bad = await contractRoot({
      hyperparameters: { predictor_type: 'binary_classifier' },
      channels: { train: { contentType: 'text/csv', file: 'a.csv', body: '0,1\n2,3\n' } },
    });
    expect((await run(bad)).code).toBe(1);
    expect(await readFile(join(bad, 'output/failure'), 'utf8')).toBe(
      "The 'train' channel has a label 2; predictor_type=binary_classifier needs labels 0 and 1.",
    );
    const extra = await contractRoot({
      hyperparameters: { predictor_type: 'regressor' },
      channels: {
        train: { contentType: 'text/csv', file: 'a.csv', body: '0,1\n' },
        eval: { contentType: 'text/csv', file: 'a.csv', body: '0,1\n' },
      },
    });
    expect((await run(extra)).code).toBe(1);
    expect(await readFile(join(extra, 'output/failure'), 'utf8')).toBe(
      "Channel 'eval' is not supported by linear-learner; use 'train' (required) and 'validation', 'test' (optional).",
    );
  });
});
