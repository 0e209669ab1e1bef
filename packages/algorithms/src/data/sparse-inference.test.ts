import { describe, expect, it } from 'vitest';
import { encodeDenseRecord, encodeSparseRecord } from './record-encode.js';
import { writeRecordIO } from './recordio.js';
import type { SparseBatch } from './sparse-batch.js';
import { parseSparseRequest } from './sparse-inference.js';

const parse = (body: string | Buffer, contentType: string): Promise<SparseBatch> =>
  parseSparseRequest(Buffer.from(body), { contentType, featureDim: 4 });

function rowsOf(batch: SparseBatch): Record<number, number>[] {
  return Array.from({ length: batch.rows }, (_, r) => {
    const row: Record<number, number> = {};
    for (let p = batch.offsets[r]!; p < batch.offsets[r + 1]!; p++)
      row[batch.indices[p]!] = batch.values[p]!;
    return row;
  });
}

describe('parseSparseRequest', () => {
  it("reads SageMaker's JSON instances, dense and sparse, without expanding them", async () => {
    const body = JSON.stringify({
      instances: [
        { features: [0, 1.5, 0, 2] },
        { data: { features: { values: [3, 0, 0, 0] } } },
        { data: { features: { keys: [3, 0], shape: [4], values: [1, 0.5] } } },
        { data: { features: { keys: [], shape: [4], values: [] } } },
      ],
    });
    const batch = await parse(body, 'application/json; charset=utf-8');
    expect(batch.dim).toBe(4);
    expect(rowsOf(batch)).toEqual([{ 1: 1.5, 3: 2 }, { 0: 3 }, { 3: 1, 0: 0.5 }, {}]);
    expect(batch.labels).toBeUndefined();
  });

  it('reads a single JSON instance, JSON Lines and RecordIO-protobuf', async () => {
    expect(rowsOf(await parse('{"features": [1, 0, 0, 0]}', 'application/json'))).toEqual([
      { 0: 1 },
    ]);
    const lines =
      '{"features": [0, 0, 0, 7]}\n\n{"data": {"features": {"keys": [2], "shape": [4], "values": [5]}}}\n';
    expect(rowsOf(await parse(lines, 'application/jsonlines'))).toEqual([{ 3: 7 }, { 2: 5 }]);
    const records = writeRecordIO([
      encodeSparseRecord({ keys: [1], values: [4], dim: 4 }),
      encodeDenseRecord([0, 0, 6, 0], 1),
    ]);
    expect(rowsOf(await parse(records, 'application/x-recordio-protobuf'))).toEqual([
      { 1: 4 },
      { 2: 6 },
    ]);
  });

  it.each([
    [
      { instances: [{ features: [1, 2, 3, 4] }, { features: [1, 2, 3] }] },
      'instances[1] has 3 features, but this model has feature_dim=4; every record must have that many features.',
    ],
    [
      { instances: [{ data: { features: { keys: [1], shape: [5], values: [1] } } }] },
      'instances[0] has 5 features, but this model has feature_dim=4',
    ],
    [
      { instances: [{ data: { features: { keys: [9], shape: [4], values: [1] } } }] },
      'instances[0] has the sparse key 9, outside its shape of 4 features (keys count from 0).',
    ],
    [
      { instances: [{ data: { features: { keys: [0, 1], shape: [4], values: [1] } } }] },
      'instances[0] has a sparse features tensor with 2 keys but 1 values.',
    ],
    [
      { instances: [{ data: { features: { keys: [1], values: [1] } } }] },
      'instances[0].data.features: a sparse instance needs "keys" (an array) and "shape": [feature_dim].',
    ],
    [
      { instances: [{ data: { features: { keys: [-1], shape: [4], values: [1] } } }] },
      'instances[0].data.features.keys[0] must be a non-negative integer.',
    ],
    [
      { instances: [{ features: [1, 'a', 0, 0] }] },
      'instances[0].features[1] must be a number, got "a".',
    ],
    [
      { instances: [{ data: { features: { values: 'x' } } }] },
      'instances[0].data.features.values must be an array of numbers.',
    ],
    [{ instances: [{ rows: [1, 2, 3, 4] }] }, 'instances[0]: expected {"features": [numbers]}'],
    [{ instances: { features: [1, 2, 3, 4] } }, '"instances" must be an array of objects.'],
  ])('rejects %j, naming the instance and the rule', async (request, message) => {
    await expect(parse(JSON.stringify(request), 'application/json')).rejects.toThrow(message);
  });

  it('rejects bad JSON, JSON Lines and RecordIO bodies, saying where', async () => {
    await expect(parse('{"instances": [', 'application/json')).rejects.toThrow(
      'The request body is not valid JSON',
    );
    await expect(
      parse('{"features": [1, 0, 0, 0]}\n{oops', 'application/jsonlines'),
    ).rejects.toThrow('Line 2 is not valid JSON');
    const records = writeRecordIO([encodeDenseRecord([0, 0, 6, 0]), encodeDenseRecord([1, 2])]);
    await expect(parse(records, 'application/x-recordio-protobuf')).rejects.toThrow(
      'Record 2 has 2 features, but this model has feature_dim=4',
    );
    await expect(parse('1,2,3,4', 'text/csv')).rejects.toThrow(
      "Content type 'text/csv' is not supported by this algorithm.",
    );
  });
});
