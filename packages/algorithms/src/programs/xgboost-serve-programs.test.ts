import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { buildPrograms, programPath } from '../testing/contract-job.js';
import { hasXGBoost, runPython, trainReferenceModels } from '../xgboost/python-reference.js';

const PROGRAM = 'xgboost-serve';

/** Starts the server with extra environment; resolves with its base URL. */
function startServer(
  modelDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [programPath(PROGRAM)], {
    env: { ...process.env, SM_MODEL_DIR: modelDir, SAGEMAKER_BIND_TO_PORT: '0', ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on port (\d+)/.exec(out);
      if (match) resolve({ child, base: `http://127.0.0.1:${match[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`${PROGRAM} exited with ${code}`)));
  });
}

/** Runs the server expecting it to fail at startup; resolves with its exit code and stderr. */
function failedStart(modelDir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [programPath(PROGRAM)], {
    env: { ...process.env, SM_MODEL_DIR: modelDir, SAGEMAKER_BIND_TO_PORT: '0' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('listening')) child.kill('SIGTERM');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

function modelDir(file: string, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-xgb-model-'));
  copyFileSync(file, join(dir, name));
  return dir;
}

function expectClose(actual: readonly number[], expected: readonly number[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((value, i) => {
    const tolerance = Math.max(1e-6, 1e-5 * Math.abs(expected[i]!));
    if (!(Math.abs(value - expected[i]!) <= tolerance))
      expect.fail(`${label}: value ${i} is ${value}, xgboost says ${expected[i]}`);
  });
}

const csvRows = (rows: (number | null)[][]) =>
  rows.map((row) => `${row.map((v) => (v === null ? '' : String(v))).join(',')}\n`).join('');

describe.runIf(hasXGBoost())(
  'xgboost-serve program with models saved by the xgboost library',
  () => {
    let ref: ReturnType<typeof trainReferenceModels>;
    const servers: ChildProcess[] = [];
    const bases: Record<string, string> = {};

    beforeAll(async () => {
      buildPrograms();
      ref = trainReferenceModels(mkdtempSync(join(tmpdir(), 'plinth-xgb-ref-')));
      const starts: [string, string, Record<string, string>?][] = [
        ['binary', modelDir(ref.models.binary!.file, 'xgboost-model')],
        ['softprob', modelDir(ref.models.softprob!.file, 'model.json')], // the only *.json
        ['regression', modelDir(ref.models.regression!.file, 'xgboost-model')],
        [
          'softprobBatch',
          modelDir(ref.models.softprob!.file, 'xgboost-model'),
          { SAGEMAKER_BATCH: 'true' },
        ],
        [
          'selectable',
          modelDir(ref.models.binary!.file, 'xgboost-model'),
          {
            SAGEMAKER_INFERENCE_OUTPUT: 'predicted_label, probabilities,predicted_score',
            SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: 'application/json',
          },
        ],
      ];
      for (const [name, dir, env] of starts) {
        const { child, base } = await startServer(dir, env);
        servers.push(child);
        bases[name] = base;
      }
    }, 120_000);

    afterAll(() => {
      for (const child of servers) child.kill('SIGTERM');
    });

    const invoke = (model: string, body: string | Buffer, headers: Record<string, string>) =>
      fetch(`${bases[model]}/invocations`, { method: 'POST', body, headers });
    const expected = (name: string): number[] => ref.models[name]!.predictions.flat();

    it('answers ping', async () => {
      expect((await fetch(`${bases.binary}/ping`)).status).toBe(200);
    });

    it('answers CSV with empty fields as missing, in CSV by default: one probability per line', async () => {
      const res = await invoke('binary', csvRows(ref.rows), { 'Content-Type': 'text/csv' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv');
      const lines = (await res.text()).split('\n');
      expect(lines.pop()).toBe('');
      expectClose(lines.map(Number), expected('binary'), 'binary over HTTP');
    });

    it('answers multi:softprob with every class probability, as JSON {"predictions": [{"score": [...]}]}', async () => {
      const res = await invoke('softprob', csvRows(ref.rows), {
        'Content-Type': 'text/csv',
        Accept: 'application/json',
      });
      const text = await res.text();
      expect(text.startsWith('{"predictions": [{"score": [')).toBe(true);
      const { predictions } = JSON.parse(text) as { predictions: { score: number[] }[] };
      expect(predictions[0]!.score).toHaveLength(3);
      expectClose(
        predictions.flatMap((p) => p.score),
        expected('softprob'),
        'softprob over HTTP',
      );
      const csv = await invoke('softprob', csvRows(ref.rows.slice(0, 2)), {
        'Content-Type': 'text/csv',
      });
      expect((await csv.text()).trim().split('\n')[0]!.split(',')).toHaveLength(3);
    });

    it('reads LIBSVM requests (0-based indices, absent features missing, label skipped)', async () => {
      const body = ref.rows
        .map((row, r) => {
          const pairs = row.flatMap((v, i) => (v === null ? [] : [`${i}:${v}`]));
          return `${r % 2 === 0 ? '1 ' : ''}${pairs.join(' ')}\n`;
        })
        .join('');
      for (const type of ['text/libsvm', 'text/x-libsvm']) {
        const res = await invoke('regression', body, { 'Content-Type': type });
        expect(res.status).toBe(200);
        const values = (await res.text()).trim().split('\n').map(Number);
        expectClose(values, expected('regression'), `regression from ${type}`);
      }
    });

    it('reads dense and sparse RecordIO-protobuf (sparse: absent keys are missing)', async () => {
      const dense = encodeDenseRecords(ref.rows.map((row) => row.map((v) => v ?? NaN)));
      const res = await invoke('regression', dense, {
        'Content-Type': 'application/x-recordio-protobuf',
      });
      expectClose(
        (await res.text()).trim().split('\n').map(Number),
        expected('regression'),
        'dense',
      );
      const sparse = writeRecordIO(
        ref.rows.map((row) => {
          const keys = row.flatMap((v, i) => (v === null ? [] : [i]));
          return encodeSparseRecord({ keys, values: keys.map((i) => row[i]!), dim: row.length });
        }),
      );
      const answer = await invoke('regression', sparse, {
        'Content-Type': 'application/x-recordio-protobuf',
        Accept: 'application/x-recordio-protobuf',
      });
      const scores: number[] = [];
      for await (const payload of readRecordIO(Buffer.from(await answer.arrayBuffer()))) {
        const record = RecordType.toObject(RecordType.decode(payload));
        scores.push(Number(record.label.score.float32_tensor.values[0]));
      }
      expectClose(scores, expected('regression'), 'sparse');
    });

    it('answers batch transform (SAGEMAKER_BATCH) with str(prediction) per line', async () => {
      const res = await invoke('softprobBatch', csvRows(ref.rows.slice(0, 3)), {
        'Content-Type': 'text/csv',
        Accept: 'application/json',
      });
      const lines = (await res.text()).split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^\[[-0-9.e]+, [-0-9.e]+, [-0-9.e]+\]$/);
      const parsed = lines.slice(0, 3).flatMap((line) => JSON.parse(line) as number[]);
      expectClose(parsed, expected('softprob').slice(0, 9), 'batch lines');
    });

    it('answers selectable output (SAGEMAKER_INFERENCE_OUTPUT) in JSON and CSV', async () => {
      const res = await invoke('selectable', csvRows(ref.rows.slice(0, 2)), {
        'Content-Type': 'text/csv',
      });
      expect(res.headers.get('content-type')).toBe('application/json');
      const text = await res.text();
      const p = expected('binary');
      // predicted_score is not an answer for binary:logistic: SageMaker writes NaN for it.
      expect(text).toMatch(/^\{"predictions": \[\{"predicted_label": [01], "probabilities": \[/);
      expect(text).toContain('"predicted_score": NaN}');
      const first = JSON.parse(text.replace(/NaN/g, 'null')) as {
        predictions: { predicted_label: number; probabilities: number[] }[];
      };
      expect(first.predictions[0]!.predicted_label).toBe(p[0]! > 0.5 ? 1 : 0);
      expectClose(first.predictions[1]!.probabilities, [1 - p[1]!, p[1]!], 'probabilities');
      const csv = await invoke('selectable', csvRows(ref.rows.slice(0, 2)), {
        'Content-Type': 'text/csv',
        Accept: 'text/csv',
      });
      const lines = (await csv.text()).split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^[01],"\[[0-9.e-]+, [0-9.e-]+\]",nan$/);
    });

    it('rejects rows whose width is not num_feature, naming it', async () => {
      const narrow = await invoke('binary', '1,2,3\n', { 'Content-Type': 'text/csv' });
      expect(narrow.status).toBe(400);
      expect(await narrow.text()).toContain(
        'Record 0 has 3 features; this model expects num_feature=6.',
      );
      const libsvm = await invoke('binary', '0 2:1 9:0.5\n', { 'Content-Type': 'text/libsvm' });
      expect(libsvm.status).toBe(400);
      expect(await libsvm.text()).toContain(
        'The request body, line 1: feature index 9 is out of range; indices are 0-based and must be below 6 (this model has num_feature=6).',
      );
      const record = await invoke('binary', encodeDenseRecords([[1, 2]]), {
        'Content-Type': 'application/x-recordio-protobuf',
      });
      expect(record.status).toBe(400);
      expect(await record.text()).toContain(
        'Record 0 has 2 features; this model expects num_feature=6.',
      );
    });

    it('rejects bad bodies, content types and Accept headers with messages', async () => {
      const cases: [string | Buffer, Record<string, string>, number, string][] = [
        ['1,2,x,4,5,6\n', { 'Content-Type': 'text/csv' }, 400, "line 1: 'x' is not a number"],
        ['', { 'Content-Type': 'text/csv' }, 400, 'The request body holds no records.'],
        [
          '1 a:2\n',
          { 'Content-Type': 'text/libsvm' },
          400,
          "feature index 'a' is not a non-negative integer",
        ],
        ['1 3\n', { 'Content-Type': 'text/libsvm' }, 400, "'3' is not an index:value pair"],
        [
          Buffer.from('not recordio'),
          { 'Content-Type': 'application/x-recordio-protobuf' },
          400,
          'RecordIO',
        ],
        [
          '{"instances": []}',
          { 'Content-Type': 'application/json' },
          415,
          'text/csv, text/libsvm, text/x-libsvm, application/x-recordio-protobuf',
        ],
        [
          '1,2,3,4,5,6\n',
          { 'Content-Type': 'text/csv', Accept: 'image/png' },
          406,
          "Accept 'image/png' is not supported",
        ],
      ];
      for (const [body, headers, status, message] of cases) {
        const res = await invoke('binary', body, headers);
        expect(res.status, message).toBe(status);
        expect(await res.text()).toContain(message);
      }
    });
  },
);

describe.runIf(hasXGBoost())('xgboost-serve program start-up failures', () => {
  let dir: string;
  beforeAll(() => {
    buildPrograms();
    dir = mkdtempSync(join(tmpdir(), 'plinth-xgb-bad-'));
    // The library's other formats: UBJSON (.ubj) and the deprecated binary format.
    runPython(
      String.raw`
import json, sys, numpy as np, xgboost as xgb
d = json.load(sys.stdin)["dir"]
X = np.arange(40, dtype=np.float32).reshape(20, 2); y = (X[:, 0] > 15).astype(float)
b = xgb.train({"objective": "binary:logistic", "max_depth": 2}, xgb.DMatrix(X, label=y), 2)
b.save_model(d + "/model.json"); b.save_model(d + "/model.ubj"); b.save_model(d + "/model.bin")
emit(True)
`,
      { dir },
    );
  }, 120_000);

  const withFile = (name: string, content: string | Buffer): string => {
    const model = mkdtempSync(join(tmpdir(), 'plinth-xgb-model-'));
    writeFileSync(join(model, name), content);
    return model;
  };

  it('fails on UBJSON, binary and pickled models, saying to save the model as JSON', async () => {
    const advice = "booster.save_model('xgboost-model.json')";
    for (const [file, format] of [
      ['model.ubj', 'UBJSON'],
      ['model.bin', 'binary format'],
    ]) {
      const { code, stderr } = await failedStart(
        withFile('xgboost-model', readFileSync(join(dir, file!))),
      );
      expect(code).toBe(1);
      expect(stderr).toContain(format);
      expect(stderr).toContain(advice);
    }
    const pickle = await failedStart(withFile('xgboost-model', Buffer.from([0x80, 4, 0x95, 0, 0])));
    expect(pickle.stderr).toContain('a Python pickle');
  });

  it('fails on malformed JSON models, naming the JSON path and rule', async () => {
    const good = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      learner: { gradient_booster: { model: { trees: { split_indices: number[] }[] } } };
    };
    const truncated = await failedStart(withFile('xgboost-model', '{"learner": {'));
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toContain('is not a valid xgboost JSON model: it is not valid JSON');
    good.learner.gradient_booster.model.trees[0]!.split_indices[0] = 7;
    const wide = await failedStart(withFile('xgboost-model', JSON.stringify(good)));
    expect(wide.stderr).toContain(
      'learner.gradient_booster.model.trees[0]: node 0 splits on feature 7, but the model has num_feature=2',
    );
  });

  it('fails when the model directory has no model or several JSON files', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'plinth-xgb-empty-'));
    expect((await failedStart(empty)).stderr).toContain(
      'expected a file named xgboost-model or one *.json file, but it is empty',
    );
    const two = withFile('a.json', '{}');
    writeFileSync(join(two, 'b.json'), '{}');
    mkdirSync(join(two, 'code'));
    expect((await failedStart(two)).stderr).toContain('holds several JSON files (a.json, b.json)');
  });
});
