import type { ChildProcess } from 'node:child_process';
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
import { blobs, linear, separable } from '../testing/linear-data.js';

const run = (root: string) => runTrainer('linear-learner-train', root);

beforeAll(buildPrograms, 120_000);

describe('linear-learner-serve program', () => {
  const servers: ChildProcess[] = [];
  const bases: Record<string, string> = {};

  beforeAll(async () => {
    // Train real models, then serve them, as a deployment would.
    const jobs = {
      binary: { predictor_type: 'binary_classifier', mini_batch_size: '50' },
      multiclass: {
        predictor_type: 'multiclass_classifier',
        num_classes: '3',
        mini_batch_size: '30',
      },
      regressor: { predictor_type: 'regressor', mini_batch_size: '50', epochs: '20' },
    };
    const data = { binary: separable(400), multiclass: blobs(300), regressor: linear(500, 0) };
    for (const [name, hyperparameters] of Object.entries(jobs)) {
      const body = csv(data[name as keyof typeof data]);
      const root = await contractRoot({
        hyperparameters,
        channels: { train: { contentType: 'text/csv', file: 'train.csv', body } },
      });
      expect((await run(root)).code).toBe(0);
      const { child, base } = await startServer('linear-learner-serve', join(root, 'model'));
      servers.push(child);
      bases[name] = base;
    }
  }, 60_000);

  afterAll(() => {
    for (const child of servers) child.kill('SIGTERM');
  });

  const invoke = (model: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${bases[model]}/invocations`, { method: 'POST', body, headers });

  it('answers ping', async () => {
    expect((await fetch(`${bases.binary}/ping`)).status).toBe(200);
  });

  it('answers a binary classifier in CSV with JSON by default', async () => {
    const res = await invoke('binary', '4,20\n-4,20\n', { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const { predictions } = (await res.json()) as {
      predictions: { score: number; predicted_label: number }[];
    };
    expect(predictions.map((p) => p.predicted_label)).toEqual([1, 0]);
    expect(predictions[0]!.score).toBeGreaterThan(0.9);
    expect(predictions[1]!.score).toBeLessThan(0.1);
  });

  it('answers a multiclass classifier in JSON with JSON Lines', async () => {
    const res = await invoke(
      'multiclass',
      JSON.stringify({ instances: [{ features: [8, 0, 4] }] }),
      {
        'Content-Type': 'application/json',
        Accept: 'application/jsonlines',
      },
    );
    const line = JSON.parse(await res.text()) as { score: number[]; predicted_label: number };
    expect(line.predicted_label).toBe(1);
    expect(line.score).toHaveLength(3);
    expect(line.score[1]).toBeGreaterThan(0.9);
  });

  it('answers a regressor in JSON Lines with CSV, and RecordIO in kind', async () => {
    const lines = await invoke('regressor', '{"features":[1,2]}\n{"features":[0,0]}\n', {
      'Content-Type': 'application/jsonlines',
      Accept: 'text/csv',
    });
    const values = (await lines.text()).trim().split('\n').map(Number);
    expect(values[0]).toBeCloseTo(2 - 6 + 0.5, 1);
    expect(values[1]).toBeCloseTo(0.5, 1);
    const res = await invoke('regressor', encodeDenseRecords([[1, 1]]), {
      'Content-Type': 'application/x-recordio-protobuf',
      Accept: 'application/x-recordio-protobuf',
    });
    const payloads: Uint8Array[] = [];
    for await (const payload of readRecordIO(Buffer.from(await res.arrayBuffer())))
      payloads.push(payload);
    const record = RecordType.toObject(RecordType.decode(payloads[0]!));
    expect(record.label.score.float32_tensor.values[0]).toBeCloseTo(-0.5, 1);
    expect(record.label.predicted_label).toBeUndefined();
  });

  it('rejects a wrong feature count and unknown types', async () => {
    const wide = await invoke('binary', '1,2,3\n', { 'Content-Type': 'text/csv' });
    expect(wide.status).toBe(400);
    expect(await wide.text()).toContain(
      'Record 0 has 3 features; this model expects feature_dim=2.',
    );
    expect((await invoke('binary', 'a', { 'Content-Type': 'image/png' })).status).toBe(415);
  });
});
