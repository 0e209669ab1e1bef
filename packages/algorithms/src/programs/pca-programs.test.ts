import { type ChildProcess, spawn } from 'node:child_process';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordType,
  encodeDenseRecords,
  encodeSparseRecord,
  readRecordIO,
  writeRecordIO,
} from '../data/index.js';
import { type PcaModelFile, modelFile, saveModel } from '../pca/model.js';
import { dot2, knownCovariance, referencePca } from '../pca/test-data.js';
import {
  buildPrograms,
  contractRoot,
  csv,
  programPath,
  runTrainer,
  startServer,
} from '../testing/contract-job.js';

const run = (root: string) => runTrainer('pca-train', root);
const HP = { feature_dim: '4', num_components: '2', mini_batch_size: '64' };
// 700 draws with known axes: 600 to train on, 100 to test with.
const ALL = knownCovariance({ count: 700, sds: [4, 2, 0.5, 0.1], mean: [1, 2, 3, 4] }, 31);
const DATA = { rows: ALL.rows.slice(0, 600) };
const TEST = { rows: ALL.rows.slice(600) };

beforeAll(buildPrograms, 120_000);

async function readModel(root: string): Promise<PcaModelFile> {
  return JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8')) as PcaModelFile;
}

/** The model matches a reference PCA of the same rows. */
function expectReference(model: PcaModelFile, rows: number[][]): void {
  const reference = referencePca(rows, { count: 2, subtractMean: true });
  expect(model).toMatchObject({
    format: 'plinth-pca',
    version: 1,
    feature_dim: 4,
    num_components: 2,
  });
  expect(model.records).toBe(rows.length);
  for (let i = 0; i < 2; i++) {
    expect(Math.abs(dot2(model.components[i]!, reference.vectors[i]!))).toBeCloseTo(1, 8);
    expect(model.singular_values[i]! ** 2 / reference.values[i]!).toBeCloseTo(1, 8);
    expect(model.explained_variance[i]! * (rows.length - 1)).toBeCloseTo(reference.values[i]!, 6);
    expect(model.explained_variance_ratio[i]).toBeCloseTo(
      reference.values[i]! / reference.trace,
      10,
    );
  }
  reference.mean.forEach((m, j) => expect(model.mean[j]).toBeCloseTo(m, 8));
}

