import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrograms, programPath, startServer } from '../testing/contract-job.js';
import {
  buildOnnxModel,
  incrementInt64OnnxModel,
  linearOnnxModel,
  sumAndProductOnnxModel,
} from '../testing/onnx-models.js';

beforeAll(buildPrograms, 120_000);

/** A model whose input is a string tensor, which requests cannot be turned into. */
const stringIdentityModel = (): Uint8Array =>
  buildOnnxModel({
    nodes: [{ op: 'Identity', inputs: ['text'], outputs: ['same'] }],
    inputs: [{ name: 'text', type: 'string', shape: ['n'] }],
    outputs: [{ name: 'same', type: 'string', shape: ['n'] }],
  });

/** A model directory holding the given files. */
async function modelDir(files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-onnx-model-'));
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
  return dir;
}

/** Runs onnx-serve on a model directory that should not load; resolves with code and stderr. */
function failedStart(dir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [programPath('onnx-serve')], {
    env: { ...process.env, SM_MODEL_DIR: dir, SAGEMAKER_BIND_TO_PORT: '0' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('onnx-serve program', () => {
  const servers: ChildProcess[] = [];
  const bases: Record<'linear' | 'pair' | 'ids' | 'renamed', string> = {
    linear: '',
    pair: '',
    ids: '',
    renamed: '',
  };

  beforeAll(async () => {
    const models = {
      // y = 2a + 3b + 1
      linear: { 'model.onnx': linearOnnxModel([2, 3], 1), 'notes.onnx': 'not chosen' },
      pair: { 'model.onnx': sumAndProductOnnxModel() },
      ids: { 'model.onnx': incrementInt64OnnxModel() },
      // The only .onnx file is served whatever its name.
      renamed: { 'regressor.onnx': linearOnnxModel([1, 1], 0), 'README.txt': 'x' },
    };
    for (const [name, files] of Object.entries(models)) {
      const { child, base } = await startServer('onnx-serve', await modelDir(files));
      servers.push(child);
      bases[name as keyof typeof bases] = base;
    }
  }, 60_000);

  afterAll(() => {
    for (const child of servers) child.kill('SIGTERM');
  });

  const invoke = (
    model: keyof typeof bases,
    body: string,
    headers: Record<string, string> = { 'Content-Type': 'application/json' },
  ) => fetch(`${bases[model]}/invocations`, { method: 'POST', body, headers });

  it('answers ping once the model is loaded', async () => {
    expect((await fetch(`${bases.linear}/ping`)).status).toBe(200);
  });

  it('answers CSV rows with JSON predictions by default', async () => {
    const res = await invoke('linear', '1,1\n0,0\n0.5,-1\n', { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ predictions: [[6], [1], [-1]] });
  });

  it('takes JSON as a bare array, instances, named inputs or a single instance', async () => {
    for (const body of [
      [[1, 2]],
      { instances: [[1, 2]] },
      { inputs: { x: [[1, 2]] } },
      [1, 2], // one instance: a batch of 1
    ]) {
      const res = await invoke('linear', JSON.stringify(body));
      expect(await res.json(), JSON.stringify(body)).toEqual({ predictions: [[9]] });
    }
    const renamed = await invoke('renamed', '[[0.25, 0.5]]');
    expect(await renamed.json()).toEqual({ predictions: [[0.75]] });
  });

  it('writes CSV when asked', async () => {
    const res = await invoke('linear', '[[1, 1], [0.1, 0]]', {
      'Content-Type': 'application/json',
      Accept: 'text/csv',
    });
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(await res.text()).toBe('6\n1.2\n');
  });

  it('feeds named inputs and answers every output by name', async () => {
    const body = {
      inputs: {
        a: [
          [1, 2],
          [3, 4],
        ],
        b: [
          [10, 20],
          [30, 40],
        ],
      },
    };
    const res = await invoke('pair', JSON.stringify(body));
    expect(await res.json()).toEqual({
      outputs: {
        sum: [
          [11, 22],
          [33, 44],
        ],
        product: [
          [10, 40],
          [90, 160],
        ],
      },
    });
    const csv = await invoke('pair', JSON.stringify(body), {
      'Content-Type': 'application/json',
      Accept: 'text/csv',
    });
    expect(await csv.text()).toBe('11,22,10,40\n33,44,90,160\n');
  });

  it('builds int64 tensors from JSON integers, beyond what float32 holds exactly', async () => {
    const res = await invoke('ids', JSON.stringify([[16777216, 2 ** 40]]));
    expect(await res.json()).toEqual({ predictions: [[16777217, 2 ** 40 + 1]] });
  });

  it.each([
    ['linear', '[[1, 2, 3]]', "Input 'x' takes shape [n, 2]; the request gives shape [1, 3]."],
    ['linear', '{"instances": [[1, 2], [3]]}', 'instances[1] has 1 item where 2 were expected'],
    ['linear', '{"instances": [[1, "two"]]}', 'Value 1 of input \'x\' is "two", not a number.'],
    ['linear', '[[1, 2]', 'The request body is not valid JSON'],
    ['linear', '{"rows": [[1, 2]]}', 'The JSON request body has no rows the model can take'],
    [
      'linear',
      '{"inputs": {"z": [[1, 2]]}}',
      "The model has no input named 'z'; its inputs are 'x'.",
    ],
    ['linear', '[]', "The request holds no values for input 'x'."],
    ['pair', '[[1, 2]]', "this model has 2 ('a', 'b')"],
    ['pair', '{"inputs": {"a": [[1, 2]]}}', "The request gives no value for the model input 'b'"],
    [
      'pair',
      '{"inputs": {"a": [[1, 2], [3, 4], [5, 6]], "b": [[1, 2], [3, 4]]}}',
      'The model could not run on this input',
    ],
    ['ids', '[[1.5, 2]]', "Value 0 of input 'ids' is 1.5; this int64 input takes integers"],
  ] as const)('answers 400 to %s with %s', async (model, body, message) => {
    const res = await invoke(model, body);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
  });

  it('answers 400 to bad CSV and 415/406 to types it does not speak', async () => {
    const csv = { 'Content-Type': 'text/csv' };
    const letters = await invoke('linear', '1,x\n', csv);
    expect(letters.status).toBe(400);
    const several = await invoke('pair', '1,2\n', csv);
    expect(several.status).toBe(400);
    expect(await several.text()).toContain('CSV feeds a model with one input');
    const empty = await invoke('linear', '', csv);
    expect(empty.status).toBe(400);
    expect((await invoke('linear', '1,2', { 'Content-Type': 'image/png' })).status).toBe(415);
    const lines = await invoke('linear', '1,2', { ...csv, Accept: 'application/jsonlines' });
    expect(lines.status).toBe(406);
    expect(await lines.text()).toContain('use one of: application/json, text/csv');
  });

  it.each([
    ['no .onnx file', {}, 'No .onnx file in the model directory'],
    [
      'two .onnx files',
      { 'a.onnx': 'x', 'b.onnx': 'y' },
      'several .onnx files (a.onnx, b.onnx) and none is named model.onnx',
    ],
    ['a broken model.onnx', { 'model.onnx': 'not a model' }, 'Cannot load the ONNX model'],
    [
      'a model with a string input',
      { 'model.onnx': stringIdentityModel() },
      "has the input 'text' of type string; Plinth's ONNX server feeds numeric and bool tensors only",
    ],
  ])('exits 1 saying why when the model directory holds %s', async (_, files, message) => {
    const { code, stderr } = await failedStart(await modelDir(files));
    expect(code).toBe(1);
    expect(stderr).toContain(`ONNX serve failed to start: `);
    expect(stderr).toContain(message);
  });
});
