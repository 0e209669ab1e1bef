import type { ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { RecordType, encodeDenseRecords, readRecordIO } from '../data/index.js';
import {
  buildPrograms,
  contractRoot,
  csv,
  runTrainer,
  startServer,
} from '../testing/contract-job.js';

const DIM = 3;
const K = 5;

/** Labelled rows around three centers (label = center), values rounded so CSV is exact in float32. */
function dataset(count: number, seed: number): { rows: number[][]; labels: number[] } {
  const random = createRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    rows.push(
      Array.from({ length: DIM }, (_, j) =>
        Math.fround(+((j === label ? 2 : 0) + 1.6 * (random() - 0.5)).toFixed(3)),
      ),
    );
    labels.push(label);
  }
  return { rows, labels };
}

const TRAIN = dataset(300, 1);
const TEST = dataset(60, 2);

/** Brute-force reference: the k nearest training rows (ties to the lower index), voted or averaged. */
function reference(
  query: number[],
  kind: 'classifier' | 'regressor',
  labels = TRAIN.labels,
): number {
  const nearest = TRAIN.rows
    .map((row, i) => ({ i, d: row.reduce((s, v, j) => s + (v - query[j]!) ** 2, 0) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, K)
    .map((n) => labels[n.i]!);
  if (kind === 'regressor') return nearest.reduce((a, b) => a + b) / K;
  const counts = new Map<number, number>();
  for (const l of nearest) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}

const labelled = (d: { rows: number[][]; labels: number[] }): number[][] =>
  d.rows.map((r, i) => [d.labels[i]!, ...r]);
const HP = {
  feature_dim: String(DIM),
  k: String(K),
  predictor_type: 'classifier',
  sample_size: '1000',
};
const run = (root: string) => runTrainer('knn-train', root);

beforeAll(buildPrograms, 120_000);

describe('knn-train program', () => {
  it('trains on CSV and reports test:accuracy as SageMaker logs it, equal to a brute-force reference', async () => {
    const root = await contractRoot({
      hyperparameters: HP,
      channels: {
        train: { contentType: 'text/csv', file: 'train.csv', body: csv(labelled(TRAIN)) },
        test: { contentType: 'text/csv', file: 'test.csv', body: csv(labelled(TEST)) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    expect((await readdir(join(root, 'model'))).sort()).toEqual([
      'model_algo-1',
      'model_algo-1.json',
      'model_algo-1.labels',
    ]);
    const expected =
      TEST.rows.filter((row, i) => reference(row, 'classifier') === TEST.labels[i]).length /
      TEST.rows.length;
    const sagemaker = /#test_score \(algo-1\) : \('accuracy', ([^)]+)\)/.exec(stdout);
    const quality = /#quality_metric: host=algo-1, test accuracy <score>=(\S+)/.exec(stdout);
    expect(Number(sagemaker?.[1])).toBe(expected);
    expect(Number(quality?.[1])).toBe(expected);
    expect(expected).toBeGreaterThan(0.8);
  });

  it('trains a regressor on RecordIO-protobuf and reports test:mse equal to the reference', async () => {
    // Regression target: the first feature; the prediction is the neighbours' mean.
    const target = (d: { rows: number[][] }) => d.rows.map((r) => r[0]!);
    const root = await contractRoot({
      hyperparameters: { ...HP, predictor_type: 'regressor' },
      channels: {
        train: {
          contentType: 'application/x-recordio-protobuf',
          file: 'train.rec',
          body: encodeDenseRecords(TRAIN.rows, target(TRAIN)),
        },
        test: {
          contentType: 'application/x-recordio-protobuf',
          file: 'test.rec',
          body: encodeDenseRecords(TEST.rows, target(TEST)),
        },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    const labels = target(TRAIN).map(Math.fround);
    const expected =
      TEST.rows.reduce(
        (s, row) =>
          s + (Math.fround(reference(row, 'regressor', labels)) - Math.fround(row[0]!)) ** 2,
        0,
      ) / TEST.rows.length;
    const mse = /#test_score \(algo-1\) : \('mse', ([^)]+)\)/.exec(stdout);
    expect(Number(mse?.[1])).toBeCloseTo(expected, 6);
    expect(stdout).toMatch(/#quality_metric: host=algo-1, test mse <loss>=\S+/);
  });

  it.each<Record<string, string>>([
    {
      index_type: 'faiss.IVFFlat',
      index_metric: 'COSINE',
      dimension_reduction_type: 'sign',
      dimension_reduction_target: '2',
    },
    {
      index_type: 'faiss.IVFPQ',
      faiss_index_pq_m: '2',
      faiss_index_ivf_nlists: '4',
      dimension_reduction_type: 'fjlt',
      dimension_reduction_target: '2',
    },
    { index_type: 'faiss.IVFFlat', index_metric: 'INNER_PRODUCT', sample_size: '150' },
  ])('trains approximate indexes (%j) that still classify well', async (extra) => {
    const root = await contractRoot({
      hyperparameters: { ...HP, ...extra },
      channels: {
        train: { contentType: 'text/csv', file: 'train.csv', body: csv(labelled(TRAIN)) },
        test: { contentType: 'text/csv', file: 'test.csv', body: csv(labelled(TEST)) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    expect(Number(/\('accuracy', ([^)]+)\)/.exec(stdout)?.[1])).toBeGreaterThan(0.7);
  });

  it.each([
    [{ ...HP, k: 'five' }, "Hyperparameter 'k' must be a positive integer, got 'five'."],
    [
      { ...HP, feature_dim: '4' },
      "Hyperparameter feature_dim=4 but the 'train' channel's records have 3 features",
    ],
    [{ ...HP, k: '400' }, 'k=400 is more than the 300 training records sampled'],
    [
      { ...HP, index_type: 'faiss.IVFPQ', index_metric: 'COSINE' },
      "Hyperparameter 'index_metric' must be 'L2' when index_type is 'faiss.IVFPQ'",
    ],
    [{ ...HP, sample_size: undefined }, "Missing required hyperparameter 'sample_size'"],
  ])('fails with output/failure and exit 1 for %j', async (hyperparameters, message) => {
    const root = await contractRoot({
      hyperparameters: hyperparameters as Record<string, string>,
      channels: {
        train: { contentType: 'text/csv', file: 'train.csv', body: csv(labelled(TRAIN)) },
      },
    });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });

  it('fails on a non-numeric label and without a train channel', async () => {
    const bad = await contractRoot({
      hyperparameters: HP,
      channels: { train: { contentType: 'text/csv', file: 'a.csv', body: 'x,1,2,3\n' } },
    });
    expect((await run(bad)).code).toBe(1);
    expect(await readFile(join(bad, 'output/failure'), 'utf8')).toContain("'x' is not a number");
    const none = await contractRoot({ hyperparameters: HP, channels: {} });
    expect((await run(none)).code).toBe(1);
    expect(await readFile(join(none, 'output/failure'), 'utf8')).toContain(
      "k-NN needs a 'train' channel",
    );
  });
});

describe('knn-serve program', () => {
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const root = await contractRoot({
      hyperparameters: HP,
      channels: {
        train: { contentType: 'text/csv', file: 'train.csv', body: csv(labelled(TRAIN)) },
      },
    });
    expect((await run(root)).code).toBe(0);
    ({ child, base } = await startServer('knn-serve', join(root, 'model')));
  });

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  const invoke = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${base}/invocations`, { method: 'POST', body, headers });
  const expectedLabels = TEST.rows.map((row) => reference(row, 'classifier'));

  it('answers ping', async () => {
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('answers CSV with JSON predictions by default, as the reference predicts', async () => {
    const res = await invoke(csv(TEST.rows), { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      predictions: expectedLabels.map((predicted_label) => ({ predicted_label })),
    });
  });

  it('answers a batch large enough for two search threads the same way', async () => {
    const rows = Array.from({ length: 10 }, () => TEST.rows).flat();
    const res = await invoke(csv(rows), { 'Content-Type': 'text/csv', Accept: 'text/csv' });
    expect(await res.text()).toBe(
      Array.from({ length: 10 }, () => expectedLabels.map((l) => `${l}\n`).join('')).join(''),
    );
  });

  it('answers verbosely: distances ascending (squared L2) with the neighbours labels', async () => {
    const query = TEST.rows[0]!;
    const res = await invoke(JSON.stringify({ instances: [{ features: query }] }), {
      'Content-Type': 'application/json',
      Accept: 'application/json; verbose=true',
    });
    const body = (await res.json()) as {
      predictions: { predicted_label: number; distances: number[]; labels: number[] }[];
    };
    const nearest = TRAIN.rows
      .map((row, i) => ({ i, d: row.reduce((s, v, j) => s + (v - query[j]!) ** 2, 0) }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .slice(0, K);
    const [p] = body.predictions;
    expect(Object.keys(p!)).toEqual(['predicted_label', 'distances', 'labels']);
    expect(p!.labels).toEqual(nearest.map((n) => TRAIN.labels[n.i]));
    p!.distances.forEach((d, i) => expect(d).toBeCloseTo(nearest[i]!.d, 5));
  });

  it('answers JSON Lines, verbose or not', async () => {
    const lines = `${JSON.stringify({ features: TEST.rows[0] })}\n${JSON.stringify({ data: { features: { values: TEST.rows[1] } } })}\n`;
    const plain = await invoke(lines, {
      'Content-Type': 'application/jsonlines',
      Accept: 'application/jsonlines',
    });
    expect(await plain.text()).toBe(
      `{"predicted_label":${expectedLabels[0]}}\n{"predicted_label":${expectedLabels[1]}}\n`,
    );
    const verbose = await invoke(lines, {
      'Content-Type': 'application/jsonlines',
      Accept: 'application/jsonlines;verbose=true',
    });
    const parsed = (await verbose.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { predicted_label: number; labels: number[] });
    expect(parsed[1]).toMatchObject({ predicted_label: expectedLabels[1] });
    expect(parsed[1]!.labels).toHaveLength(K);
  });

  it('answers RecordIO-protobuf in kind, with distances and labels when verbose', async () => {
    type Tensors = Record<string, { float32_tensor: { values: number[] } }>;
    const decode = async (res: Response): Promise<{ label: Tensors }[]> => {
      const out: { label: Tensors }[] = [];
      for await (const payload of readRecordIO(Buffer.from(await res.arrayBuffer())))
        out.push(RecordType.toObject(RecordType.decode(payload)) as { label: Tensors });
      return out;
    };
    const body = encodeDenseRecords(TEST.rows.slice(0, 2));
    const plain = await decode(
      await invoke(body, {
        'Content-Type': 'application/x-recordio-protobuf',
        Accept: 'application/x-recordio-protobuf',
      }),
    );
    expect(plain.map((r) => r.label.predicted_label!.float32_tensor.values)).toEqual([
      [expectedLabels[0]],
      [expectedLabels[1]],
    ]);
    expect(Object.keys(plain[0]!.label)).toEqual(['predicted_label']);
    const verbose = await decode(
      await invoke(body, {
        'Content-Type': 'application/x-recordio-protobuf',
        Accept: 'application/x-recordio-protobuf; verbose=true',
      }),
    );
    expect(verbose[0]!.label.distances!.float32_tensor.values).toHaveLength(K);
    expect(verbose[0]!.label.labels!.float32_tensor.values).toHaveLength(K);
  });

  it.each<[string, Record<string, string>, number, string]>([
    [
      '1,2\n',
      { 'Content-Type': 'text/csv' },
      400,
      'Record 0 has 2 features; this model expects feature_dim=3.',
    ],
    ['1,x,2\n', { 'Content-Type': 'text/csv' }, 400, "'x' is not a number"],
    ['', { 'Content-Type': 'text/csv' }, 400, 'The request body holds no records.'],
    [
      '{"instances": 3}',
      { 'Content-Type': 'application/json' },
      400,
      '"instances" must be an array',
    ],
    ['1,2,3', { 'Content-Type': 'image/png' }, 415, "Content-Type 'image/png' is not supported"],
    [
      '1,2,3',
      { 'Content-Type': 'text/csv', Accept: 'image/png' },
      406,
      "Accept 'image/png' is not supported",
    ],
    [
      '1,2,3',
      { 'Content-Type': 'text/csv', Accept: 'application/json; verbose=yes' },
      406,
      "verbose must be 'true' or 'false', got 'yes'",
    ],
    [
      '1,2,3',
      { 'Content-Type': 'text/csv', Accept: 'text/csv; verbose=true' },
      406,
      'verbose=true is available for application/json',
    ],
  ])('rejects %j (%j) with %i', async (...[body, headers, status, message]) => {
    const res = await invoke(body, headers);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(message);
  });
});
