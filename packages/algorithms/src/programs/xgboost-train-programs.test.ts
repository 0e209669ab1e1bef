import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { buildPrograms, contractRoot, csv, runTrainer } from '../testing/contract-job.js';
import { recordIO } from '../testing/linear-data.js';
import { readModelJson } from '../xgboost/model-reader.js';
import { predict } from '../xgboost/predictor.js';
import { hasXGBoost, runPython } from '../xgboost/python-reference.js';

const run = (root: string) => runTrainer('xgboost-train', root);
/**
 * The MetricDefinition regex for an XGBoost metric, e.g. validation:auc, as the platform
 * declares it: SageMaker's pattern with a number captured (`\S+` would run on into the next
 * `#011`-separated metric).
 */
const sagemakerRegex = (channel: string, metric: string) =>
  new RegExp(
    `.*\\[[0-9]+\\].*#011${channel}-${metric}:([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*`,
    'gm',
  );
const values = (stdout: string, channel: string, metric: string): number[] =>
  [...stdout.matchAll(sagemakerRegex(channel, metric))].map((m) => Number(m[1]));

/** Rows `[label, x0, x1, x2]`: late when x0 + x1² is large, x2 is noise. */
function flights(count: number, seed: number): number[][] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const x = [Math.round(random() * 23), Math.round(random() * 100) / 10, random()];
    const late = x[0]! / 23 + (x[1]! / 10) ** 2 + 0.3 * random() > 1 ? 1 : 0;
    return [late, ...x];
  });
}

const libsvm = (rows: number[][]): string =>
  rows
    .map(
      ([label, ...x]) =>
        `${label} ${x
          .map((v, i) => (Number.isNaN(v) ? '' : `${i}:${v}`))
          .filter(Boolean)
          .join(' ')}\n`,
    )
    .join('');

beforeAll(buildPrograms, 120_000);

