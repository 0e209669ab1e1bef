import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordType, encodeDenseRecords, readRecordIO } from '../data/index.js';
import {
  buildPrograms,
  contractRoot,
  csv,
  runTrainer,
  startServer,
} from '../testing/contract-job.js';

const CENTERS = [
  [0, 0],
  [10, 10],
  [-10, 10],
];

/** Points on a small ring around each true center, in a fixed interleaved order. */
function points(perCenter: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < perCenter; i++)
    for (const [x, y] of CENTERS) {
      const angle = (i * 2.39996) % (2 * Math.PI);
      rows.push([x! + 0.5 * Math.cos(angle), y! + 0.5 * Math.sin(angle)]);
    }
  return rows;
}

const run = (root: string) => runTrainer('kmeans-train', root);
const HP = { k: '3', feature_dim: '2', mini_batch_size: '30', epochs: '2' };

beforeAll(buildPrograms, 120_000);

async function expectModel(root: string): Promise<number[][]> {
  const model = JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8'));
  expect(model).toMatchObject({ format: 'plinth-kmeans', version: 1, k: 3, feature_dim: 2 });
  const found = model.centers as number[][];
  for (const [x, y] of CENTERS)
    expect(Math.min(...found.map(([a, b]) => Math.hypot(a! - x!, b! - y!)))).toBeLessThan(0.2);
  return found;
}

describe('kmeans-train program', () => {
  it('trains on CSV (label_size=0) and logs test metrics SageMaker-style', async () => {
    const root = await contractRoot({
      hyperparameters: { ...HP, eval_metrics: '["msd","ssd"]' },
      channels: {
        train: { contentType: 'text/csv;label_size=0', file: 'train.csv', body: csv(points(100)) },
        test: { contentType: 'text/csv;label_size=0', file: 'test.csv', body: csv(points(10)) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    await expectModel(root);
    // Points lie 0.5 from their center: msd 0.25 over 30 test records, ssd 7.5.
    const msd = /#quality_metric: host=algo-1, test msd <loss>=(\S+)/.exec(stdout);
    const ssd = /#quality_metric: host=algo-1, test ssd <loss>=(\S+)/.exec(stdout);
    expect(Number(msd?.[1])).toBeCloseTo(0.25, 2);
    expect(Number(ssd?.[1])).toBeCloseTo(7.5, 1);
    expect(stdout).toContain('#progress_metric: host=algo-1, completed 50 % of epochs');
    expect(stdout).toContain('#progress_metric: host=algo-1, completed 100 % of epochs');
  });

  it('trains on RecordIO-protobuf, ignoring labels', async () => {
    const rows = points(100);
    const root = await contractRoot({
      hyperparameters: { ...HP, init_method: 'kmeans++' },
      channels: {
        train: {
          contentType: 'application/x-recordio-protobuf',
          file: 'train.rec',
          body: encodeDenseRecords(
            rows,
            rows.map((_, i) => i % 3),
          ),
        },
      },
    });
    const { code } = await run(root);
    expect(code).toBe(0);
    await expectModel(root);
  });

  it.each([
    [{ ...HP, k: 'three' }, "Hyperparameter 'k' must be a positive integer, got 'three'."],
    [
      { ...HP, feature_dim: '5' },
      "Hyperparameter feature_dim=5 but the 'train' channel's records have 2 features",
    ],
  ])('fails with output/failure and exit 1 for %j', async (hyperparameters, message) => {
    const root = await contractRoot({
      hyperparameters,
      channels: {
        train: { contentType: 'text/csv;label_size=0', file: 'a.csv', body: csv(points(5)) },
      },
    });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });

  it('fails when the train channel is missing', async () => {
    const root = await contractRoot({ hyperparameters: HP, channels: {} });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(
      "k-means needs a 'train' channel",
    );
  });
});

describe('kmeans-serve program', () => {
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const modelDir = await mkdtemp(join(tmpdir(), 'plinth-kmeans-model-'));
    const model = { format: 'plinth-kmeans', version: 1, k: 3, feature_dim: 2, centers: CENTERS };
    await writeFile(join(modelDir, 'model.json'), JSON.stringify(model));
    ({ child, base } = await startServer('kmeans-serve', modelDir));
  });

  afterAll(() => {
    child.kill('SIGTERM');
  });

  const invoke = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${base}/invocations`, { method: 'POST', body, headers });

  it('answers ping', async () => {
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('answers CSV with JSON by default', async () => {
    const res = await invoke('1,0\n9,10\n', { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      predictions: [
        { closest_cluster: 0, distance_to_cluster: 1 },
        { closest_cluster: 1, distance_to_cluster: 1 },
      ],
    });
  });

  it('answers JSON with JSON Lines and JSON Lines with CSV', async () => {
    const json = await invoke(JSON.stringify({ instances: [{ features: [-10, 13] }] }), {
      'Content-Type': 'application/json',
      Accept: 'application/jsonlines',
    });
    expect(await json.text()).toBe('{"closest_cluster":2,"distance_to_cluster":3}\n');
    const lines = await invoke('{"features":[0,0]}\n{"features":[10,6]}\n', {
      'Content-Type': 'application/jsonlines',
      Accept: 'text/csv',
    });
    expect(await lines.text()).toBe('0,0\n1,4\n');
  });

  it('answers RecordIO-protobuf in kind', async () => {
    const res = await invoke(encodeDenseRecords([[0, 3]]), {
      'Content-Type': 'application/x-recordio-protobuf',
      Accept: 'application/x-recordio-protobuf',
    });
    expect(res.status).toBe(200);
    const payloads: Uint8Array[] = [];
    for await (const payload of readRecordIO(Buffer.from(await res.arrayBuffer())))
      payloads.push(payload);
    expect(payloads).toHaveLength(1);
    const record = RecordType.toObject(RecordType.decode(payloads[0]!));
    expect(record.label.closest_cluster.float32_tensor.values).toEqual([0]);
    expect(record.label.distance_to_cluster.float32_tensor.values).toEqual([3]);
  });

  it('rejects a wrong feature count, bad data and unknown types', async () => {
    const wide = await invoke('1,2,3\n', { 'Content-Type': 'text/csv' });
    expect(wide.status).toBe(400);
    expect(await wide.text()).toContain(
      'Record 0 has 3 features; this model expects feature_dim=2.',
    );
    const bad = await invoke('1,x\n', { 'Content-Type': 'text/csv' });
    expect(bad.status).toBe(400);
    expect((await invoke('a', { 'Content-Type': 'image/png' })).status).toBe(415);
    expect((await invoke('1,2', { 'Content-Type': 'text/csv', Accept: 'image/png' })).status).toBe(
      406,
    );
  });
});
