import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { decodeRecord } from './record-decode.js';
import { encodeDenseRecord, encodeSparseRecord } from './record-encode.js';
import { RecordType } from './record-schema.js';
import { writeRecordIO } from './recordio.js';
import type { SparseBatch } from './sparse-batch.js';
import { type SparseRecordBatchOptions, readSparseRecordBatches } from './sparse-record-batches.js';

async function read(
  payloads: Uint8Array[],
  options: SparseRecordBatchOptions = {},
): Promise<SparseBatch[]> {
  const out: SparseBatch[] = [];
  for await (const batch of readSparseRecordBatches(writeRecordIO(payloads), options))
    out.push(batch);
  return out;
}

/** Each row of a batch as a map of column to value, for readable comparisons. */
function rowsOf(batch: SparseBatch): Record<number, number>[] {
  return Array.from({ length: batch.rows }, (_, r) => {
    const row: Record<number, number> = {};
    for (let p = batch.offsets[r]!; p < batch.offsets[r + 1]!; p++)
      row[batch.indices[p]!] = batch.values[p]!;
    return row;
  });
}

const tensor = (type: string, t: object): object => ({ values: { [type]: t } });

describe('readSparseRecordBatches', () => {
  it('reads sparse and dense records as CSR rows without expanding them', async () => {
    const batches = await read([
      encodeSparseRecord({ keys: [7, 2], values: [0.5, -1], dim: 10 }, 1),
      encodeDenseRecord([0, 0, 3, 0, 0, 0, 0, 0, 0, 4], 0),
      encodeSparseRecord({ keys: [], values: [], dim: 10 }, 1),
      encodeSparseRecord({ keys: [9], values: [2.5], dim: 10 }, 0, { featureType: 'float64' }),
      encodeSparseRecord({ keys: [0, 1], values: [6, 0], dim: 10 }, 1, { featureType: 'int32' }),
    ]);
    expect(batches).toHaveLength(1);
    const [batch] = batches;
    expect(batch!.dim).toBe(10);
    expect(rowsOf(batch!)).toEqual([{ 7: 0.5, 2: -1 }, { 2: 3, 9: 4 }, {}, { 9: 2.5 }, { 0: 6 }]);
    expect(Array.from(batch!.labels!)).toEqual([1, 0, 1, 0, 1]);
    // Zeros are not stored: 2 + 2 + 0 + 1 + 1 entries.
    expect(Array.from(batch!.offsets)).toEqual([0, 2, 4, 4, 5, 6]);
  });

  it('splits the stream into batches of batchSize rows, each with arrays of its own', async () => {
    const payloads = Array.from({ length: 5 }, (_, i) =>
      encodeSparseRecord({ keys: [i], values: [i + 1], dim: 5 }, i % 2),
    );
    const batches = await read(payloads, { batchSize: 2 });
    expect(batches.map((b) => b.rows)).toEqual([2, 2, 1]);
    expect(rowsOf(batches[2]!)).toEqual([{ 4: 5 }]);
    expect(batches[0]!.indices.buffer).not.toBe(batches[1]!.indices.buffer);
    expect(batches[0]!.labels).toBeDefined();
  });

  it('ignores labels when told to, and keeps none when the records have none', async () => {
    const labelled = [encodeSparseRecord({ keys: [1], values: [1], dim: 3 }, 1)];
    expect((await read(labelled, { labelSize: 0 }))[0]!.labels).toBeUndefined();
    expect((await read([encodeDenseRecord([1, 2])]))[0]!.labels).toBeUndefined();
  });

  it('reads what the dense decoder reads, record for record', async () => {
    const random = createRandom(3);
    const types = ['float32', 'float64', 'int32'] as const;
    const payloads = Array.from({ length: 60 }, (_, i) => {
      const dim = 12;
      // At least one key: the dense decoder reads a row with none as having no features.
      const keys = Array.from({ length: dim }, (_, k) => k).filter(
        (k) => k === i % dim || random() < 0.3,
      );
      const type = types[i % 3]!;
      const value = (): number =>
        type === 'int32' ? Math.floor(random() * 9) - 4 : random() - 0.5;
      const values = keys.map(value);
      return i % 2 === 0
        ? encodeSparseRecord({ keys, values, dim }, i, { featureType: type })
        : encodeDenseRecord(Array.from({ length: dim }, value), i, { featureType: type });
    });
    const [batch] = await read(payloads, { batchSize: 100 });
    payloads.forEach((payload, r) => {
      const dense = decodeRecord(payload);
      const expanded = new Float32Array(12);
      for (let p = batch!.offsets[r]!; p < batch!.offsets[r + 1]!; p++)
        expanded[batch!.indices[p]!] = batch!.values[p]!;
      expect(Array.from(expanded)).toEqual(Array.from(dense.features));
      expect(batch!.labels![r]).toBe(dense.label![0]);
    });
  });

  it('reads unpacked values and keys, and a map entry whose key follows its value', async () => {
    const f32 = (x: number): number[] => Array.from(new Uint8Array(Float32Array.of(x).buffer));
    const field = (tag: number, bytes: number[]): number[] => [tag, bytes.length, ...bytes];
    const tensor = [
      ...[0x0d, ...f32(2.5)],
      ...[0x0d, ...f32(-1)],
      ...[0x10, 0x03],
      ...[0x10, 0x96, 0x01],
      ...field(0x1a, [0xc8, 0x01]),
    ];
    const entry = [...field(0x12, field(0x12, tensor)), ...field(0x0a, [...Buffer.from('values')])];
    const [batch] = await read([Uint8Array.from(field(0x0a, entry))]);
    expect(batch!.dim).toBe(200);
    expect(rowsOf(batch!)).toEqual([{ 3: 2.5, 150: -1 }]);
  });

  it.each([
    [
      'a record of another width',
      [encodeSparseRecord({ keys: [1], values: [1], dim: 4 }), encodeDenseRecord([1, 2, 3])],
      {},
      'data.rec: record 2 has 3 features but earlier records have 4; every record must have the same number.',
    ],
    [
      'a width other than feature_dim',
      [encodeSparseRecord({ keys: [1], values: [1], dim: 4 })],
      { featureDim: 6, expected: 'hyperparameter feature_dim=6' },
      'data.rec: record 1 has 4 features, but hyperparameter feature_dim=6; every record must have that many features.',
    ],
    [
      'a missing label',
      [encodeSparseRecord({ keys: [1], values: [1], dim: 4 }, 1), encodeDenseRecord([0, 1, 0, 0])],
      { labelSize: 1 as const },
      'data.rec: record 2 has no label (label["values"]); this algorithm needs a label on every record.',
    ],
    [
      'a key outside the shape',
      [
        RecordType.encode({
          features: tensor('float32_tensor', { values: [1], keys: [5], shape: [5] }),
        }).finish(),
      ],
      {},
      'data.rec: record 1 has the sparse key 5, outside its shape of 5 features (keys count from 0).',
    ],
    [
      'keys without a shape',
      [
        RecordType.encode({
          features: tensor('float32_tensor', { values: [1], keys: [0] }),
        }).finish(),
      ],
      {},
      'data.rec: record 1 has a sparse features tensor (keys) without a shape.',
    ],
    [
      'more keys than values',
      [
        RecordType.encode({
          features: tensor('float32_tensor', { values: [1], keys: [0, 1], shape: [3] }),
        }).finish(),
      ],
      {},
      'data.rec: record 1 has a sparse features tensor with 2 keys but 1 values.',
    ],
    [
      'a non-finite value',
      [encodeDenseRecord([1, NaN])],
      {},
      'data.rec: record 1 has a feature value NaN; feature values must be finite.',
    ],
    [
      'features under another key',
      [RecordType.encode({ features: { pixels: { float32_tensor: { values: [1] } } } }).finish()],
      {},
      'data.rec: record 1 has no features["values"] tensor',
    ],
    [
      'a truncated payload',
      [encodeDenseRecord([1, 2, 3]).subarray(0, 7)],
      {},
      'data.rec: record 1 is truncated or is not an aialgs.data.Record',
    ],
  ])('rejects %s, naming the record and the rule', async (...testCase) => {
    const [, payloads, options, message] = testCase;
    await expect(read(payloads, { ...options, source: 'data.rec' })).rejects.toThrow(message);
  });
});
