import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasXGBoost, runPython } from '../xgboost/python-reference.js';
import type { FeatureBatch } from './batch.js';
import { LIBSVM_CONTENT_TYPES, TRAINING_CONTENT_TYPES } from './content-type.js';
import { readDataset } from './dataset.js';
import { type LibsvmBatch, parseLibsvmRows, readLibsvmBatches } from './libsvm.js';

const XGBOOST_TYPES = [...TRAINING_CONTENT_TYPES, ...LIBSVM_CONTENT_TYPES];

async function channel(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-libsvm-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

async function readAll(path: string, contentType = 'text/libsvm'): Promise<LibsvmBatch[]> {
  const batches: FeatureBatch[] = [];
  for await (const batch of readDataset({
    path,
    contentType,
    contentTypes: XGBOOST_TYPES,
    batchSize: 2,
  }))
    batches.push(batch);
  return batches as LibsvmBatch[];
}

const nanToNull = (values: Iterable<number>) =>
  Array.from(values, (v) => (Number.isNaN(v) ? null : v));

describe('LIBSVM reader', () => {
  it('reads labels, weights and query ids, leaving absent features missing (NaN), across files and gzip', async () => {
    const dir = await channel({
      'a.libsvm': '1:2 qid:1 0:0.5 3:-2 # a comment\n\n0:1 qid:1 2:0\n',
      'b.libsvm.gz': gzipSync('1:0.5 qid:2 1:1e-3\r\n'),
    });
    const batches = await readAll(dir, 'text/x-libsvm');
    expect(batches.map((b) => [b.rows, b.dim])).toEqual([
      [2, 4],
      [1, 4],
    ]);
    expect(batches.flatMap((b) => nanToNull(b.features))).toEqual([
      0.5,
      null,
      null,
      -2,
      null,
      null,
      0,
      null,
      null,
      Math.fround(1e-3),
      null,
      null,
    ]);
    expect(batches.flatMap((b) => Array.from(b.labels))).toEqual([1, 0, 1]);
    expect(batches.flatMap((b) => Array.from(b.weights!))).toEqual([2, 1, 0.5]);
    expect(batches.flatMap((b) => Array.from(b.qids!))).toEqual([1, 1, 2]);
  });

  it('names the file, line and rule for bad lines', async () => {
    const read = (text: string) => readAll(text);
    const fail = async (text: string, message: string) => {
      const dir = await channel({ 'x.txt': text });
      await expect(read(dir)).rejects.toThrow(`${join(dir, 'x.txt')}, line ${message}`);
    };
    await fail('1 0:1\nx 1:2\n', "2: label 'x' is not a number.");
    await fail('1 0:1 7\n', "1: '7' is not an index:value pair.");
    await fail('1 -1:3\n', "1: feature index '-1' is not a non-negative integer.");
    await fail('1 2:abc\n', "1: value 'abc' is not a number.");
    await fail(
      '1:2 0:1\n0 1:1\n',
      '2: lacks a label:weight instance weight; give a weight on every line or on none.',
    );
    await fail(
      '1 qid:3 0:1\n0 1:1\n',
      '2: lacks a qid:<query id>; give a qid on every line or on none.',
    );
  });

  it('checks indices against a given width, and refuses LIBSVM for algorithms that do not ask for it', async () => {
    const stream = Readable.from(['1 0:1 5:2\n']);
    const reading = readLibsvmBatches(stream, {
      featureDim: 3,
      source: 'v.txt',
      widthReason: 'the train channel has 3',
    });
    await expect(reading.next()).rejects.toThrow(
      'v.txt, line 1: feature index 5 is out of range; indices are 0-based and must be below 3 (the train channel has 3).',
    );
    const dir = await channel({ 'a.txt': '1 0:1\n' });
    const kmeans = readDataset({ path: dir, contentType: 'text/libsvm' });
    await expect(kmeans.next()).rejects.toThrow(
      "Content type 'text/libsvm' is not supported by this algorithm",
    );
  });

  it('reads inference requests as SageMaker does: every index:value is a feature, a leading label is skipped', () => {
    const batch = parseLibsvmRows('0:1 2:3\n1 1:5\n', { featureDim: 3, labelled: false });
    expect(nanToNull(batch.features)).toEqual([1, null, 3, null, 5, null]);
  });

  it.runIf(hasXGBoost())(
    'reads a file as xgboost 1.7 reads it (0-based, sparse = missing)',
    async () => {
      const lines: string[] = [];
      for (let r = 0; r < 40; r++) {
        const pairs: string[] = [];
        for (let c = 0; c < 9; c++)
          if ((r * 7 + c * 3) % 4 !== 0) pairs.push(`${c}:${((r - c) / 8).toFixed(3)}`);
        lines.push(`${r % 3}:${1 + (r % 2)} qid:${Math.floor(r / 10)} ${pairs.join(' ')}`);
      }
      const dir = await channel({ 'train.libsvm': `${lines.join('\n')}\n` });
      const reference = runPython<{
        dense: (number | null)[][];
        labels: number[];
        weights: number[];
        group_ptr: number[];
      }>(
        String.raw`
import json, sys, numpy as np, xgboost as xgb
d = xgb.DMatrix(json.load(sys.stdin)["file"] + "?format=libsvm")
csr = d.get_data()
dense = [[None] * d.num_col() for _ in range(d.num_row())]
for r in range(d.num_row()):
  for k in range(csr.indptr[r], csr.indptr[r + 1]): dense[r][int(csr.indices[k])] = float(csr.data[k])
emit({"dense": dense, "labels": d.get_label().tolist(), "weights": d.get_weight().tolist(), "group_ptr": d.get_uint_info("group_ptr").tolist()})
`,
        { file: join(dir, 'train.libsvm') },
      );
      const batches = await readAll(dir);
      expect(batches[0]!.dim).toBe(reference.dense[0]!.length);
      expect(batches.flatMap((b) => nanToNull(b.features))).toEqual(
        reference.dense.flat().map((v) => (v === null ? null : Math.fround(v))),
      );
      expect(batches.flatMap((b) => Array.from(b.labels))).toEqual(reference.labels);
      expect(batches.flatMap((b) => Array.from(b.weights!))).toEqual(reference.weights);
      const qids = batches.flatMap((b) => Array.from(b.qids!));
      const starts = [
        0,
        ...qids.flatMap((q, i) => (i > 0 && q !== qids[i - 1] ? [i] : [])),
        qids.length,
      ];
      expect(starts).toEqual(reference.group_ptr);
    },
  );
});
