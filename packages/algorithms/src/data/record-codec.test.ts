import { describe, expect, it } from 'vitest';
import { decodeRecord } from './record-decode.js';
import { encodeDenseRecord, encodeDenseRecords, encodeSparseRecord } from './record-encode.js';
import { RecordType } from './record-schema.js';
import { readRecordIO } from './recordio.js';

const ascii = (s: string): number[] => [...Buffer.from(s)];

async function decodeFile(file: Buffer): Promise<ReturnType<typeof decodeRecord>[]> {
  const out = [];
  for await (const payload of readRecordIO(file)) out.push(decodeRecord(payload));
  return out;
}

describe('encodeDenseRecord', () => {
  it('writes the bytes protobuf gives for record.proto (features [1.5, -2], label 3)', () => {
    // prettier-ignore
    const expected = [
      0x0a, 22, //              Record.features (field 1, length-delimited): a map entry of 22 bytes
      0x0a, 6, ...ascii('values'), //  entry.key (field 1) = "values"
      0x12, 12, //                     entry.value (field 2): a Value of 12 bytes
      0x12, 10, //                       Value.float32_tensor (field 2): 10 bytes
      0x0a, 8, //                          Float32Tensor.values (field 1), packed: 8 bytes
      0x00, 0x00, 0xc0, 0x3f, //           1.5 = 0x3fc00000, little-endian
      0x00, 0x00, 0x00, 0xc0, //           -2  = 0xc0000000
      0x12, 18, //              Record.label (field 2): a map entry of 18 bytes
      0x0a, 6, ...ascii('values'), //  entry.key = "values"
      0x12, 8, //                      entry.value: a Value of 8 bytes
      0x12, 6, //                        Value.float32_tensor: 6 bytes
      0x0a, 4, //                          values, packed: 4 bytes
      0x00, 0x00, 0x40, 0x40, //           3 = 0x40400000
    ];
    expect([...encodeDenseRecord([1.5, -2], 3)]).toEqual(expected);
  });

  it('writes float64 and int32 tensors under their own Value fields', () => {
    const f64 = encodeDenseRecord([1], undefined, { featureType: 'float64' });
    // after Record.features tag+len, entry key (8 bytes) and entry.value tag+len: Value field 3 (float64_tensor), values packed as 8-byte doubles
    expect([...f64.subarray(12)]).toEqual([0x1a, 10, 0x0a, 8, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    const i32 = encodeDenseRecord([-1, 5], undefined, { featureType: 'int32' });
    // Value field 7 (int32_tensor); -1 is a 10-byte sign-extended varint
    expect([...i32.subarray(12)]).toEqual([
      0x3a, 13, 0x0a, 11, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 5,
    ]);
  });
});

describe('decodeRecord', () => {
  it('round-trips dense rows with labels through a RecordIO file', async () => {
    const rows = [
      [1, 2, 3],
      [0.5, -0.25, 1e-3],
      [4, 5, 6],
    ];
    const records = await decodeFile(encodeDenseRecords(rows, [0, 1, 0]));
    expect(records.map((r) => Array.from(r.features))).toEqual(
      rows.map((r) => [...Float32Array.from(r)]),
    );
    expect(records.map((r) => r.label)).toEqual([[0], [1], [0]]);
  });

  it('accepts Float32Array rows and leaves label out when none was written', async () => {
    const [record] = await decodeFile(encodeDenseRecords([new Float32Array([7, 8])]));
    expect(record).toEqual({ features: new Float32Array([7, 8]) });
  });

  it('converts float64 and int32 tensors to float32', () => {
    const f64 = encodeDenseRecord([0.1, 2], 1, { featureType: 'float64', labelType: 'int32' });
    expect(decodeRecord(f64)).toEqual({ features: new Float32Array([0.1, 2]), label: [1] });
    const i32 = encodeDenseRecord([-7, 2 ** 31 - 1], undefined, { featureType: 'int32' });
    expect(Array.from(decodeRecord(i32).features)).toEqual([-7, 2 ** 31]);
  });

  it('expands a sparse row to its shape', () => {
    const payload = encodeSparseRecord({ keys: [1, 4], values: [2.5, -1], dim: 6 }, 1);
    expect(decodeRecord(payload)).toEqual({
      features: new Float32Array([0, 2.5, 0, 0, -1, 0]),
      label: [1],
    });
  });

  it('agrees with protobufjs reflection on the same bytes', () => {
    const payload = encodeSparseRecord({ keys: [0, 3], values: [1, 2], dim: 4 }, 9);
    const reflected = RecordType.toObject(RecordType.decode(payload), { longs: Number }) as {
      features: {
        values: { float32_tensor: { values: number[]; keys: number[]; shape: number[] } };
      };
    };
    expect(reflected.features.values.float32_tensor).toEqual({
      values: [1, 2],
      keys: [0, 3],
      shape: [4],
    });
  });

  it('reads unpacked repeated values, which proto2 parsers must accept', () => {
    // Value{float32_tensor{values: 1.5 (field 1, wire 5), values: 2 (again, unpacked)}}
    // prettier-ignore
    const tensor = [0x0d, 0x00, 0x00, 0xc0, 0x3f, 0x0d, 0x00, 0x00, 0x00, 0x40];
    const value = [0x12, tensor.length, ...tensor];
    const entry = [0x0a, 6, ...ascii('values'), 0x12, value.length, ...value];
    const record = Uint8Array.from([0x0a, entry.length, ...entry]);
    expect(Array.from(decodeRecord(record).features)).toEqual([1.5, 2]);
  });

  it('explains records without features["values"] and malformed payloads', () => {
    const other = RecordType.encode({
      features: { pixels: { float32_tensor: { values: [1] } } },
    }).finish();
    expect(() => decodeRecord(other)).toThrow(/no features\["values"\] tensor \(found pixels\)/);
    const good = encodeDenseRecord([1, 2, 3]);
    expect(() => decodeRecord(good.subarray(0, good.length - 2))).toThrow('truncated');
    const sparseNoShape = RecordType.encode({
      features: { values: { float32_tensor: { values: [1], keys: [0] } } },
    }).finish();
    expect(() => decodeRecord(sparseNoShape)).toThrow('without a shape');
    const outside = RecordType.encode({
      features: { values: { float32_tensor: { values: [1], keys: [5], shape: [3] } } },
    }).finish();
    expect(() => decodeRecord(outside)).toThrow('key 5 is outside its shape [3]');
  });

  it('rejects sparse keys outside the row when encoding', () => {
    expect(() => encodeSparseRecord({ keys: [3], values: [1], dim: 3 })).toThrow('outside 0..2');
  });
});
