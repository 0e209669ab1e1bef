import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

/** 1,200 readings around (20, 50) with 12 anomalies far out; label 1 = anomaly. */
function readings(): { rows: number[][]; labels: number[] } {
  const random = createRandom(17);
  const normal = () => random() + random() + random() - 1.5;
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const anomaly = i % 100 === 99;
    const spread = anomaly ? 12 : 1;
    const shift = anomaly ? 8 : 0;
    rows.push(
      [20 + shift + spread * normal(), 50 - shift + spread * normal()].map(
        (v) => Math.round(v * 1000) / 1000,
      ),
    );
    labels.push(anomaly ? 1 : 0);
  }
  return { rows, labels };
}

const { rows, labels } = readings();
const HP = { feature_dim: '2', num_trees: '50', num_samples_per_tree: '128' };
const run = (root: string) => runTrainer('randomcutforest-train', root);

beforeAll(buildPrograms, 120_000);

/** The three-sigma labelling's metrics on scores, as the test computes them on its own. */
function threeSigma(scores: number[]): Record<string, number> {
  const mean = scores.reduce((a, b) => a + b) / scores.length;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  const flagged = scores.map((s) => s > mean + 3 * sd);
  const count = (f: boolean, l: number) =>
    flagged.filter((x, i) => x === f && labels[i] === l).length;
  const [tp, fp, fn, tn] = [count(true, 1), count(true, 0), count(false, 1), count(false, 0)];
  return {
    accuracy: (tp + tn) / scores.length,
    precision: tp / (tp + fp),
    recall: tp / (tp + fn),
    f1: (2 * tp) / (2 * tp + fp + fn),
  };
}

function metric(stdout: string, name: string): number {
  const match = new RegExp(`#quality_metric: host=\\S+, test ${name} <score>=(\\S+)`).exec(stdout);
  return Number(match?.[1]);
}

async function invoke(
  base: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(`${base}/invocations`, { method: 'POST', body, headers });
}

