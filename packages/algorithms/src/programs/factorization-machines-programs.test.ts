import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import {
  RecordType,
  encodeDenseRecord,
  encodeSparseRecord,
  readRecordIO,
  writeRecordIO,
} from '../data/index.js';
import { saveModel } from '../factorization-machines/model.js';
import type { FmWeights } from '../factorization-machines/weights.js';
import {
  type ContractJob,
  buildPrograms,
  contractRoot,
  csv,
  runTrainer,
  startServer,
} from '../testing/contract-job.js';

const RECORDIO = 'application/x-recordio-protobuf';
/** Two one-hot groups of 8 categories and 4 noise features: 20 columns. */
const GROUPS = 8;
const DIM = 2 * GROUPS + 4;

interface Row {
  keys: number[];
  label: number;
}

/** Rows whose label is the XOR of the parities of their two categories, plus a noise feature. */
function xorRows(count: number, seed: number): Row[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const a = Math.floor(random() * GROUPS);
    const b = Math.floor(random() * GROUPS);
    const noise = 2 * GROUPS + Math.floor(random() * 4);
    return { keys: [a, GROUPS + b, noise], label: (a % 2) ^ (b % 2) };
  });
}

/** Rows as sparse RecordIO-protobuf, as the SageMaker SDK's write_spmatrix_to_sparse_tensor writes them. */
const sparseRecordIO = (rows: Row[], dim = DIM): Buffer =>
  writeRecordIO(
    rows.map((row) =>
      encodeSparseRecord({ keys: row.keys, values: row.keys.map(() => 1), dim }, row.label),
    ),
  );

const run = (root: string) => runTrainer('factorization-machines-train', root);
const HP = {
  feature_dim: String(DIM),
  num_factors: '4',
  predictor_type: 'binary_classifier',
  epochs: '25',
  mini_batch_size: '50',
  linear_lr: '0.02',
  factors_lr: '0.05',
  factors_init_sigma: '0.1',
};

const metric = (stdout: string, pattern: string): number => {
  const match = new RegExp(pattern).exec(stdout);
  if (!match) throw new Error(`No log line matches ${pattern}`);
  return Number(match[1]);
};

beforeAll(buildPrograms, 120_000);