describe('pca-train program', () => {
  it('trains on CSV (label_size=0) and logs explained variance and test metrics', async () => {
    const root = await contractRoot({
      hyperparameters: HP,
      channels: {
        train: { contentType: 'text/csv;label_size=0', file: 'train.csv', body: csv(DATA.rows) },
        test: { contentType: 'text/csv;label_size=0', file: 'test.csv', body: csv(TEST.rows) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    const model = await readModel(root);
    expectReference(model, DATA.rows);
    const ratio = /#quality_metric: host=algo-1, train explained_variance_ratio <score>=(\S+)/.exec(
      stdout,
    );
    expect(Number(ratio?.[1])).toBeCloseTo(
      model.explained_variance_ratio[0]! + model.explained_variance_ratio[1]!,
      12,
    );
    // Test msd: each test record's squared distance to its reconstruction from 2 components.
    const msd =
      TEST.rows.reduce((sum, row) => {
        const y = row.map((v, j) => Math.fround(v) - model.mean[j]!);
        const p = model.components.map((c) => dot2(c, y));
        const r = y.map(
          (v, j) => v - p[0]! * model.components[0]![j]! - p[1]! * model.components[1]![j]!,
        );
        return sum + dot2(r, r);
      }, 0) / TEST.rows.length;
    const logged = /#quality_metric: host=algo-1, test msd <loss>=(\S+)/.exec(stdout);
    expect(Number(logged?.[1])).toBeCloseTo(msd, 8);
    // The two dropped directions have sd 0.5 and 0.1: msd about 0.26.
    expect(msd).toBeGreaterThan(0.18);
    expect(msd).toBeLessThan(0.35);
    expect(stdout).toMatch(
      /#quality_metric: host=algo-1, test explained_variance_ratio <score>=0\.9\d+/,
    );
    expect(stdout).toContain('#progress_metric: host=algo-1, completed 100 % of epochs');
    expect(stdout).toContain('Processed mini-batch 8: 512 records so far');
  });

  it('drops the first CSV column as a label when the content type does not say label_size=0', async () => {
    const labelled = DATA.rows.map((row, i) => [i % 2, ...row]);
    const root = await contractRoot({
      hyperparameters: HP,
      channels: { train: { contentType: 'text/csv', file: 'train.csv', body: csv(labelled) } },
    });
    expect((await run(root)).code).toBe(0);
    expectReference(await readModel(root), DATA.rows);
  });

  it('trains on dense RecordIO-protobuf, ignoring labels', async () => {
    const root = await contractRoot({
      hyperparameters: HP,
      channels: {
        train: {
          contentType: 'application/x-recordio-protobuf',
          file: 'train.rec',
          body: encodeDenseRecords(
            DATA.rows,
            DATA.rows.map((_, i) => i % 3),
          ),
        },
      },
    });
    expect((await run(root)).code).toBe(0);
    expectReference(await readModel(root), DATA.rows);
  });

  it('trains on sparse RecordIO-protobuf in randomized mode', async () => {
    // Rows with zeros written sparse: the same model as the dense rows.
    const rows = DATA.rows.map((row) => row.map((v, j) => (j === 3 ? 0 : v)));
    const sparse = rows.map((row) => {
      const keys = row.flatMap((v, j) => (v === 0 ? [] : [j]));
      return encodeSparseRecord({ keys, values: keys.map((j) => row[j]!), dim: 4 });
    });
    const root = await contractRoot({
      hyperparameters: { ...HP, algorithm_mode: 'randomized', extra_components: '1' },
      channels: {
        train: {
          contentType: 'application/x-recordio-protobuf',
          file: 'train.rec',
          body: writeRecordIO(sparse),
        },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    expect(stdout).toContain('Randomized mode');
    const model = await readModel(root);
    expect(model.algorithm_mode).toBe('randomized');
    const reference = referencePca(rows, { count: 2, subtractMean: true });
    for (let i = 0; i < 2; i++)
      expect(Math.abs(dot2(model.components[i]!, reference.vectors[i]!))).toBeCloseTo(1, 6);
  });

  it('combines two instances: algo-1 writes the model of both halves of the data', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'plinth-pca-shared-'));
    const hosts = ['algo-1', 'algo-2'];
    const roots = await Promise.all(
      hosts.map(async (host, i) => {
        const half = DATA.rows.slice(i * 300, (i + 1) * 300);
        const root = await contractRoot({
          hyperparameters: HP,
          channels: {
            train: { contentType: 'text/csv;label_size=0', file: 'a.csv', body: csv(half) },
          },
        });
        const resource = { current_host: host, hosts };
        await writeFile(join(root, 'input/config/resourceconfig.json'), JSON.stringify(resource));
        return root;
      }),
    );
    const codes = await Promise.all(
      roots.map(
        (root) =>
          new Promise<number | null>((resolve, reject) => {
            const env = { ...process.env, PLINTH_ML_ROOT: root, PLINTH_SHARED_DIR: shared };
            const child = spawn(process.execPath, [programPath('pca-train')], { env });
            child.on('error', reject);
            child.on('close', resolve);
          }),
      ),
    );
    expect(codes).toEqual([0, 0]);
    expectReference(await readModel(roots[0]!), DATA.rows);
    await expect(access(join(roots[1]!, 'model/model.json'))).rejects.toThrow();
  });

  const tiny = csv(DATA.rows.slice(0, 10));
  it.each([
    [
      { ...HP, num_components: '5' },
      "Hyperparameter 'num_components' must be at most feature_dim (4), got '5'",
    ],
    [
      { ...HP, mini_batch_size: undefined },
      "Missing required hyperparameter 'mini_batch_size' (a positive integer).",
    ],
    [
      { ...HP, algorithm_mode: 'exact' },
      "Hyperparameter 'algorithm_mode' must be one of 'regular', 'randomized', got 'exact'.",
    ],
    [{ ...HP, epochs: '2' }, "Unknown hyperparameter 'epochs'. PCA accepts:"],
    [
      { ...HP, feature_dim: '5' },
      "Hyperparameter feature_dim=5 but the 'train' channel's records have 4 features",
    ],
  ])('fails with output/failure and exit 1 for %j', async (hyperparameters, message) => {
    const root = await contractRoot({
      hyperparameters: hyperparameters as Record<string, string>,
      channels: { train: { contentType: 'text/csv;label_size=0', file: 'a.csv', body: tiny } },
    });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });

  it.each([
    [
      { train: { contentType: 'application/x-parquet', file: 'a.parquet', body: 'x' } },
      "Content type 'application/x-parquet' is not supported",
    ],
    [
      { train: { contentType: 'text/csv;label_size=0', file: 'a.csv', body: '' } },
      'The train channel has no records',
    ],
    [{}, "PCA needs a 'train' channel"],
    [
      {
        train: { contentType: 'text/csv', file: 'a.csv', body: tiny },
        validation: { contentType: 'text/csv', file: 'b.csv', body: tiny },
      },
      "Channel 'validation' is not supported by PCA",
    ],
  ])('fails clearly for channels %#', async (channels, message) => {
    const root = await contractRoot({ hyperparameters: HP, channels });
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });
});

describe('pca-serve program', () => {
  let child: ChildProcess;
  let base: string;
  // Components e1 = (0.6, 0.8, 0, 0) (largest variance) and e2 = (0, 0, 1, 0), mean (1, 1, 1, 1).
  const model = modelFile(
    {
      dim: 4,
      count: 2,
      components: Float64Array.of(0.6, 0.8, 0, 0, 0, 0, 1, 0),
      eigenvalues: Float64Array.of(90, 10),
      mean: Float64Array.of(1, 1, 1, 1),
      records: 11,
      trace: 100,
    },
    { algorithmMode: 'regular', subtractMean: true },
  );

  beforeAll(async () => {
    const modelDir = await mkdtemp(join(tmpdir(), 'plinth-pca-model-'));
    await saveModel(modelDir, model);
    ({ child, base } = await startServer('pca-serve', modelDir));
  });

  afterAll(() => {
    child.kill('SIGTERM');
  });

  const invoke = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${base}/invocations`, { method: 'POST', body, headers });

  it('answers ping', async () => {
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('answers CSV with JSON projections by default, largest component last', async () => {
    // (4, 5, 1, 9) - mean = (3, 4, 0, 8): 5 along e1, 0 along e2.
    const res = await invoke('4,5,1,9\n1,1,3,1\n', { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      projections: [{ projection: [0, 5] }, { projection: [2, 0] }],
    });
  });

  it('answers JSON with JSON Lines, and JSON Lines with RecordIO', async () => {
    const json = await invoke(JSON.stringify({ instances: [{ features: [1, 1, 1.5, 1] }] }), {
      'Content-Type': 'application/json',
      Accept: 'application/jsonlines',
    });
    expect(await json.text()).toBe('{"projection":[0.5,0]}\n');
    const lines = await invoke('{"features":[4,5,1,1]}\n', {
      'Content-Type': 'application/jsonlines',
      Accept: 'application/x-recordio-protobuf',
    });
    const payloads: Uint8Array[] = [];
    for await (const payload of readRecordIO(Buffer.from(await lines.arrayBuffer())))
      payloads.push(payload);
    expect(payloads).toHaveLength(1);
    const record = RecordType.toObject(RecordType.decode(payloads[0]!));
    expect(record.label.projection.float32_tensor.values).toEqual([0, 5]);
  });

  it('reads RecordIO-protobuf requests', async () => {
    const res = await invoke(encodeDenseRecords([[1, 1, 1, 1]]), {
      'Content-Type': 'application/x-recordio-protobuf',
    });
    expect(await res.json()).toEqual({ projections: [{ projection: [0, 0] }] });
  });

  it('rejects a wrong feature count, bad bodies and unsupported types, saying why', async () => {
    const wide = await invoke('1,2,3\n', { 'Content-Type': 'text/csv' });
    expect(wide.status).toBe(400);
    expect(await wide.text()).toContain(
      'Record 0 has 3 features; this model expects feature_dim=4.',
    );
    expect((await invoke('1,x,2,3\n', { 'Content-Type': 'text/csv' })).status).toBe(400);
    const json = await invoke('{"instances": [{"features": [1, 2]', {
      'Content-Type': 'application/json',
    });
    expect(json.status).toBe(400);
    const empty = await invoke('', { 'Content-Type': 'text/csv' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('The request body holds no records.');
    const type = await invoke('a', { 'Content-Type': 'image/png' });
    expect(type.status).toBe(415);
    expect(await type.text()).toContain("Content-Type 'image/png' is not supported");
    const accept = await invoke('1,2,3,4', { 'Content-Type': 'text/csv', Accept: 'text/csv' });
    expect(accept.status).toBe(406);
    expect(await accept.text()).toContain(
      "Accept 'text/csv' is not supported; use one of: application/json, application/jsonlines, application/x-recordio-protobuf.",
    );
  });
});