describe('randomcutforest programs', () => {
  let root: string;
  let stdout: string;
  let child: ChildProcess | undefined;
  let base: string;

  beforeAll(async () => {
    root = await contractRoot({
      hyperparameters: HP,
      channels: {
        train: { contentType: 'text/csv;label_size=0', file: 'train.csv', body: csv(rows) },
        test: {
          contentType: 'text/csv;label_size=1',
          file: 'test.csv',
          body: csv(rows.map((r, i) => [labels[i]!, ...r])),
        },
      },
    });
    const result = await run(root);
    expect(result.code).toBe(0);
    stdout = result.stdout;
    ({ child, base } = await startServer('randomcutforest-serve', join(root, 'model')));
  }, 60_000);

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('trains on CSV and logs the test metrics that the served scores give', async () => {
    const header = JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8'));
    expect(header).toMatchObject({
      format: 'plinth-randomcutforest',
      feature_dim: 2,
      num_trees: 50,
      num_samples_per_tree: 128,
      records: 1200,
    });
    const res = await invoke(base, csv(rows), { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    const scores = ((await res.json()) as { scores: { score: number }[] }).scores.map(
      (s) => s.score,
    );
    expect(scores).toHaveLength(1200);
    const expected = threeSigma(scores);
    expect(expected.f1).toBeGreaterThan(0.8);
    for (const name of ['accuracy', 'precision', 'recall', 'f1'])
      expect(metric(stdout, name)).toBeCloseTo(expected[name]!, 10);
    expect(stdout).toContain('#progress_metric: host=algo-1, completed 100 % of epochs');
  });

  it('trains the same forest again from the same data and hyperparameters', async () => {
    const again = await contractRoot({
      hyperparameters: HP,
      channels: { train: { contentType: 'text/csv;label_size=0', file: 'a.csv', body: csv(rows) } },
    });
    expect((await run(again)).code).toBe(0);
    const [a, b] = await Promise.all([
      readFile(join(root, 'model/forest.bin')),
      readFile(join(again, 'model/forest.bin')),
    ]);
    expect(a.equals(b)).toBe(true);
  });

  it('trains on RecordIO-protobuf, taking test labels from the records', async () => {
    const recordRoot = await contractRoot({
      hyperparameters: { ...HP, eval_metrics: '["accuracy"]' },
      channels: {
        train: {
          contentType: 'application/x-recordio-protobuf',
          file: 'train.rec',
          body: encodeDenseRecords(rows),
        },
        test: {
          contentType: 'application/x-recordio-protobuf',
          file: 'test.rec',
          body: encodeDenseRecords(rows, labels),
        },
      },
    });
    const result = await run(recordRoot);
    expect(result.code).toBe(0);
    expect(metric(result.stdout, 'accuracy')).toBeGreaterThan(0.99);
    expect(result.stdout).not.toContain('test f1');
  });

  it('answers JSON, JSON Lines, CSV and RecordIO in the shapes SageMaker RCF uses', async () => {
    const far = [1e6, -1e6];
    const json = await invoke(
      base,
      JSON.stringify({ instances: [{ features: rows[0] }, { features: far }] }),
      {
        'Content-Type': 'application/json',
        Accept: 'application/jsonlines',
      },
    );
    const lines = (await json.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { score: number });
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]!)).toEqual(['score']);
    // The far point is cut off at the root of every tree: its score is log2(128 + 1).
    expect(lines[1]!.score).toBeCloseTo(Math.log2(129), 3);
    expect(lines[0]!.score).toBeLessThan(lines[1]!.score / 2);

    const fromLines = await invoke(base, `{"features":${JSON.stringify(far)}}\n`, {
      'Content-Type': 'application/jsonlines',
      Accept: 'text/csv',
    });
    expect(Number((await fromLines.text()).trim())).toBeCloseTo(lines[1]!.score, 10);

    const record = await invoke(base, encodeDenseRecords([far]), {
      'Content-Type': 'application/x-recordio-protobuf',
      Accept: 'application/x-recordio-protobuf',
    });
    const payloads: Uint8Array[] = [];
    for await (const payload of readRecordIO(Buffer.from(await record.arrayBuffer())))
      payloads.push(payload);
    expect(payloads).toHaveLength(1);
    const decoded = RecordType.toObject(RecordType.decode(payloads[0]!));
    expect(decoded.label.score.float32_tensor.values[0]).toBeCloseTo(lines[1]!.score, 5);
  });

  it('rejects a wrong feature count, a bad body and unsupported types', async () => {
    const wide = await invoke(base, '1,2,3\n', { 'Content-Type': 'text/csv' });
    expect(wide.status).toBe(400);
    expect(await wide.text()).toContain(
      'Record 0 has 3 features; this model expects feature_dim=2.',
    );
    expect((await invoke(base, '1,x\n', { 'Content-Type': 'text/csv' })).status).toBe(400);
    expect(
      (await invoke(base, '{"instances": 3}', { 'Content-Type': 'application/json' })).status,
    ).toBe(400);
    const png = await invoke(base, 'a', { 'Content-Type': 'image/png' });
    expect(png.status).toBe(415);
    const accept = await invoke(base, '1,2', { 'Content-Type': 'text/csv', Accept: 'image/png' });
    expect(accept.status).toBe(406);
    expect(await accept.text()).toContain("Accept 'image/png' is not supported");
  });

  type Channels = Parameters<typeof contractRoot>[0]['channels'];
  const train = (body = csv(rows.slice(0, 50))): Channels => ({
    train: { contentType: 'text/csv;label_size=0', file: 'a.csv', body },
  });
  const withTest = (contentType: string, body: string): Channels => ({
    ...train(),
    test: { contentType, file: 't.csv', body },
  });
  const labelled = (label: number, extra: number[] = []) =>
    csv(rows.slice(0, 5).map((r) => [label, ...r, ...extra]));
  it.each<{
    name: string;
    hyperparameters: Record<string, string>;
    channels: Channels;
    message: string;
  }>([
    {
      name: 'num_trees out of range',
      hyperparameters: { ...HP, num_trees: '10' },
      channels: train(),
      message: "Hyperparameter 'num_trees' must be an integer from 50 to 1000, got '10'.",
    },
    {
      name: 'an unknown hyperparameter',
      hyperparameters: { ...HP, num_samples: '10' },
      channels: train(),
      message: "Unknown hyperparameter 'num_samples'.",
    },
    {
      name: 'a train channel of another width',
      hyperparameters: { ...HP, feature_dim: '3' },
      channels: train(),
      message: "Hyperparameter feature_dim=3 but the 'train' channel's records have 2 features",
    },
    {
      name: 'a test channel of another width',
      hyperparameters: HP,
      channels: withTest('text/csv;label_size=1', labelled(0, [7])),
      message: "Hyperparameter feature_dim=2 but the 'test' channel's records have 3 features",
    },
    {
      name: 'an unlabelled test channel',
      hyperparameters: HP,
      channels: withTest('text/csv;label_size=0', csv(rows.slice(0, 5))),
      message: "The 'test' channel must be labelled (1 = anomaly, 0 = normal)",
    },
    {
      name: 'a test label other than 0 and 1',
      hyperparameters: HP,
      channels: withTest('text/csv;label_size=1', labelled(2)),
      message:
        "Record 0 of the 'test' channel has label 2; RCF's test labels must be 1 (anomaly) or 0 (normal).",
    },
    {
      name: 'an empty train channel',
      hyperparameters: HP,
      channels: train(''),
      message: 'input/data/train) has no records.',
    },
    {
      name: 'a validation channel',
      hyperparameters: HP,
      channels: {
        ...train(),
        validation: { contentType: 'text/csv', file: 'v.csv', body: '1,2\n' },
      },
      message: "Channel 'validation' is not supported by randomcutforest",
    },
  ])(
    'fails with output/failure and exit 1 for $name',
    async ({ hyperparameters, channels, message }) => {
      const failed = await contractRoot({ hyperparameters, channels });
      const { code } = await run(failed);
      expect(code).toBe(1);
      expect(await readFile(join(failed, 'output/failure'), 'utf8')).toContain(message);
    },
  );
});