describe('xgboost-train program', () => {
  it('trains binary:logistic on CSV with a validation channel and writes an xgboost JSON model', async () => {
    const train = flights(2000, 1);
    const validation = flights(500, 2);
    const root = await contractRoot({
      hyperparameters: {
        num_round: '12',
        objective: 'binary:logistic',
        eval_metric: 'auc,logloss',
        max_depth: '4',
      },
      channels: {
        train: { contentType: 'text/csv', file: 'train.csv', body: csv(train) },
        validation: { contentType: 'text/csv', file: 'validation.csv', body: csv(validation) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^\[0\]#011train-auc:0\.\d{5}#011train-logloss:0\.\d{5}#011validation-auc:0\.\d{5}#011validation-logloss:0\.\d{5}$/m,
    );
    expect(stdout).toMatch(/Train matrix has 2000 rows and 3 columns/);
    expect(stdout).toMatch(/Validation matrix has 500 rows/);
    // SageMaker's own MetricDefinitions read every round.
    const auc = values(stdout, 'validation', 'auc');
    const logloss = values(stdout, 'validation', 'logloss');
    expect(logloss).toHaveLength(12);
    expect(logloss.at(-1)).toBeLessThan(logloss[0]!);
    expect(auc.length).toBe(12);
    expect(values(stdout, 'train', 'logloss').at(-1)).toBeLessThan(0.3);
    const text = await readFile(join(root, 'model/xgboost-model'), 'utf8');
    const model = readModelJson(text);
    expect(model).toMatchObject({ objective: 'binary:logistic', numFeature: 3, booster: 'gbtree' });
    expect(model.trees!.count).toBe(12);
    expect(model.attributes).toEqual({ best_iteration: '11', best_ntree_limit: '12' });
    const rows = validation.map((r) => r.slice(1));
    const mine = predict(model, { features: Float32Array.from(rows.flat()), rows: rows.length });
    const accuracy =
      validation.filter((r, i) => (mine.values[i]! > 0.5 ? 1 : 0) === r[0]).length / 500;
    expect(accuracy).toBeGreaterThan(0.85);
    if (!hasXGBoost()) return;
    const library = runPython<number[]>(
      'import json, sys, numpy as np, xgboost as xgb\n' +
        'cfg = json.load(sys.stdin)\n' +
        'b = xgb.Booster(model_file=cfg["file"])\n' +
        'emit(b.predict(xgb.DMatrix(np.array(cfg["rows"], dtype=np.float32))).tolist())\n',
      { file: join(root, 'model/xgboost-model'), rows },
    );
    library.forEach((p, i) => expect(mine.values[i]).toBeCloseTo(p, 6));
  });

  it('trains on two threads (worker shards) to the same model as on one', async () => {
    const train = flights(40_000, 3);
    const job = (nthread: string) =>
      contractRoot({
        hyperparameters: { num_round: '5', objective: 'binary:logistic', nthread, max_depth: '5' },
        channels: { train: { contentType: 'text/csv', file: 'train.csv', body: csv(train) } },
      });
    const [one, two] = [await run(await job('1')), await run(await job('2'))];
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toMatch(/Trained 5 trees in [\d.]+ s on 2 thread\(s\)/);
    const a = values(one.stdout, 'train', 'logloss');
    const b = values(two.stdout, 'train', 'logloss');
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 4));
  });

  it('trains on LIBSVM (absent entries missing, label:weight) and on RecordIO-protobuf', async () => {
    const rows = flights(800, 4).map((r, i) => (i % 7 === 0 ? [r[0]!, r[1]!, NaN, r[3]!] : r));
    const weighted = libsvm(rows).replace(/^(\d)/gm, '$1:2');
    const root = await contractRoot({
      hyperparameters: { num_round: '6', objective: 'binary:logistic', eval_metric: 'error' },
      channels: {
        train: { contentType: 'text/libsvm', file: 'train.libsvm', body: weighted },
        validation: {
          contentType: 'text/x-libsvm',
          file: 'v.libsvm',
          body: libsvm(flights(200, 5)),
        },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    expect(values(stdout, 'validation', 'error').at(-1)).toBeLessThan(0.15);
    const rec = await contractRoot({
      hyperparameters: { num_round: '4', objective: 'reg:squarederror' },
      channels: {
        train: {
          contentType: 'application/x-recordio-protobuf',
          file: 'train.rec',
          body: recordIO(flights(300, 6).map(([y, ...x]) => [...x, y!])),
        },
      },
    });
    const recordRun = await run(rec);
    expect(recordRun.code).toBe(0);
    expect(values(recordRun.stdout, 'train', 'rmse')).toHaveLength(4);
  });

  it('reads empty CSV fields as missing values and csv_weights=1 weights', async () => {
    const rows = flights(600, 7);
    const body = rows
      .map(([y, a, b, c], i) => `${y},${i % 4 === 0 ? 2 : 1},${i % 5 === 0 ? '' : a},${b},${c}\n`)
      .join('');
    const root = await contractRoot({
      hyperparameters: { num_round: '5', objective: 'binary:logistic', csv_weights: '1' },
      channels: { train: { contentType: 'text/csv', file: 'train.csv', body } },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Train matrix has 600 rows and 3 columns/);
    const model = JSON.parse(await readFile(join(root, 'model/xgboost-model'), 'utf8'));
    const tree = model.learner.gradient_booster.model.trees[0];
    // Weights 2 and 1: the root's hessian sum is 0.25 * (150 * 2 + 450 * 1).
    expect(tree.sum_hessian[0]).toBeCloseTo(0.25 * 750, 3);
  });

  it('stops early on the validation channel and keeps the rounds up to the best', async () => {
    const random = createRandom(8);
    const noise = (n: number) =>
      Array.from({ length: n }, () => [random() < 0.5 ? 1 : 0, random(), random()]);
    const root = await contractRoot({
      hyperparameters: {
        num_round: '100',
        objective: 'binary:logistic',
        eval_metric: 'logloss',
        early_stopping_rounds: '4',
        eta: '0.6',
      },
      channels: {
        train: { contentType: 'text/csv', file: 't.csv', body: csv(noise(300)) },
        validation: { contentType: 'text/csv', file: 'v.csv', body: csv(noise(300)) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    const losses = values(stdout, 'validation', 'logloss');
    expect(losses.length).toBeLessThan(100);
    const best = losses.indexOf(Math.min(...losses));
    expect(losses.length).toBe(best + 5);
    expect(stdout).toMatch(/Stopping early: validation-logloss has not improved for 4 rounds/);
    const model = readModelJson(await readFile(join(root, 'model/xgboost-model'), 'utf8'));
    expect(model.trees!.count).toBe(best + 1);
    expect(model.attributes.best_iteration).toBe(String(best));
  });

  it('trains multi:softmax and rank:pairwise (LIBSVM qid groups)', async () => {
    const random = createRandom(9);
    const rows = Array.from({ length: 600 }, () => {
      const x = [random() * 3, random()];
      return [Math.floor(x[0]!), ...x];
    });
    const multi = await contractRoot({
      hyperparameters: { num_round: '5', objective: 'multi:softmax', num_class: '3' },
      channels: { train: { contentType: 'text/csv', file: 't.csv', body: csv(rows) } },
    });
    const m = await run(multi);
    expect(m.code).toBe(0);
    expect(values(m.stdout, 'train', 'mlogloss')).toHaveLength(5);
    const model = readModelJson(await readFile(join(multi, 'model/xgboost-model'), 'utf8'));
    expect(model.numGroup).toBe(3);
    expect(model.trees!.count).toBe(15);
    const queries = Array.from({ length: 30 }, (_, q) =>
      Array.from({ length: 10 }, () => {
        const x = random();
        return `${x > 0.7 ? 2 : x > 0.4 ? 1 : 0} qid:${q + 1} 0:${x} 1:${random()}`;
      }).join('\n'),
    ).join('\n');
    const rank = await contractRoot({
      hyperparameters: { num_round: '5', objective: 'rank:pairwise', eval_metric: 'ndcg,map' },
      channels: { train: { contentType: 'text/libsvm', file: 'r.libsvm', body: `${queries}\n` } },
    });
    const r = await run(rank);
    expect(r.code).toBe(0);
    expect(values(r.stdout, 'train', 'map').at(-1)).toBeGreaterThan(0.9);
    expect(values(r.stdout, 'train', 'ndcg').at(-1)).toBeGreaterThan(0.9);
  });

  it.each([
    [{ num_round: '5', foo: '1' }, "Unknown hyperparameter 'foo'"],
    [{ num_round: '5', eta: '2' }, "Hyperparameter 'eta' must be a number >= 0 and <= 1, got '2'"],
    [{ objective: 'binary:logistic' }, "Missing required hyperparameter 'num_round'"],
    [
      { num_round: '5', objective: 'multi:softprob' },
      "Missing required hyperparameter 'num_class'",
    ],
    [{ num_round: '5', booster: 'gblinear' }, "'booster': 'gblinear' is not supported"],
  ])('fails with output/failure and exit 1 for %j', async (hyperparameters, message) => {
    const root = await contractRoot({
      hyperparameters,
      channels: { train: { contentType: 'text/csv', file: 't.csv', body: csv(flights(50, 1)) } },
    });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });

  it.each<{ name: string; extra: Record<string, string>; body: string; message: string }>([
    {
      name: 'a label outside [0, 1] for binary:logistic',
      extra: { objective: 'binary:logistic' },
      body: '2,1,1\n0,2,2\n',
      message:
        "'train' channel's row 1 has label 2, but objective 'binary:logistic' needs labels in [0, 1]",
    },
    {
      name: 'a class label at num_class',
      extra: { objective: 'multi:softmax', num_class: '2' },
      body: '2,1\n0,2\n',
      message: 'integer labels in [0, num_class) = [0, 2)',
    },
    {
      name: 'a text field',
      extra: {},
      body: '1,2,abc\n',
      message: "column 3: 'abc' is not a number",
    },
    {
      name: 'rows of different widths',
      extra: {},
      body: '1,2,3\n1,2\n',
      message: 'expected 3 columns',
    },
  ])('fails on $name', async ({ extra, body, message }) => {
    const root = await contractRoot({
      hyperparameters: { num_round: '3', ...extra },
      channels: { train: { contentType: 'text/csv', file: 't.csv', body } },
    });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });

  it('fails on a validation channel of another width, an unsupported content type or channel', async () => {
    const width = await contractRoot({
      hyperparameters: { num_round: '3' },
      channels: {
        train: {
          contentType: 'text/csv',
          file: 't.csv',
          body: csv([
            [1, 2, 3],
            [0, 1, 1],
          ]),
        },
        validation: {
          contentType: 'text/csv',
          file: 'v.csv',
          body: csv([
            [1, 2],
            [0, 1],
          ]),
        },
      },
    });
    expect((await run(width)).code).toBe(1);
    expect(await readFile(join(width, 'output/failure'), 'utf8')).toBe(
      "The 'train' channel's records have 2 features but the 'validation' channel's records have 1 (content type 'text/csv'; the label is the first CSV column).",
    );
    const json = await contractRoot({
      hyperparameters: { num_round: '3' },
      channels: { train: { contentType: 'application/json', file: 't.json', body: '[]' } },
    });
    expect((await run(json)).code).toBe(1);
    expect(await readFile(join(json, 'output/failure'), 'utf8')).toMatch(
      /Content type 'application\/json' is not supported.*text\/csv.*text\/libsvm/,
    );
    const unlabelled = await contractRoot({
      hyperparameters: { num_round: '3' },
      channels: {
        train: { contentType: 'text/csv;label_size=0', file: 't.csv', body: csv([[1, 2]]) },
      },
    });
    expect((await run(unlabelled)).code).toBe(1);
    expect(await readFile(join(unlabelled, 'output/failure'), 'utf8')).toMatch(
      /text\/csv;label_size=0 is not an accepted csv ContentType .* label_size must be 1/,
    );
    const test = await contractRoot({
      hyperparameters: { num_round: '3' },
      channels: {
        train: {
          contentType: 'text/csv',
          file: 't.csv',
          body: csv([
            [1, 2],
            [0, 1],
          ]),
        },
        test: { contentType: 'text/csv', file: 'x.csv', body: csv([[1, 2]]) },
      },
    });
    expect((await run(test)).code).toBe(1);
    expect(await readFile(join(test, 'output/failure'), 'utf8')).toMatch(
      /Channel 'test' is not supported by XGBoost; use 'train' \(required\) and 'validation' \(optional\)/,
    );
  });
});