describe('factorization-machines-train program', () => {
  it('trains a binary classifier on sparse RecordIO and logs SageMaker metric lines', async () => {
    const root = await contractRoot({
      hyperparameters: HP,
      channels: {
        train: { contentType: RECORDIO, file: 'train.rec', body: sparseRecordIO(xorRows(3000, 1)) },
        test: { contentType: RECORDIO, file: 'test.rec', body: sparseRecordIO(xorRows(500, 2)) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    const model = JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8'));
    expect(model).toMatchObject({
      format: 'plinth-factorization-machines',
      predictor_type: 'binary_classifier',
      feature_dim: DIM,
      num_factors: 4,
    });
    expect((await stat(join(root, 'model/parameters.bin'))).size).toBe(4 * (1 + DIM + DIM * 4));
    // The regexes of SageMaker's MetricDefinitions for FM read these lines.
    expect(
      metric(
        stdout,
        '#quality_metric: host=\\S+, test binary_classification_accuracy <score>=(\\S+)',
      ),
    ).toBeGreaterThan(0.97);
    expect(
      metric(
        stdout,
        '#quality_metric: host=\\S+, test binary_classification_cross_entropy <loss>=(\\S+)',
      ),
    ).toBeLessThan(0.15);
    expect(
      metric(stdout, '#quality_metric: host=\\S+, test binary_f_\\S+ <score>=(\\S+)'),
    ).toBeGreaterThan(0.97);
    expect(stdout).toMatch(
      /#quality_metric: host=algo-1, epoch=0, train binary_classification_accuracy <score>=\S+/,
    );
    expect(stdout).toMatch(
      /#quality_metric: host=algo-1, epoch=24, train binary_classification_cross_entropy <loss>=\S+/,
    );
    expect(stdout).toMatch(
      /#quality_metric: host=algo-1, epoch=24, train binary_f_1.000 <score>=\S+/,
    );
    expect(stdout).toMatch(/#throughput_metric: host=algo-1, train throughput=\S+ records\/second/);
    expect(stdout).toContain('#progress_metric: host=algo-1, completed 100 % of epochs');
    // Training goes on improving: the last epoch's loss is well under the first's.
    const first = metric(
      stdout,
      'epoch=0, train binary_classification_cross_entropy <loss>=(\\S+)',
    );
    const last = metric(
      stdout,
      'epoch=24, train binary_classification_cross_entropy <loss>=(\\S+)',
    );
    expect(last).toBeLessThan(first / 2);
  });

  it('trains a regressor and reports test:rmse', async () => {
    const random = createRandom(5);
    const effect = Array.from({ length: DIM }, () => random() * 4 - 2);
    const rows = (count: number): Buffer =>
      writeRecordIO(
        Array.from({ length: count }, () => {
          const a = Math.floor(random() * GROUPS);
          const b = GROUPS + Math.floor(random() * GROUPS);
          // Additive effects and one interaction: a FM with linear terms fits it exactly.
          const y = 3 + effect[a]! + effect[b]! + (a === 0 && b === GROUPS ? 2 : 0);
          return encodeSparseRecord({ keys: [a, b], values: [1, 1], dim: DIM }, y);
        }),
      );
    const root = await contractRoot({
      hyperparameters: {
        ...HP,
        predictor_type: 'regressor',
        epochs: '40',
        bias_lr: '0.1',
        linear_lr: '0.1',
        bias_wd: '0',
        linear_wd: '0',
        factors_wd: '0',
      },
      channels: {
        // Gzip files are read as SageMaker's CompressionType Gzip channels deliver them.
        train: { contentType: RECORDIO, file: 'train.rec.gz', body: gzipSync(rows(3000)) },
        test: { contentType: `${RECORDIO}; charset=binary`, file: 'test.rec', body: rows(300) },
      },
    });
    const { code, stdout } = await run(root);
    expect(code).toBe(0);
    // Labels spread over about ±3: predicting their mean would give an RMSE over 1.
    expect(metric(stdout, '#quality_metric: host=\\S+, test rmse <loss>=(\\S+)')).toBeLessThan(
      0.15,
    );
    expect(stdout).toMatch(/#quality_metric: host=algo-1, epoch=39, train rmse <loss>=\S+/);
  });

  const failures: [string, ContractJob, string][] = [
    [
      'an unknown hyperparameter',
      job({ ...HP, learning_rate: '0.1' }),
      "Unknown hyperparameter 'learning_rate'. Factorization Machines accepts:",
    ],
    [
      'num_factors out of range',
      job({ ...HP, num_factors: '0' }),
      "Hyperparameter 'num_factors' must be a positive integer, got '0'.",
    ],
    [
      'a missing predictor_type',
      job({ feature_dim: String(DIM), num_factors: '2' }),
      "Missing required hyperparameter 'predictor_type' ('binary_classifier' or 'regressor').",
    ],
    [
      'records wider than feature_dim',
      job({ ...HP, feature_dim: '10' }),
      `record 1 has ${DIM} features, but hyperparameter feature_dim=10; every record must have that many features.`,
    ],
    [
      'a CSV channel',
      {
        hyperparameters: HP,
        channels: { train: { contentType: 'text/csv', file: 'a.csv', body: csv([[1, 0, 1]]) } },
      },
      "The 'train' channel's ContentType is 'text/csv', but Factorization Machines trains on application/x-recordio-protobuf only",
    ],
    [
      'a label other than 0 or 1',
      {
        hyperparameters: HP,
        channels: {
          train: {
            contentType: RECORDIO,
            file: 'a.rec',
            body: sparseRecordIO([...xorRows(3, 1), { keys: [1], label: 3 }]),
          },
        },
      },
      "The 'train' channel's record 4 has the label 3; predictor_type=binary_classifier needs labels 0 or 1.",
    ],
    [
      'records without labels',
      {
        hyperparameters: HP,
        channels: {
          train: {
            contentType: RECORDIO,
            file: 'a.rec',
            body: writeRecordIO([encodeDenseRecord(new Array<number>(DIM).fill(1))]),
          },
        },
      },
      'record 1 has no label (label["values"]); this algorithm needs a label on every record.',
    ],
    [
      'a validation channel',
      {
        hyperparameters: HP,
        channels: {
          train: { contentType: RECORDIO, file: 'a.rec', body: sparseRecordIO(xorRows(5, 1)) },
          validation: { contentType: RECORDIO, file: 'v.rec', body: sparseRecordIO(xorRows(5, 1)) },
        },
      },
      "Channel 'validation' is not supported by Factorization Machines; use 'train' (required) and 'test' (optional).",
    ],
    [
      'no train channel',
      { hyperparameters: HP, channels: {} },
      "Factorization Machines needs a 'train' channel",
    ],
  ];

  it.each(failures)('fails with output/failure and exit 1 for %s', async (_, spec, message) => {
    const root = await contractRoot(spec);
    const { code } = await run(root);
    expect(code).toBe(1);
    expect(await readFile(join(root, 'output/failure'), 'utf8')).toContain(message);
  });
});

function job(hyperparameters: Record<string, string>): ContractJob {
  return {
    hyperparameters,
    channels: {
      train: { contentType: RECORDIO, file: 'a.rec', body: sparseRecordIO(xorRows(20, 1)) },
    },
  };
}

/** A hand-built model: 6 features, 2 factors, irregular numbers. */
const WEIGHTS: FmWeights = {
  featureDim: 6,
  numFactors: 2,
  bias: Float32Array.of(-0.5),
  linear: Float32Array.of(0.3, -0.2, 0.1, 0.4, -0.6, 0.25),
  factors: Float32Array.of(0.5, -0.4, 0.9, 0.1, -0.7, 0.3, 0.2, 0.8, -0.1, -0.5, 0.6, 0.45),
};

/** The model equation with every pair written out, for a dense row. */
function expected(x: number[]): number {
  const { bias, linear, factors } = WEIGHTS;
  let y = bias[0]!;
  for (let i = 0; i < 6; i++) {
    y += linear[i]! * x[i]!;
    for (let j = i + 1; j < 6; j++)
      y +=
        (factors[2 * i]! * factors[2 * j]! + factors[2 * i + 1]! * factors[2 * j + 1]!) *
        x[i]! *
        x[j]!;
  }
  return 1 / (1 + Math.exp(-y));
}

const ROWS = [
  [1, 0, 0, 2, 0, 0],
  [0, 1, 1, 0, 0, -1],
  [0, 0, 0, 0, 3, 0],
];

/** A row as SageMaker's sparse JSON data element. */
const sparse = (x: number[]) => {
  const keys = x.flatMap((v, i) => (v === 0 ? [] : [i]));
  return { data: { features: { keys, shape: [6], values: keys.map((i) => x[i]!) } } };
};

describe('factorization-machines-serve program', () => {
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const modelDir = await mkdtemp(join(tmpdir(), 'plinth-fm-model-'));
    await saveModel(modelDir, { predictorType: 'binary_classifier', weights: WEIGHTS });
    ({ child, base } = await startServer('factorization-machines-serve', modelDir));
  });

  afterAll(() => {
    child.kill('SIGTERM');
  });

  const invoke = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${base}/invocations`, { method: 'POST', body, headers });

  it('answers ping', async () => {
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('scores dense JSON instances as the model equation does', async () => {
    const res = await invoke(JSON.stringify({ instances: ROWS.map((x) => ({ features: x })) }), {
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const { predictions } = (await res.json()) as {
      predictions: { score: number; predicted_label: number }[];
    };
    ROWS.forEach((x, r) => {
      expect(predictions[r]!.score).toBeCloseTo(expected(x), 6);
      expect(predictions[r]!.predicted_label).toBe(expected(x) >= 0.5 ? 1 : 0);
    });
    expect(new Set(predictions.map((p) => p.predicted_label))).toEqual(new Set([0, 1]));
  });

  it('scores sparse JSON, JSON Lines and RecordIO the same, answering in each Accept type', async () => {
    const json = await invoke(JSON.stringify({ instances: ROWS.map(sparse) }), {
      'Content-Type': 'application/json',
      Accept: 'application/jsonlines',
    });
    const lines = (await json.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { score: number });
    ROWS.forEach((x, r) => expect(lines[r]!.score).toBeCloseTo(expected(x), 6));
    const jsonl = await invoke(ROWS.map((x) => JSON.stringify(sparse(x))).join('\n'), {
      'Content-Type': 'application/jsonlines',
    });
    expect(((await jsonl.json()) as { predictions: unknown[] }).predictions).toHaveLength(3);
    const records = writeRecordIO([
      encodeSparseRecord({ keys: [0, 3], values: [1, 2], dim: 6 }),
      encodeDenseRecord(ROWS[1]!),
      encodeSparseRecord({ keys: [4], values: [3], dim: 6 }),
    ]);
    const rec = await invoke(records, { 'Content-Type': RECORDIO, Accept: RECORDIO });
    expect(rec.status).toBe(200);
    const answers: { score: number; label: number }[] = [];
    for await (const payload of readRecordIO(Buffer.from(await rec.arrayBuffer()))) {
      const record = RecordType.toObject(RecordType.decode(payload));
      answers.push({
        score: record.label.score.float32_tensor.values[0],
        label: record.label.predicted_label.float32_tensor.values[0],
      });
    }
    ROWS.forEach((x, r) => {
      expect(answers[r]!.score).toBeCloseTo(expected(x), 6);
      expect(answers[r]!.label).toBe(expected(x) >= 0.5 ? 1 : 0);
    });
  });

  it.each([
    [
      JSON.stringify({ instances: [{ features: [1, 2, 3] }] }),
      'application/json',
      'instances[0] has 3 features, but this model has feature_dim=6; every record must have that many features.',
    ],
    [
      JSON.stringify({
        instances: [{ data: { features: { keys: [1], shape: [100], values: [1] } } }],
      }),
      'application/json',
      'instances[0] has 100 features, but this model has feature_dim=6',
    ],
    [
      JSON.stringify({
        instances: [{ data: { features: { keys: [6], shape: [6], values: [1] } } }],
      }),
      'application/json',
      'instances[0] has the sparse key 6, outside its shape of 6 features (keys count from 0).',
    ],
    ['{"instances": [', 'application/json', 'The request body is not valid JSON'],
    ['{"instances": []}', 'application/json', 'The request body holds no records.'],
    [
      writeRecordIO([encodeDenseRecord([1, 2])]),
      RECORDIO,
      'Record 1 has 2 features, but this model has feature_dim=6',
    ],
  ])('answers 400 to %s', async (body, contentType, message) => {
    const res = await invoke(body, { 'Content-Type': contentType });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
  });

  it('refuses CSV requests and responses, which SageMaker FM does not offer', async () => {
    const csvRequest = await invoke('1,0,0,2,0,0\n', { 'Content-Type': 'text/csv' });
    expect(csvRequest.status).toBe(415);
    expect(await csvRequest.text()).toContain(
      "Content-Type 'text/csv' is not supported; use one of: application/json, application/jsonlines, application/x-recordio-protobuf.",
    );
    const csvAnswer = await invoke(JSON.stringify({ features: ROWS[0] }), {
      'Content-Type': 'application/json',
      Accept: 'text/csv',
    });
    expect(csvAnswer.status).toBe(406);
    expect(await csvAnswer.text()).toContain(
      "Accept 'text/csv' is not supported; use one of: application/json, application/jsonlines, application/x-recordio-protobuf.",
    );
  });
});
